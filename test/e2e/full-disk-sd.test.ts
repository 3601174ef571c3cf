/**
 * A full disk under the Storage daemon's volumes (issue 14, part 2): the Archive Device
 * is a 2 MiB tmpfs and the backup needs 3 MiB. The volume that filled is marked Full
 * and reads clean to its last block (no corrupt block left behind); the disk, too
 * full for even one data block of the next volume, ends the job in Error with the
 * reason, instead of labelling one empty volume after another.
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
import { expectingConsole, runTool } from '../harness/recovery.js';

test('a full disk under the volumes: the filled volume is Full and reads clean, the job ends in Error saying why', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-sdfull-'));
  writeFileSync(join(src, 'a.txt'), 'first\n');
  writeFileSync(join(src, 'b.bin'), randomBytes(3 * 1024 * 1024));
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Disk-' });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', burrow.volumes], { stdio: 'ignore' });
  } catch {
    await burrow.stop();
    t.skip('no tmpfs can be mounted here');
    return;
  }
  t.after(async () => {
    for (const d of ['dir', 'fd', 'sd']) await burrow.stopNamed(d);
    execFileSync('umount', [burrow.volumes]);
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const r = await expectingConsole(burrow)(['run job=backup-test yes'], /Termination:\s+\*\*\* Backup Error \*\*\*\n/);
  assert.match(r, /Volume "Disk-0001" is full/);
  assert.match(r, /no space left on the disk, not even for its first data block/);
  const volumes = readdirSync(burrow.volumes).sort();
  assert.ok(volumes.length <= 2, `no run of empty volumes: ${volumes.join(' ')}`);
  const listed = await burrow.console(['list volumes']);
  assert.match(listed.stdout, /\| Disk-0001\s+\| Full\s+\|/);
  const bls = runTool(BIN.bls, ['-V', 'Disk-0001', burrow.volumes]);
  assert.equal(bls.code, 0, `the filled volume reads clean:\n${bls.stderr}`);
});
