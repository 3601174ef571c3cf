/**
 * Automatic labelling needs both the pool's Label Format and the device's
 * `Label Media = yes`, as in Bareos. With `Label Media = no` a backup that finds no
 * appendable volume waits for the operator, told how to go on; no volume is made
 * behind the operator's back, and the `label` command gives the waiting job its volume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('Label Media = no: no automatic label; the job waits, and the label command gives it a volume', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  writeFileSync(join(src, 'a.txt'), 'a\n');
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Auto-', labelMedia: false });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  await burrow.console(['run job=backup-test yes']);
  await burrow.untilLogged(/JobId 1: Job backup-test\.\S+ is waiting\. Cannot find any appendable volumes\./);
  assert.match(burrow.jobLog(), /Cannot find any appendable volumes in Pool "Full" \(Media type "File"\), and Device "FileStorage" has Label Media = no, so no new volume is labelled automatically: label one with "label storage=File pool=Full volume=NAME", or set Label Media = yes/);
  const waiting = await burrow.console(['list volumes']);
  assert.doesNotMatch(waiting.stdout, /Auto-0001/, 'no catalog volume was made for a label nobody writes');
  assert.deepEqual(readdirSync(burrow.volumes), []);

  const manual = await burrow.console(['label storage=File volume=Manual-1 pool=Full', 'wait jobid=1', 'messages']);
  assert.equal(manual.code, 0, `${manual.stdout}\n${burrow.logs()}`);
  assert.match(manual.stdout, /Termination:\s+Backup OK\n/);
  assert.match(manual.stdout, /Volume name\(s\):\s+Manual-1/);
});
