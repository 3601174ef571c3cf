/**
 * The everyday cycle with real daemons: a Full, then changes (new, modified, renamed,
 * deleted files, a file changed only in its ctime), then an Incremental and a
 * Differential that save exactly what changed; a restore of the latest state puts
 * every changed file back as it is now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

function filesOf(listing: string, root: string): string[] {
  return listing.split('\n').filter((l) => l.startsWith(root)).map((l) => l.slice(root.length) || '/').sort();
}

test('Full, then Incremental and Differential save exactly the changed files', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-levels-'));
  mkdirSync(join(src, 'dir'));
  for (const name of ['keep', 'modify', 'rename-me', 'delete-me', 'chmod-me']) writeFileSync(join(src, 'dir', name), `${name}\n`);
  // Old mtimes, as files that have sat on disk for a while.
  for (const name of ['keep', 'modify', 'rename-me', 'delete-me', 'chmod-me']) utimesSync(join(src, 'dir', name), new Date('2020-01-01'), new Date('2020-01-01'));
  const burrow = await Burrow.start({ include: [src], options: ['Signature = MD5'] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const full = await burrow.console(['run job=backup-test level=Incremental yes', 'wait', 'messages']);
  assert.equal(full.code, 0, full.stdout + burrow.logs());
  assert.match(full.stdout, /No prior Full backup Job record found/);
  assert.match(full.stdout, /Backup Level:\s+Full\n/);
  assert.match(full.stdout, /\n +Accurate: +no\n/);

  // Changes after the Full.
  await new Promise((r) => setTimeout(r, 20));
  appendFileSync(join(src, 'dir', 'modify'), 'more\n');
  renameSync(join(src, 'dir', 'rename-me'), join(src, 'dir', 'renamed'));
  rmSync(join(src, 'dir', 'delete-me'));
  chmodSync(join(src, 'dir', 'chmod-me'), 0o600);
  writeFileSync(join(src, 'dir', 'new'), 'new\n');
  utimesSync(join(src, 'dir', 'new'), new Date('2019-01-01'), new Date('2019-01-01')); // an old mtime: caught by ctime

  // estimate says what an Incremental would save, and saves nothing.
  const est = await burrow.console(['estimate job=backup-test level=Incremental listing']);
  assert.equal(est.code, 0, est.stdout + burrow.logs());
  const estimated = est.stdout.split('\n').map((l) => l.trim().split(/\s+/).slice(1).join(' ')).filter((p) => p.startsWith(src)).map((p) => p.slice(src.length) || '/').sort();
  assert.deepEqual(estimated, ['/', '/dir', '/dir/chmod-me', '/dir/modify', '/dir/new', '/dir/renamed']);
  assert.match(est.stdout, /2000 OK estimate files=6 bytes=\d/);

  const inc = await burrow.console(['run job=backup-test level=Incremental yes', 'wait', 'messages', 'list files jobid=2']);
  assert.equal(inc.code, 0, inc.stdout + burrow.logs());
  assert.match(inc.stdout, /Backup Level:\s+Incremental, since=/);
  assert.deepEqual(filesOf(inc.stdout, src), ['/', '/dir', '/dir/chmod-me', '/dir/modify', '/dir/new', '/dir/renamed']);

  // One more change, then a Differential: everything since the Full.
  writeFileSync(join(src, 'dir', 'after-inc'), 'x\n');
  const diff = await burrow.console(['run job=backup-test level=Differential yes', 'wait', 'messages', 'list files jobid=3']);
  assert.equal(diff.code, 0, diff.stdout + burrow.logs());
  assert.match(diff.stdout, /Backup Level:\s+Differential, since=/);
  assert.deepEqual(filesOf(diff.stdout, src), ['/', '/dir', '/dir/after-inc', '/dir/chmod-me', '/dir/modify', '/dir/new', '/dir/renamed']);

  // Nothing changed: an Incremental after the Differential saves only the directories.
  const idle = await burrow.console(['run job=backup-test level=Incremental yes', 'wait', 'list files jobid=4']);
  assert.deepEqual(filesOf(idle.stdout, src), ['/', '/dir']);

  // The latest state (Full + Differential + Incremental) restores every current file.
  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, restore.stdout + burrow.logs());
  assert.match(restore.stdout, /from JobId\(s\) 1,3,4/);
  const { readFileSync, readdirSync } = await import('node:fs');
  const restored = join(where, src, 'dir');
  assert.equal(readFileSync(join(restored, 'modify'), 'utf8'), 'modify\nmore\n');
  assert.equal(readFileSync(join(restored, 'renamed'), 'utf8'), 'rename-me\n');
  assert.ok(readdirSync(restored).includes('after-inc'));
});
