/**
 * A full disk under the Storage daemon's volumes (issue 14, part 2): the Archive Device
 * is a 2 MiB tmpfs and the backup needs 3 MiB. The volume that filled is marked Full
 * and reads clean to its last block (no corrupt block left behind). The next volume,
 * labelled on the same disk, has no room for its first data block: the job waits
 * (status M, the operator is asked to free space) instead of failing or labelling one
 * empty volume after another; once the disk has room and the operator mounts, the job
 * goes on on that volume and ends OK, and the backup restores exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { expectingConsole, runTool, tinyVolumeDisk } from '../harness/recovery.js';
import { compareTrees } from '../harness/tree.js';

test('a full disk under the volumes: the filled volume is Full and reads clean, the job waits for space and goes on after a mount', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-sdfull-'));
  writeFileSync(join(src, 'a.txt'), 'first\n');
  writeFileSync(join(src, 'b.bin'), randomBytes(3 * 1024 * 1024));
  writeFileSync(join(src, 'c.txt'), 'last\n');
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Disk-' });
  if (!(await tinyVolumeDisk(t, burrow, '2m', [src]))) {
    t.skip('no tmpfs can be mounted here (needs root)');
    return;
  }
  const run = await burrow.console(['run job=backup-test yes']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  await burrow.untilLogged(/No space left on the disk of Storage Device "FileStorage" \(\S+\) for Volume "Disk-0002"\. Please free space there, then mount, for:\n {4}Job: /, 120_000);
  const log = burrow.jobLog();
  assert.match(log, /Volume "Disk-0001" is full \(\d+ bytes\); continuing on the next volume\./);
  assert.match(log, /No space left on the disk of Device "FileStorage" \(\S+\): Volume "Disk-0002" cannot take its first data block\./);
  const waiting = await burrow.console(['llist jobid=1', 'list volumes']);
  assert.match(waiting.stdout, /jobstatus: M\n/, waiting.stdout);
  assert.match(waiting.stdout, /\| Disk-0001\s+\| Full\s+\|/, waiting.stdout);
  const filled = runTool(BIN.bls, ['-V', 'Disk-0001', burrow.volumes]);
  assert.equal(filled.code, 0, `the filled volume reads clean:\n${filled.stderr}`);

  // The operator makes room (here: the disk grows), then mounts: the job goes on where it stopped.
  execFileSync('mount', ['-o', 'remount,size=8m', burrow.volumes]);
  await expectingConsole(burrow)(['mount storage=File', 'wait jobid=1'], /Termination:\s+Backup OK\n/);
  assert.match(burrow.jobLog(), /Space on the disk again: Volume "Disk-0002" takes the job's data\./);
  assert.deepEqual(readdirSync(burrow.volumes).sort(), ['Disk-0001', 'Disk-0002'], 'no run of empty volumes');
  const listed = await burrow.console(['list volumes']);
  assert.match(listed.stdout, /\| Disk-0001\s+\| Full\s+\|/, listed.stdout);
  assert.match(listed.stdout, /\| Disk-0002\s+\| Append\s+\|/, listed.stdout);
  const bls = runTool(BIN.bls, ['-V', 'Disk-0001|Disk-0002', burrow.volumes]);
  assert.equal(bls.code, 0, `both volumes read clean:\n${bls.stdout}\n${bls.stderr}`);
  const where = join(burrow.dir, 'restored');
  await expectingConsole(burrow)([`restore client=test-fd jobid=1 all yes where=${where}`], /Termination:\s+Restore OK\n/);
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});
