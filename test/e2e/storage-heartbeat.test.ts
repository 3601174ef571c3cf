/**
 * Heartbeat Interval between the Director and its Storage daemon (issue 15): a Storage
 * daemon that falls silent mid-backup (its process stopped, so no reset ever comes, as
 * with a machine that hangs) is noticed by the Director within two intervals and the
 * job fails; once it runs again it finds its Director gone and frees the drive. (A
 * client silent behind a cut link is firewalled-clients' heartbeat test.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('a Storage daemon silent mid-backup is noticed by the Director within two intervals; the job fails and the drive comes free', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-sd-heartbeat-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  writeFileSync(join(src, 'first'), 'read before the FIFO\n');
  // After the file the client waits at a FIFO nobody writes to: the job is under way, its connections idle.
  execFileSync('mkfifo', [join(src, 'fifo')]);
  const b = await Burrow.start({ include: [src], options: ['Signature = SHA256', 'ReadFifo = yes'], storageDirectives: ['Heartbeat Interval = 1 s'] });
  t.after(() => b.stop());

  await b.console(['run job=backup-test yes']);
  await b.untilLogged(/JobId 1: Using Device "FileStorage" to write\./);
  // Longer than two intervals: heartbeats keep the idle connection to the Storage daemon alive.
  await new Promise((r) => setTimeout(r, 2500));
  assert.match((await b.console(['status dir'])).stdout, /JobId 1 Job backup-test\.\S+ is running\./, b.jobLog());
  const sd = b.daemons.find((d) => d.name === 'sd')!.process;
  sd.kill('SIGSTOP');
  const stoppedAt = Date.now();
  let took: number;
  try {
    await b.untilLogged(/Termination:\s+\*\*\* Backup Error \*\*\*/, 20_000);
    took = Date.now() - stoppedAt;
  } finally {
    sd.kill('SIGCONT'); // before anything stops it
  }
  t.diagnostic(`the job failed ${took} ms after the Storage daemon fell silent`);
  const silence = /no sign of life from [^\n]* for (\d+\.\d) s \(Heartbeat Interval 1 s\)/.exec(b.jobLog());
  assert.ok(silence, `the job log does not say the Storage daemon fell silent:\n${b.jobLog()}`);
  // Two intervals, and up to a second more for timers on a loaded machine.
  assert.ok(Number(silence[1]) < 3, `noticed after ${silence[1]} s of silence`);
  assert.ok(took < 8_000, `the job ended ${took} ms after the Storage daemon fell silent`);

  // Running again, the Storage daemon finds its Director gone, ends the session and frees the drive.
  const until = Date.now() + 20_000;
  let storage = '';
  while (!/Running Jobs:\nNo Jobs running\./.test(storage = (await b.console(['status storage=File'])).stdout) || /Reserved by/.test(storage)) {
    if (Date.now() > until) assert.fail(`the drive is still held:\n${storage}\n${b.logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});
