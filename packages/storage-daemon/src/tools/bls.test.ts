import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { attributesRecord, dataRecord, patternBytes, tempDrive, writeAbortedSession, writeSession } from '../volume/testing.js';

const bls = fileURLToPath(new URL('./bls.js', import.meta.url));
const run = promisify(execFile);

async function blsRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bls, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('bls lists the volume label, session labels and files with escaped names', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  const odd = Buffer.concat([Buffer.from('/tmp/bad'), Buffer.from([0xff, 0x0a]), Buffer.from('name')]);
  await writeSession(drive, 'Vol-7', 42, [
    attributesRecord(1, '/etc/hosts'), dataRecord(1, 0, patternBytes(3000, 1)), attributesRecord(2, odd),
  ]);
  const { code, stdout, stderr } = await blsRun(['-V', 'Vol-7', dir]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^Volume Label: Volume="Vol-7" Pool="Full" MediaType="File"/);
  assert.match(lines[1] ?? '', /^Begin Job Session: JobId=42 Job="job-42"/);
  assert.match(lines[2] ?? '', /JobId=42 FileIndex=1 Addr=\d+ \/etc\/hosts$/);
  assert.match(lines[3] ?? '', /FileIndex=2 Addr=\d+ \/tmp\/bad\\xff\\x0aname$/);
  assert.match(lines[4] ?? '', /^End Job Session: JobId=42 Files=3 .*Status=T/);
  assert.equal(lines.length, 5);

  const jobs = await blsRun(['-j', '-c', '/etc/burrow/burrow-sd.conf', '-V', 'Vol-7', dir]);
  assert.equal(jobs.code, 0);
  assert.doesNotMatch(jobs.stdout, /FileIndex/);
  assert.match(jobs.stdout, /Begin Job Session/);
});

test('bls fails clearly on a missing or foreign volume and on bad usage', async (t) => {
  const { dir, cleanup } = await tempDrive();
  t.after(cleanup);
  await writeFile(join(dir, 'junk'), 'not a volume at all');
  const missing = await blsRun(['-V', 'nope', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not found/);
  const junk = await blsRun(['-V', 'junk', dir]);
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /is not a Burrow volume/);
  assert.equal((await blsRun([dir])).code, 2);
});

test('bls reads a healthy volume holding a session its job left mid-record (a daemon killed) as clean', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  await writeSession(drive, 'Vol-1', 1, [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(100, 1))]);
  await writeAbortedSession(drive, 'Vol-1', 2, [attributesRecord(1, '/big'), dataRecord(1, 0, patternBytes(5000, 2))], { abortAfterBlocks: 2, status: 'E' });
  await writeSession(drive, 'Vol-1', 3, [attributesRecord(1, '/c')]);
  const r = await blsRun(['-V', 'Vol-1', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /JobId=2 FileIndex=1 not finished: the job ended with status E while writing it \(\d+ bytes here\)/);
  assert.match(r.stdout, /End Job Session: JobId=2 .*Status=E/);
  assert.match(r.stdout, /JobId=3 FileIndex=1 Addr=\d+ \/c$/m);
});

test('bls -b lists only what a bootstrap selects; -V reads several volumes in order', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  await writeSession(drive, 'Vol-1', 1, [attributesRecord(1, '/one/a'), attributesRecord(2, '/one/b')]);
  const second = await writeSession(drive, 'Vol-1', 2, [attributesRecord(1, '/two/a'), attributesRecord(2, '/two/b'), attributesRecord(3, '/two/c')]);
  await writeSession(drive, 'Vol-2', 3, [attributesRecord(1, '/three/a')]);
  const start = second.fileStarts.get(2)?.addr ?? -1;
  const bsr = join(dir, 'pick.bsr');
  await writeFile(bsr, `Volume="Vol-1"\nVolSessionId=2\nVolAddr=${start}-${start}\nFileIndex=2-3\n`);
  const picked = await blsRun(['-b', bsr, dir]);
  assert.equal(picked.code, 0, picked.stderr);
  const files = picked.stdout.split('\n').filter((l) => l.includes('FileIndex='));
  assert.deepEqual(files.map((l) => l.replace(/ Addr=\d+/, '')), ['  JobId=2 FileIndex=2 /two/b', '  JobId=2 FileIndex=3 /two/c']);
  assert.doesNotMatch(picked.stdout, /\/one\/|JobId=1\b/);

  const both = await blsRun(['-j', '-V', 'Vol-1|Vol-2', dir]);
  assert.equal(both.code, 0, both.stderr);
  assert.deepEqual([...both.stdout.matchAll(/Begin Job Session: JobId=(\d+)/g)].map((m) => m[1]), ['1', '2', '3']);

  await writeFile(bsr, 'Volume="Vol-1"\nVolSessionId=2\nVolSessionTime=5\n');
  const bad = await blsRun(['-b', bsr, dir]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /pick\.bsr:3: VolSessionTime is not taken by Burrow/);
  assert.equal((await blsRun(['-b', bsr, '-V', 'Vol-1', dir])).code, 2, '-b and -V together');
});
