/**
 * With `CheckFileChanges = yes` (Bareos's option; off by default, see
 * file-daemon/src/backup/changes.test.ts), a file that changes while it is read is
 * saved, named in the job log as a warning in Bareos's words, and the job ends
 * "Backup OK -- with warnings" (status W), end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { jobIds } from '../harness/checks.js';

// Appends a byte every millisecond until killed: whenever the FD reads the file, it grows under it.
const GROWER = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'a');
setInterval(() => fs.writeSync(fd, 'x'), 1); process.stdout.write('ready\\n');`;

test('a file growing while it is read is saved with a warning naming it', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  const growing = join(src, 'growing.log');
  writeFileSync(growing, randomBytes(64 * 1024 * 1024));
  writeFileSync(join(src, 'calm'), 'unchanged');
  const grower = spawn(process.execPath, ['-e', GROWER, growing], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => grower.stdout.once('data', resolve));
  const burrow = await Burrow.start({ include: [src], options: ['Signature = MD5', 'Check File Changes = yes'] });
  t.after(async () => {
    grower.kill();
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${burrow.logs()}`);
  assert.match(backup.stdout, new RegExp(`${growing.replace(/[.]/g, '\\.')}: (mtime|size) changed during backup`));
  assert.match(backup.stdout, /Termination:\s+Backup OK -- with warnings\n/);
  const list = await burrow.console(['.api json', 'list jobs']);
  assert.match(list.stdout, /"jobstatus":"W"/);
  assert.deepEqual(await jobIds(burrow), [1]);
});
