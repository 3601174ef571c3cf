/**
 * The main job of Burrow 0.1, end to end with the real daemons: label, Full backup of
 * a tree, restore elsewhere, compare file by file; the job log, listings and the
 * report say what happened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, runProcess } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';
import { ensureDebianPackage } from '../harness/debian.js';

test('full backup and exact restore through the real daemons', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  const files = buildSampleTree(src);
  const burrow = await Burrow.start({ include: [src], options: ['Signature = SHA256', 'Compression = GZIP'], labelFormat: null });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const label = await burrow.console(['label storage=File volume=Vol-0001 pool=Full']);
  assert.equal(label.code, 0, label.stdout + label.stderr);
  assert.match(label.stdout, /Volume "Vol-0001"/);

  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${burrow.logs()}`);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/);
  assert.match(backup.stdout, new RegExp(`SD Files Written:\\s+${files}\\n`));
  assert.match(backup.stdout, /Volume name\(s\):\s+Vol-0001/);

  const listed = await burrow.console(['list files jobid=1']);
  assert.match(listed.stdout, new RegExp(`${files} files in JobId 1`));
  assert.match(listed.stdout, /hardlink-to-hello/);

  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, `${restore.stdout}\n${burrow.logs()}`);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/);
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  // One name of a hard-link set restored alone still gets its data, whichever name the
  // backup saved the data with.
  for (const name of ['hardlink-to-hello', 'docs/hello.txt']) {
    const one = join(burrow.dir, `one-${name.replace('/', '-')}`);
    const r = await burrow.console([`restore client=test-fd jobid=1 file=${join(src, name)} yes where=${one}`, 'wait', 'messages']);
    assert.equal(r.code, 0, `${r.stdout}\n${burrow.logs()}`);
    assert.equal(readFileSync(join(one, src, name), 'utf8'), 'hello, world\n');
  }

  // The job log lives in the catalog: llist shows the record and the report.
  const llist = await burrow.console(['llist jobid=1']);
  assert.match(llist.stdout, /jobstatus: T/);
  assert.match(llist.stdout, /Termination:\s+Backup OK/);

  const status = await burrow.console(['status dir', 'status client=test-fd', 'status storage=File']);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(status.stdout, /test-dir Version: 0\.1\.0/);
  assert.match(status.stdout, /test-fd Version: 0\.1\.0/);
  assert.match(status.stdout, /test-sd Version: 0\.1\.0/);
  // The drive keeps the last job's volume mounted, as Bareos keeps it, for the next job of its pool.
  assert.match(status.stdout, /Device "FileStorage" \(\S+\) is mounted with:\n {4}Volume: {6}\S+\n {4}Pool: {8}Full\n {4}Media type: {2}File/);

  const json = await burrow.console(['.api json', 'list jobs']);
  const docs = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { result: { jobs?: Array<{ jobid: number; jobstatus: string }> } });
  const jobs = docs[1]?.result.jobs ?? [];
  assert.deepEqual(jobs.map((j) => [j.jobid, j.jobstatus]), [[1, 'T'], [2, 'T'], [3, 'T'], [4, 'T']]);
});

test('a job continues on a new volume when Maximum Volume Bytes is reached, and restores from both', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  buildSampleTree(src);
  const burrow = await Burrow.start({ include: [src], options: ['Signature = MD5'], maximumVolumeBytes: '1 MB', labelFormat: 'Span-' });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages', 'list volumes']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${burrow.logs()}`);
  const volumes = readdirSync(burrow.volumes).sort();
  assert.ok(volumes.length >= 4, `expected the 4.5 MB job to span volumes of 1 MB, got ${volumes.join(', ')}`);
  assert.equal(volumes[0], 'Span-0001');
  assert.match(backup.stdout, /Volume name\(s\):\s+Span-0001\|Span-0002/);
  assert.match(backup.stdout, /\| Span-0001\s+\| Full\s+\|/);
  // Each follow-on volume's label names the one filled before it (Bareos's PrevVolumeName): bls follows the span.
  for (const [volume, previous] of [['Span-0001', undefined], ['Span-0002', 'Span-0001'], ['Span-0003', 'Span-0002']] as const) {
    const bls = await runProcess(process.execPath, [BIN.bls, '-j', '-V', volume, burrow.volumes], '', 20_000);
    const label = bls.stdout.split('\n')[0] ?? '';
    assert.match(label, new RegExp(`^Volume Label: Volume="${volume}"`), bls.stdout + bls.stderr);
    if (previous) assert.match(label, new RegExp(`PrevVolume="${previous}"$`));
    else assert.doesNotMatch(label, /PrevVolume/);
  }

  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd jobid=1 all yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, `${restore.stdout}\n${burrow.logs()}`);
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});

/** Bytes of a file the page cache holds (util-linux's fincore). */
function cachedBytes(path: string): number {
  return Number(execFileSync('fincore', ['--bytes', '--raw', '--noheadings', '--output', 'RES', path], { encoding: 'utf8' }).trim());
}

test('a large file is backed up and restored without keeping it all in the page cache (drop-behind)', async (t) => {
  ensureDebianPackage('/usr/bin/fincore', 'util-linux-extra');
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  const size = 96 * 1024 * 1024;
  writeFileSync(join(src, 'large'), randomBytes(size));
  const burrow = await Burrow.start({ include: [src], options: ['Signature = MD5'] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${burrow.logs()}`);
  // The Storage daemon dropped what it had written back of the volume every 64 MiB.
  const [volume] = readdirSync(burrow.volumes);
  const volCached = cachedBytes(join(burrow.volumes, volume!));
  assert.ok(volCached <= size / 2, `volume pages dropped behind the writes: ${volCached} bytes of ${volume} cached`);
  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/, `${restore.stdout}\n${burrow.logs()}`);
  // Written back and dropped every 64 MiB while the rest came: at most the last stretch stays cached.
  const restored = join(where, src, 'large');
  const cached = cachedBytes(restored);
  assert.ok(cached <= size / 2, `${cached} of ${size} bytes still cached`);
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});
