/**
 * Accurate mode with real daemons: an Incremental compares with the current backup
 * state, saves new and changed files, records deleted ones, and a restore of the
 * latest state equals the tree on disk file by file — without the deleted files.
 * With the digest letter (`Accurate = ms5`), a file whose contents changed under the
 * same mtime and size is saved; without it (`ms`) it is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';

/** Two accurate jobs on one tree, one FileSet comparing contents (5) and one not. */
function digestJobs(tree: string): string {
  const job = (name: string, letters: string): string => `
FileSet { Name = ${name}Set; Include { Options { Signature = XXH128; Accurate = ${letters} }; File = ${JSON.stringify(tree)} } }
Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = ${name}Set; Storage = File; Pool = Full; Messages = Standard; Accurate = yes }`;
  return job('by-attributes', 'ms') + job('by-contents', 'ms5');
}

/** The paths `list files` names, below `root`. */
function listed(stdout: string, root: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(root)).map((l) => l.slice(root.length)).sort();
}

test('an accurate Incremental records deletions and restores the tree as it is', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-accurate-'));
  const tree = mkdtempSync(join(tmpdir(), 'burrow-accurate-digest-'));
  mkdirSync(join(src, 'a', 'b'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(src, 'a', i % 2 ? 'b' : '', `f${i}`), `file ${i}\n`);
  const burrow = await Burrow.start({ include: [src], options: ['Signature = SHA256'], jobDirectives: ['Accurate = yes'], directorResources: digestJobs(tree) });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(tree, { recursive: true, force: true });
  });
  const full = await burrow.console(['run job=backup-test level=Full yes', 'wait', 'messages']);
  assert.equal(full.code, 0, full.stdout + burrow.logs());

  rmSync(join(src, 'a', 'f0'));
  rmSync(join(src, 'a', 'b', 'f1'));
  rmSync(join(src, 'a', 'b', 'f3'));
  renameSync(join(src, 'a', 'f2'), join(src, 'a', 'b', 'moved-in'));
  appendFileSync(join(src, 'a', 'f4'), 'changed\n');
  utimesSync(join(src, 'a', 'f4'), new Date('2001-01-01'), new Date('2001-01-01')); // an older mtime still differs
  writeFileSync(join(src, 'a', 'brand-new'), 'new\n');

  const inc = await burrow.console(['run job=backup-test level=Incremental yes', 'wait', 'messages', 'list files jobid=2']);
  assert.equal(inc.code, 0, inc.stdout + burrow.logs());
  assert.match(inc.stdout, /Accurate mode: sending the state of 23 files/);
  assert.match(inc.stdout, /Accurate mode: 4 files recorded as deleted/);
  assert.match(inc.stdout, /\n +Accurate: +yes\n/, 'the report says the job was accurate');
  const saved = inc.stdout.split('\n').filter((l) => l.startsWith(src)).map((l) => l.slice(src.length)).sort();
  // Deleted-file rows are listed too: the four names that are gone.
  for (const gone of ['/a/f0', '/a/b/f1', '/a/b/f3', '/a/f2']) assert.ok(saved.includes(gone), `${gone} recorded as deleted`);
  for (const changed of ['/a/f4', '/a/brand-new', '/a/b/moved-in']) assert.ok(saved.includes(changed), `${changed} saved`);
  assert.ok(!saved.includes('/a/f6'), 'an unchanged file is not saved again');

  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, restore.stdout + burrow.logs());
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  // Contents: a round mtime, set again after the change, so that only the digest tells.
  const mtime = new Date('2020-02-02T02:02:02Z');
  const same = join(tree, 'same-size');
  writeFileSync(same, 'version one\n');
  writeFileSync(join(tree, 'calm'), 'never changes\n');
  for (const f of [same, join(tree, 'calm')]) utimesSync(f, mtime, mtime);
  const fulls = await burrow.console(['run job=by-attributes yes', 'run job=by-contents yes', 'wait', 'messages']);
  assert.equal(fulls.code, 0, fulls.stdout + burrow.logs());
  writeFileSync(same, 'version two\n');
  utimesSync(same, mtime, mtime); // ctime moves, and neither ms nor ms5 compares it
  // JobIds: 1 Full, 2 Incremental, 3 restore, 4 and 5 the Fulls above, 6 and 7 these.
  const byAttributes = await burrow.console(['run job=by-attributes level=Incremental yes', 'wait', 'messages', 'list files jobid=6']);
  assert.equal(byAttributes.code, 0, byAttributes.stdout + burrow.logs());
  assert.deepEqual(listed(byAttributes.stdout, tree), [''], 'ms: the same mtime and size, not saved (the directory always is)');
  const byContents = await burrow.console(['run job=by-contents level=Incremental yes', 'wait', 'messages', 'list files jobid=7']);
  assert.equal(byContents.code, 0, byContents.stdout + burrow.logs());
  assert.deepEqual(listed(byContents.stdout, tree), ['', '/same-size'], 'ms5: its XXH128 differs, saved; calm is not');
});
