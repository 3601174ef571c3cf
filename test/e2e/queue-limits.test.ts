/**
 * The queue's time limits, duplicates and retries with real daemons: Max Run Time
 * cancels a job that runs too long, Allow Duplicate Jobs = no refuses a second run of
 * a job that is still running, Reschedule On Error runs a failed job again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('Max Run Time, Allow Duplicate Jobs = no and Reschedule On Error', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-queue-'));
  writeFileSync(join(src, 'f'), 'f\n');
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const job = (name: string, extra: string): string =>
    `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; ${extra} }`;
  const burrow = await Burrow.start({
    include: [src],
    directorResources: [
      job('slow', 'Run Before Job = "/bin/sleep 30"; Max Run Time = 2 seconds'),
      job('single', 'Run Before Job = "/bin/sleep 2"; Allow Duplicate Jobs = no; Maximum Concurrent Jobs = 2'),
      job('flaky', 'Run Before Job = "/bin/false"; Reschedule On Error = yes; Reschedule Interval = 1 second; Reschedule Times = 1'),
    ].join('\n'),
  });
  t.after(() => burrow.stop());

  const t0 = Date.now();
  const slow = await burrow.console(['run job=slow yes', 'wait', 'llist jobid=1']);
  assert.ok(Date.now() - t0 < 15_000, 'Max Run Time ended the job early');
  assert.match(slow.stdout, /Max run time exceeded \(2 secs\)\. Job canceled\./);
  assert.match(slow.stdout, /jobstatus: A/);

  const dup = await burrow.console(['run job=single yes', 'run job=single yes', 'wait', 'llist jobid=2', 'llist jobid=3']);
  assert.match(dup.stdout, /Duplicate job not allowed: JobId 2 of Job "single" is already queued or running\./);
  assert.equal((dup.stdout.match(/jobstatus: A/g) ?? []).length, 1, dup.stdout);
  assert.match(dup.stdout, /Termination:\s+Backup OK/);

  const flaky = await burrow.console(['run job=flaky yes', 'wait jobid=4']);
  assert.notEqual(flaky.code, 0);
  // The retry comes a second later as a job of its own, and fails again; then no more.
  let jobs = '';
  for (let i = 0; i < 20 && !/\| 5\s+\| flaky/.test(jobs); i++) {
    await new Promise((r) => setTimeout(r, 500));
    jobs = (await burrow.console(['list jobs'])).stdout;
  }
  assert.match(jobs, /\| 4\s+\| flaky/);
  assert.match(jobs, /\| 5\s+\| flaky/);
  const log = await burrow.console(['wait', 'llist jobid=4', 'llist jobid=5']);
  assert.match(log.stdout, /Rescheduled Job flaky\.[^ ]+ to re-run in 1 sec \(attempt 2 of 2\)/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.doesNotMatch((await burrow.console(['list jobs'])).stdout, /\| 6\s+\|/);
});
