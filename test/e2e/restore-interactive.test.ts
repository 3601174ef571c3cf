/**
 * Restore as operators use it, through the real bconsole: the menu picks a point in
 * time, the file tree shell browses and marks, `mod` changes where; once from a pipe
 * and once on a pseudo-terminal (script(1)). Then the keyword form for scripts
 * (fileregex=, and strip_prefix/add_prefix/regexwhere, which replace where= as in
 * Bareos), the refusals, and a one-file restore from a large job
 * that reads only that file's part of the volume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { bytesReadBy } from '../harness/checks.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function localTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** bconsole on a pseudo-terminal: lines typed one by one, each after the previous prompt appeared. */
async function onTerminal(config: string, steps: Array<{ type: string; waitFor: RegExp }>): Promise<string> {
  const child = spawn('script', ['-q', '-c', `${process.execPath} ${BIN.bconsole} -c ${config}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    for (const step of steps) {
      const until = Date.now() + 30_000;
      const from = out.length;
      child.stdin.write(`${step.type}\r`);
      // readline on a terminal moves the cursor with escape sequences: read past them.
      while (!step.waitFor.test(out.slice(from).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))) {
        if (Date.now() > until) throw new Error(`no ${step.waitFor} after "${step.type}":\n${out}`);
        await sleep(50);
      }
    }
    child.stdin.end();
    await Promise.race([exited, sleep(10_000)]);
    return out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

test('restore: menu, file tree, mod, keywords, refusals, one file read alone', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-irestore-'));
  mkdirSync(join(src, 'a'));
  mkdirSync(join(src, 'big'));
  writeFileSync(join(src, 'a', 'one.txt'), 'one, first version\n');
  writeFileSync(join(src, 'a', 'two.conf'), 'two\n');
  writeFileSync(join(src, 'a', 'three.txt'), 'three\n');
  for (let i = 0; i < 12; i++) writeFileSync(join(src, 'big', `f${String(i).padStart(2, '0')}`), randomBytes(2 << 20));
  const burrow = await Burrow.start({ include: [src] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const run = async (lines: string[]): Promise<string> => {
    const r = await burrow.console(lines);
    assert.equal(r.code, 0, r.stdout + r.stderr + burrow.logs());
    return r.stdout;
  };

  await run(['run job=backup-test level=Full yes', 'wait']);
  await sleep(1100);
  const between = localTime(new Date());
  await sleep(1100);
  writeFileSync(join(src, 'a', 'one.txt'), 'one, second version\n');
  await run(['run job=backup-test level=Incremental yes', 'wait']);

  // Listings, and a conversation in .api json mode: the prompt is a field of each answer.
  const lists = await run(['list jobtotals', 'llist backups client=test-fd', '.api json', 'restore', '13']);
  assert.match(lists, /\| 2 +\| 22 +\| [\d,]+ +\| backup-test +\|/);
  assert.match(lists, /jobid: 1\n[^]*level: F[^]*jobid: 2\n[^]*level: I/);
  const json = lists.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { prompt?: string; result?: { started?: boolean } });
  assert.equal(json[1]?.prompt, 'Select item:  (1-14): ');
  assert.equal(json[2]?.prompt, undefined);
  assert.equal(json[2]?.result?.started, false);

  // From a pipe: menu 5 (most recent), the tree, mark with a wildcard, mod where, yes.
  const latest = join(burrow.dir, 'latest');
  const piped = await run([
    'restore', '5', `cd ${src}/a`, 'ls', 'mark *.txt', 'unmark three.txt', 'lsmark', 'versions one.txt', 'estimate', 'count', 'pwd',
    'done', 'mod', '1', latest, 'yes', 'wait', 'messages',
  ]);
  assert.match(piped, /5: Select the most recent backup for a client/);
  assert.match(piped, /Building directory tree for JobId\(s\) 1,2/);
  assert.match(piped, /one\.txt\n.*three\.txt\n.*two\.conf/);
  assert.match(piped, /2 files marked\./);
  assert.match(piped, /1 file unmarked\./);
  assert.match(piped, new RegExp(`\\*${src}/a/one\\.txt`));
  assert.match(piped, /\* JobId 2 \(I [^)]*\): 20 bytes/);
  assert.match(piped, / JobId 1 \(F [^)]*\): 19 bytes/);
  assert.match(piped, /1 files selected to be restored from JobId\(s\) 1,2/);
  assert.match(piped, new RegExp(`Where: +${latest}`));
  assert.match(piped, /Termination: +Restore OK/);
  assert.equal(readFileSync(join(latest, src, 'a', 'one.txt'), 'utf8'), 'one, second version\n');
  assert.deepEqual(readdirSync(join(latest, src, 'a')), ['one.txt']);

  // On a terminal: menu 6 (before a time) gives the state before the Incremental.
  const earlier = join(burrow.dir, 'earlier');
  const tty = await onTerminal(burrow.configs.console, [
    { type: 'restore', waitFor: /Select item: +\(1-14\): $/ },
    { type: '6', waitFor: /Enter date as YYYY-MM-DD HH:MM:SS :$/ },
    { type: between, waitFor: /\$ $/ },
    { type: `cd ${src}/a`, waitFor: /\$ $/ },
    { type: 'dir one.txt', waitFor: /JobId 1 .*one\.txt[^]*\$ $/ },
    { type: 'mark one.txt', waitFor: /1 file marked\.[^]*\$ $/ },
    { type: 'done', waitFor: /OK to run\? \(yes\/mod\/no\): $/ },
    { type: 'mod', waitFor: /Select parameter to modify \(1-7\): $/ },
    { type: '1', waitFor: /Where .*: $/ },
    { type: earlier, waitFor: /OK to run\? \(yes\/mod\/no\): $/ },
    { type: 'yes', waitFor: /Job queued\. JobId=\d+[^]*\*$/ },
    { type: 'wait', waitFor: /\*$/ },
    { type: 'quit', waitFor: /$/ },
  ]);
  assert.match(tty, /Building directory tree for JobId\(s\) 1 /);
  assert.equal(readFileSync(join(earlier, src, 'a', 'one.txt'), 'utf8'), 'one, first version\n');

  // Keywords for scripts: fileregex= picks the files. A rewrite replaces where=, as in
  // Bareos: strip_prefix=/home add_prefix=/mnt/home restores /home/... to /mnt/home/...
  const byKeywords = join(burrow.dir, 'keywords');
  const ignored = join(burrow.dir, 'where-is-replaced');
  await run([`restore client=test-fd current fileregex=\\.conf$ where=${ignored} strip_prefix=${src} add_prefix=${byKeywords} add_suffix=.old yes`, 'wait']);
  assert.equal(readFileSync(join(byKeywords, 'a', 'two.conf.old'), 'utf8'), 'two\n');
  assert.ok(!existsSync(join(byKeywords, 'a', 'one.txt')));
  assert.ok(!existsSync(ignored), 'where= is not used when a rewrite is given');
  const renamed = join(burrow.dir, 'renamed');
  await run([`restore client=test-fd current file=${src}/a/two.conf regexwhere=!^${src}/a/!${renamed}/!,!\\.conf$!.conf.bak! yes`, 'wait']);
  assert.equal(readFileSync(join(renamed, 'two.conf.bak'), 'utf8'), 'two\n');
  // A rewrite whose result is relative or climbs with ".." is refused before any job runs.
  const jobsBefore = (await burrow.console(['list jobs'])).stdout.match(/\| \d+\s+\| /g)?.length;
  const escaped = await burrow.console([
    `restore client=test-fd current file=${src}/a/two.conf regexwhere=!^/!/../../! yes`,
    `restore client=test-fd current file=${src}/a/two.conf strip_prefix=/ yes`,
  ]);
  assert.notEqual(escaped.code, 0);
  assert.match(escaped.stdout, /regexwhere !\^\/!\/\.\.\/\.\.\/! turns .*two\.conf into \/\.\.\/\.\.\/.*: it has a "\.\." component/);
  assert.match(escaped.stdout, /turns .*two\.conf into [^/\s].*: it is not an absolute path/);
  assert.equal((await burrow.console(['list jobs'])).stdout.match(/\| \d+\s+\| /g)?.length, jobsBefore, 'no job was queued');

  // Refusals: clear errors, a failing exit status, and an audit line.
  const bad = await burrow.console([
    'restore client=test-fd jobid=999 all yes',
    'restore client=test-fd current regexwhere=!([a!b! all yes',
    `restore client=test-fd current file=${src}/not-there yes`,
    'messages',
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /JobId 999 does not exist/);
  assert.match(bad.stdout, /regexwhere "!\(\[a!b!" is not valid/);
  assert.match(bad.stdout, /none of the named files is in JobId\(s\) 1,2/);
  assert.match(bad.stdout, /restore refused: JobId 999 does not exist/);

  // One file of a 24 MB job: the Storage daemon reads about that file, not the volume.
  const one = join(burrow.dir, 'one');
  const before = bytesReadBy(burrow, 'sd');
  await run([`restore client=test-fd current file=${src}/big/f06 where=${one} yes`, 'wait']);
  const read = bytesReadBy(burrow, 'sd') - before;
  assert.equal(readFileSync(join(one, src, 'big', 'f06')).length, 2 << 20);
  assert.ok(read < 4 * (1 << 20), `the SD read ${read} bytes for one 2 MiB file of a 24 MiB volume`);
  t.diagnostic(`one 2 MiB file of a 24 MiB job: the SD read ${read} bytes`);
});
