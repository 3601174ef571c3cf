import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectorConfig } from '@burrow/common/config/index';
import { createLogger } from '@burrow/common/log/index';
import { openSqliteCatalog } from '../catalog/index.js';
import { buildGeneration } from '../configuration/generation.js';
import { JobQueue } from '../jobs/queue.js';
import { scheduledPlan } from '../setup/resolve.js';
import { ManualClock, systemClock } from '../time/clock.js';
import { ClientConnections } from '../fd/client-connections.js';
import { VolumeReservations } from '../media/reservations.js';
import { Scheduler, scheduleEntries } from './scheduler.js';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });

/** A Director configuration with a Verify job on a schedule; the File daemon's port has nothing listening. */
function config(dir: string, verifyRun: string): string {
  const file = join(dir, 'burrow-dir.conf');
  writeFileSync(file, `
Director { Name = d; Password = p; Working Directory = "${dir}"; Messages = M }
Client { Name = c-fd; Address = 127.0.0.1; FDPort = 1; Password = p }
Storage { Name = File; Address = 127.0.0.1; SDPort = 1; Password = p; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbname = burrow }
Pool { Name = Full; Pool Type = Backup }
FileSet { Name = Set; Include { File = /nonexistent } }
Messages { Name = M; Catalog = all }
Schedule { Name = Nightly; Run = ${verifyRun} }
Job { Name = check; Type = Verify; Level = Catalog; Client = c-fd; FileSet = Set; Pool = Full; Messages = M; Schedule = Nightly }
`);
  return file;
}

test('a Schedule Run line starts a Verify job at its level, which the catalog stores as Bareos\'s letter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-sched-verify-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    const { config: cfg } = loadDirectorConfig(config(dir, 'Level=InitCatalog Priority=3 daily at 23:05'));
    const generation = buildGeneration(cfg, { catalog, log, resolvePath: (p) => p, runConsoleCommand: async () => ({ ok: false, text: 'no console here' }), clock: systemClock, reservations: new VolumeReservations(), clientConnections: new ClientConnections() });
    const queue = new JobQueue({ env: () => generation.env, maxConcurrentJobs: () => 1 });
    const start = new Date('2026-03-02T22:00').getTime();
    const clock = new ManualClock(start);
    const submitted: number[] = [];
    const scheduler = new Scheduler(generation.schedule, clock, async (f) => {
      submitted.push((await queue.submit(scheduledPlan(cfg, f.item.job, f.run.overrides, (p) => p))).jobId);
    }, log);
    const stop = new AbortController();
    const running = scheduler.run(stop.signal);
    await clock.advanceTo(start + 2 * 3_600_000);
    stop.abort();
    await running;
    await queue.wait();
    assert.equal(submitted.length, 1);
    const job = await catalog.getJob(submitted[0] ?? 0);
    assert.equal(job?.type, 'V');
    assert.equal(job?.level, 'V', 'InitCatalog, as the Run line says (the Job says Catalog)');
    assert.equal(job?.status, 'f', 'no File daemon answers');
    assert.match((await catalog.getLog(job?.jobId ?? 0)).map((l) => l.text).join('\n'), /Start Verify JobId=\d+ Level=InitCatalog Job=check\./);
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Run line whose level belongs to another job type is refused when the schedule is loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-sched-verify-'));
  try {
    const { config: cfg } = loadDirectorConfig(config(dir, 'Level=Full daily at 23:05'));
    assert.throws(() => scheduleEntries(cfg), { code: 'CONFIG_INVALID', message: /burrow-dir.conf:10: Job "check": Schedule: "Nightly": Run = "Level=Full daily at 23:05": Level=Full is not a level of a Verify job/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
