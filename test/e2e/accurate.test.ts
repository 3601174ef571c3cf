/**
 * Accurate mode with real daemons: an Incremental compares with the current backup
 * state, saves new and changed files, records deleted ones, and a restore of the
 * latest state equals the tree on disk file by file — without the deleted files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';

test('an accurate Incremental records deletions and restores the tree as it is', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-accurate-'));
  mkdirSync(join(src, 'a', 'b'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(src, 'a', i % 2 ? 'b' : '', `f${i}`), `file ${i}\n`);
  const burrow = await Burrow.start({ include: [src], options: ['Signature = SHA256'], jobDirectives: ['Accurate = yes'] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
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
  const saved = inc.stdout.split('\n').filter((l) => l.startsWith(src)).map((l) => l.slice(src.length)).sort();
  // Deleted-file rows are listed too: the four names that are gone.
  for (const gone of ['/a/f0', '/a/b/f1', '/a/b/f3', '/a/f2']) assert.ok(saved.includes(gone), `${gone} recorded as deleted`);
  for (const changed of ['/a/f4', '/a/brand-new', '/a/b/moved-in']) assert.ok(saved.includes(changed), `${changed} saved`);
  assert.ok(!saved.includes('/a/f6'), 'an unchanged file is not saved again');

  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, restore.stdout + burrow.logs());
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});
