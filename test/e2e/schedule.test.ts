/**
 * A schedule fires in real time: a Run line for the coming minute starts the job
 * while the Director runs; status dir lists it beforehand; show schedules verbose prints how
 * the Run line was understood. A Verify job's schedule fires at the same minute and
 * runs at the Run line's level.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('a minute-level schedule starts its job on time', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-sched-'));
  writeFileSync(join(src, 'f'), 'f\n');
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const now = new Date();
  // At least 20 s ahead, so the Director is surely up before the run is due.
  const due = new Date(now.getTime() + 80_000);
  due.setSeconds(0, 0);
  const minute = due.getMinutes();
  const burrow = await Burrow.start({
    include: [src],
    jobDirectives: ['Schedule = Soon'],
    directorResources: `Schedule { Name = Soon; Run = Level=Full Priority=7 hourly at 0:${String(minute).padStart(2, '0')} }
Schedule { Name = SoonVerify; Run = Level=InitCatalog Priority=7 hourly at 0:${String(minute).padStart(2, '0')} }
Job { Name = verify-test; Type = Verify; Level = Catalog; Client = test-fd; FileSet = TestSet; Pool = Full; Messages = Standard; Schedule = SoonVerify }`,
  });
  t.after(() => burrow.stop());

  const before = await burrow.console(['status dir', 'show schedules verbose']);
  assert.match(before.stdout, /Scheduled Jobs:[\s\S]*\| Full\s+\| Backup \| 7\s+\|[^\n]*\| backup-test \| Soon/);
  assert.match(before.stdout, new RegExp(`hour=all minute=${String(minute).padStart(2, '0')}`));

  let jobs = '';
  const deadline = due.getTime() + 30_000;
  while (Date.now() < deadline) {
    jobs = (await burrow.console(['list jobs'])).stdout;
    if (/\| \d\s+\| backup-test/.test(jobs) && /\| verify-test/.test(jobs)) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  assert.match(jobs, /\| \d\s+\| backup-test/, `no backup started by the schedule\n${burrow.logs()}`);
  const backupId = /\| (\d)\s+\| backup-test/.exec(jobs)?.[1] ?? '';
  const verifyId = /\| (\d)\s+\| verify-test/.exec(jobs)?.[1] ?? '';
  assert.ok(verifyId, `no verify started by the schedule\n${jobs}\n${burrow.logs()}`);
  const verified = await burrow.console(['wait', `llist jobid=${verifyId}`]);
  assert.match(verified.stdout, /type: V\n[\s\S]*level: V\n/, verified.stdout);
  assert.match(verified.stdout, /Verify Level:\s+InitCatalog\n[\s\S]*Termination:\s+Verify OK/, verified.stdout);
  const done = await burrow.console(['wait', `llist jobid=${backupId}`]);
  assert.match(done.stdout, /Termination:\s+Backup OK/);
  const started = /starttime: (\S+ \S+)/.exec(done.stdout)?.[1] ?? '';
  const startedAt = new Date(started.replace(' ', 'T')).getTime();
  assert.ok(startedAt >= due.getTime() && startedAt < due.getTime() + 10_000, `started at ${started}, due ${due.toISOString()}`);
});
