/**
 * A full disk on the client during a restore (issue 14, part 2): the restore target is
 * a 1 MiB tmpfs and one file is larger than that. The file is named in the job log with
 * the reason, nothing half-written is left under its name, the job ends in Error (never
 * OK), and the files after it are still restored, not silently skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { expectingConsole, tidyUp } from '../harness/recovery.js';

test('a restore onto a full disk names the file that did not fit, ends in Error, and restores the rest', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-full-'));
  const mnt = mkdtempSync(join(tmpdir(), 'burrow-full-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    t.skip('no tmpfs can be mounted here');
    return;
  }
  const files: Record<string, Buffer> = { 'a.txt': Buffer.from('first\n'), 'b-big.bin': randomBytes(3 * 1024 * 1024), 'c.txt': Buffer.from('after the big one\n'), 'd.bin': randomBytes(100_000) };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(src, name), data);
  const burrow = await Burrow.start({ include: [src] });
  tidyUp(t, burrow, [src, mnt], () => execFileSync('umount', [mnt]));
  const ok = expectingConsole(burrow);
  await ok(['run job=backup-test yes'], /Termination:\s+Backup OK\n/);
  mkdirSync(join(mnt, 'r'));
  const r = await ok([`restore client=test-fd jobid=1 all yes where=${join(mnt, 'r')}`], /Termination:\s+\*\*\* Restore Error \*\*\*\n/);
  assert.match(r, new RegExp(`Error: ${join(src, 'b-big.bin')}: .*(ENOSPC|no space left)`, 'i'), r);
  const restored = join(mnt, 'r', src);
  assert.ok(!existsSync(join(restored, 'b-big.bin')), 'nothing half-written under its name');
  for (const name of ['a.txt', 'c.txt', 'd.bin']) {
    assert.ok(readFileSync(join(restored, name)).equals(files[name] as Buffer), `${name} restored whole`);
  }
  assert.deepEqual(readdirSync(restored).filter((n) => n.startsWith('.burrow-restore')), [], 'no temporary file left behind');
});
