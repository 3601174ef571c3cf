/**
 * Automatic labelling needs both the pool's Label Format and the device's
 * `Label Media = yes`, as in Bareos. With `Label Media = no` a backup that finds no
 * appendable volume stops with the instruction to label one (Bareos would wait for the
 * operator; Burrow has no such wait yet), no volume is made behind the operator's
 * back, and the manual `label` command works regardless.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('Label Media = no: no automatic label, the label command still works', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  writeFileSync(join(src, 'a.txt'), 'a\n');
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Auto-', labelMedia: false });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const refused = await burrow.console(['run job=backup-test yes', 'wait', 'messages', 'list volumes']);
  assert.match(refused.stdout, /Cannot find any appendable volumes in Pool "Full" \(Media type "File"\), and Device "FileStorage" has Label Media = no, so no new volume is labelled automatically: label one with "label storage=File pool=Full volume=NAME", or set Label Media = yes/, refused.stdout);
  assert.match(refused.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/);
  assert.doesNotMatch(refused.stdout, /Auto-0001/, 'no catalog volume was made for a label nobody writes');
  assert.deepEqual(readdirSync(burrow.volumes), []);

  const manual = await burrow.console(['label storage=File volume=Manual-1 pool=Full', 'run job=backup-test yes', 'wait', 'messages']);
  assert.equal(manual.code, 0, `${manual.stdout}\n${burrow.logs()}`);
  assert.match(manual.stdout, /Termination:\s+Backup OK\n/);
  assert.match(manual.stdout, /Volume name\(s\):\s+Manual-1/);
});
