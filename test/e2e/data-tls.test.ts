/**
 * The data channel without TLS, as an administrator may configure it (TLS Enable = no
 * on the File daemon, and on the Storage daemon's Storage resource): backups and
 * restores still work, every job says in its log that its data crossed in the clear,
 * and a File daemon that turns TLS off against a Storage daemon that requires it gets a
 * clear refusal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';

const CLEAR = /Warning: the data connection to the Storage daemon at 127\.0\.0\.1:\d+ is not encrypted \(TLS Enable = no\)/;

function sourceTree(): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  writeFileSync(join(src, 'small.txt'), 'in the clear\n');
  writeFileSync(join(src, 'large.bin'), Buffer.alloc(3 * 1024 * 1024 + 5, 0x5c)); // several 1 MiB records
  return src;
}

test('with TLS Enable = no on both sides, data goes in the clear, each job says so, and nothing else changes', async (t) => {
  const src = sourceTree();
  const burrow = await Burrow.start({ include: [src], options: ['Signature = MD5'], fdDirectives: ['TLS Enable = no'], sdDirectives: ['TLS Enable = no'] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${burrow.logs()}`);
  assert.match(backup.stdout, CLEAR);
  // The administrator's choice is shown, not counted against the job.
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/);
  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, `${restore.stdout}\n${burrow.logs()}`);
  assert.match(restore.stdout, CLEAR);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/);
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});

test('a File daemon without TLS is refused by a Storage daemon that requires it, saying why', async (t) => {
  const src = sourceTree();
  const burrow = await Burrow.start({ include: [src], fdDirectives: ['TLS Enable = no'] });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/, `${backup.stdout}\n${burrow.logs()}`);
  assert.match(backup.stdout, /connected without TLS, which this daemon requires for it \(TLS Enable, TLS Require\)/);
});
