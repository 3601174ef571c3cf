/**
 * A disk too full for a new volume's label (issue 14, part 2): the Archive Device is a
 * 1 MiB tmpfs filled to the last byte before the first backup, which must label its
 * volume. The label does not fit: no empty volume file is left behind and the catalog
 * never hears of the volume; the job log names the device and the space free, and the
 * job waits (status M, the operator asked to free space) as it does when a data block
 * does not fit (full-disk-sd). Once there is room and the operator mounts, the volume
 * is labelled, the job ends OK and the backup restores exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { expectingConsole, tinyVolumeDisk } from '../harness/recovery.js';
import { compareTrees } from '../harness/tree.js';

/** Writes `path` until the file system refuses even one byte more. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (let chunk = 256 * 1024; chunk >= 1; chunk = Math.floor(chunk / 2)) {
      const buf = Buffer.alloc(chunk, 0x5a);
      for (;;) {
        try {
          writeSync(fd, buf);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

test('a disk too full for a new volume\'s label: no empty volume is left, the job waits for space and labels it after a mount', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-labelfull-'));
  writeFileSync(join(src, 'a.txt'), 'first\n');
  writeFileSync(join(src, 'b.txt'), 'second\n'.repeat(1000));
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Disk-' });
  if (!(await tinyVolumeDisk(t, burrow, '1m', [src]))) {
    t.skip('no tmpfs can be mounted here (needs root)');
    return;
  }
  const filler = join(burrow.volumes, 'filler');
  fillDisk(filler);

  const run = await burrow.console(['run job=backup-test yes']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  await burrow.untilLogged(/No space left on the disk of Storage Device "FileStorage" \(\S+\) for Volume "Disk-0001"\. Please free space there, then mount, for:\n {4}Job: /, 120_000);
  assert.match(burrow.jobLog(), /No space left on the disk of Device "FileStorage" \(\S+\) for new Volume "Disk-0001": its label does not fit \([\d,]+ bytes free\)\./);
  assert.deepEqual(readdirSync(burrow.volumes), ['filler'], 'no empty or half-labelled volume file is left');
  const waiting = await burrow.console(['llist jobid=1']);
  assert.match(waiting.stdout, /jobstatus: M\n/, waiting.stdout);
  const volumes = await burrow.console(['list volumes']);
  assert.match(volumes.stdout, /No results to list\./, `the catalog does not know a volume that was never labelled:\n${volumes.stdout}`);

  // The operator makes room, then mounts: the volume is labelled and the job goes on.
  rmSync(filler);
  await expectingConsole(burrow)(['mount storage=File', 'wait jobid=1'], /Termination:\s+Backup OK\n/);
  const log = burrow.jobLog();
  assert.match(log, /Space on the disk again: Volume "Disk-0001" takes the job's data\./);
  assert.match(log, /Labeled new Volume "Disk-0001" on Device "FileStorage"/);
  assert.deepEqual(readdirSync(burrow.volumes), ['Disk-0001']);
  const listed = await burrow.console(['list volumes']);
  assert.match(listed.stdout, /\| Disk-0001\s+\| Append\s+\|/, listed.stdout);
  const where = join(burrow.dir, 'restored');
  await expectingConsole(burrow)([`restore client=test-fd jobid=1 all yes where=${where}`], /Termination:\s+Restore OK\n/);
  assert.deepEqual(compareTrees(src, join(where, src)), []);
});
