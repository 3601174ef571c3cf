import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '@burrow/common/log/index';
import { type Catalog, openSqliteCatalog } from '../catalog/index.js';
import type { JobEnv } from './env.js';
import { JobLog } from './job-log.js';
import { ClientConnections } from '../fd/client-connections.js';
import { VolumeReservations } from '../media/reservations.js';
import { systemClock } from '../time/clock.js';
import { runJob, type JobType } from './lifecycle.js';
import type { RunScript } from './run-scripts.js';

/** A real catalog in a temporary directory, and an env whose job log keeps every line. */
function world(): { env: JobEnv; catalog: Catalog; lines: string[]; ended: string[]; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-lifecycle-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  const lines: string[] = [];
  const ended: string[] = [];
  const env: JobEnv = {
    catalog, clock: systemClock, reservations: new VolumeReservations(), clientConnections: new ClientConnections(), clientWaitMs: 1000, storageConnectMs: 1000, directorName: 'dir', catalogName: 'MyCatalog', log: createLogger({ name: 'test', level: 'silent' }),
    jobLog: (jobId) => new JobLog(catalog, jobId, 'dir', (_type, line) => lines.push(line)),
    jobEnded: async (_jobId, _messages, end) => { ended.push(end.status); },
    runConsoleCommand: async (line) => (line === 'list jobs' ? { ok: true, text: 'No results to list.' } : { ok: false, text: `${line}: is an invalid command.` }),
  };
  return { env, catalog, lines, ended, cleanup: () => { catalog.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const script = (command: string, runsWhen: RunScript['runsWhen']): RunScript => ({
  commands: [command], consoleCommands: [], runsWhen, runsOnClient: false, runsOnSuccess: true, runsOnFailure: true, failJobOnError: true,
});

/** A job type that records the template's calls; its daemons end with `fd` and `sd`. */
function fakeJob(calls: string[], o: { scripts?: RunScript[]; fd?: 'T' | 'E'; fail?: boolean } = {}): JobType {
  const totals = { fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E' as const, sdStatus: 'E' as const };
  return {
    noun: 'backup', messages: 'Standard', scripts: o.scripts ?? [], totals: totals as JobType['totals'],
    start: ({ log }) => { calls.push('start'); log.info('Start Fake'); },
    vars: (_ctx, status) => ({ e: status ?? '' }),
    open: async () => {
      calls.push('open');
      if (o.fail) throw new Error('the SD is gone');
      const t = totals as JobType['totals'];
      t.fdStatus = o.fd ?? 'T';
      t.sdStatus = 'T';
      t.fdFiles = 3;
      return [];
    },
    conversed: () => { calls.push('conversed'); },
    counts: () => { calls.push('counts'); return { jobFiles: 3, jobBytes: 30 }; },
    report: (r) => { calls.push('report'); return `Termination: ${r.status}`; },
  };
}

async function newJob(catalog: Catalog): Promise<{ jobId: number; job: string; schedTime: number }> {
  const clientId = await catalog.ensureClient('c');
  const jobId = await catalog.createJob({ name: 'j', type: 'B', level: 'F', clientId, fileSetId: null, poolId: null, schedTime: 1 });
  return { jobId, job: (await catalog.getJob(jobId))?.job ?? '', schedTime: 1 };
}

test('a job runs start, its conversation, its checks, then ends in the catalog with its report', async () => {
  const w = world();
  try {
    const id = await newJob(w.catalog);
    const calls: string[] = [];
    const status = await runJob(fakeJob(calls, { scripts: [script('/bin/true', 'Before'), script('/bin/true', 'After')] }), { env: w.env, id, signal: new AbortController().signal });
    assert.equal(status, 'T');
    assert.deepEqual(calls, ['start', 'open', 'conversed', 'counts', 'report']);
    const row = await w.catalog.getJob(id.jobId);
    assert.equal(row?.status, 'T');
    assert.equal(row?.jobFiles, 3);
    assert.equal(row?.jobBytes, 30);
    assert.match(w.lines.join('\n'), /Start Fake[\s\S]*BeforeJob: run command "\/bin\/true"[\s\S]*AfterJob: run command "\/bin\/true"[\s\S]*Termination: T/);
    assert.deepEqual(w.ended, ['T']);
  } finally {
    w.cleanup();
  }
});

test('a failing Before script keeps the job from talking to its daemons, and the job fails', async () => {
  const w = world();
  try {
    const id = await newJob(w.catalog);
    const calls: string[] = [];
    const status = await runJob(fakeJob(calls, { scripts: [script('/bin/false', 'Before')] }), { env: w.env, id, signal: new AbortController().signal });
    assert.equal(status, 'f');
    assert.deepEqual(calls, ['start', 'conversed', 'counts', 'report']);
    assert.match(w.lines.join('\n'), /Fatal error: a Run Before Job script failed: the backup does not run/);
    assert.equal((await w.catalog.getJob(id.jobId))?.status, 'f');
  } finally {
    w.cleanup();
  }
});

test('a conversation that fails ends the job in a fatal error, and a failing After script in Error', async () => {
  const w = world();
  try {
    const failed = await runJob(fakeJob([], { fail: true }), { env: w.env, id: await newJob(w.catalog), signal: new AbortController().signal });
    assert.equal(failed, 'f');
    assert.match(w.lines.join('\n'), /Fatal error: the SD is gone/);
    const after = await runJob(fakeJob([], { scripts: [script('/bin/false', 'After')] }), { env: w.env, id: await newJob(w.catalog), signal: new AbortController().signal });
    assert.equal(after, 'E');
    assert.match(w.lines.join('\n'), /Error: AfterJob: command "\/bin\/false" failed: exit status 1/);
  } finally {
    w.cleanup();
  }
});

test('a job log line the catalog does not keep goes to the Messages destinations, and written() rejects with it', async () => {
  const w = world();
  try {
    const { jobId } = await newJob(w.catalog);
    const log = w.env.jobLog(jobId, 'Standard');
    log.info('kept');
    const orphan = new JobLog(w.catalog, jobId + 1000, 'dir', (_type, line) => w.lines.push(line));
    orphan.info('not kept: no such job');
    await log.written();
    await assert.rejects(orphan.written(), { name: 'BurrowError', code: 'CATALOG' });
    assert.deepEqual((await w.catalog.getLog(jobId)).map((l) => l.text.replace(/^.*: /, '')), ['kept']);
    assert.ok(w.lines.some((l) => l.includes(`JobId ${jobId + 1000}: Error: the catalog did not keep a line of this job's log`)), w.lines.join('\n'));
  } finally {
    w.cleanup();
  }
});
