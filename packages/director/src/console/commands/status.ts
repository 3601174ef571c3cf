/** status: what the Director, a client or a storage daemon is doing; `status slots`: an autochanger's slots (slots.ts). */
import { z } from 'zod';
import { VERSION } from '@burrow/common/daemon/version';
import { BurrowError } from '@burrow/common/errors/index';
import { askStatus, daemonStatus } from '../../peer-connect.js';
import { openClient } from '../../fd/client-link.js';
import type { WaitingConnection } from '../../fd/client-connections.js';
import { PROTOCOL_VERSION } from '@burrow/common/proto/index';
import { clientTarget, storageTarget } from '../../setup/resolve.js';
import { elapsed, listDate, withCommas } from '../../jobs/format.js';
import { statusWords } from '../../jobs/status.js';
import type { JobRow } from '../../catalog/index.js';
import type { JobSummary } from '../../jobs/queue.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, count, text } from '../arg-types.js';
import { table } from '../text.js';
import { progressLines } from '@burrow/common/progress/index';
import { consoleScope } from '../scope.js';
import { storageNamed } from './mount.js';
import { renderSlots, statusSlots, type SlotRow } from './slots.js';
import { storageDrives, type StorageDrives } from './storage-drives.js';

export interface ScheduledRun {
  level: string;
  type: string;
  priority: number;
  /** When, as listings show times. */
  scheduled: string;
  name: string;
  schedule: string;
}

export interface DirectorStatus {
  director: string;
  version: string;
  /** When the Director started, as listings show times, and how long ago (ms). */
  started: string;
  uptime: number;
  scheduled: ScheduledRun[];
  running: JobSummary[];
  /** The last jobs that ended. */
  terminated: JobRow[];
  /** Connections File daemons opened to the Director, waiting for a job (Connection From Client To Director). */
  waitingClients: WaitingConnection[];
  /** When the status was taken, for the running jobs' elapsed times. */
  now: number;
}

/** A Director's own status, or the text a File or Storage daemon sent back. */
export type StatusResult = DirectorStatus | { client: string; text: string } | ({ storage: string; text: string } & StorageDrives) | { storage: string; slots: SlotRow[] };

async function directorStatus(ctx: ConsoleContext, days: number): Promise<DirectorStatus> {
  const scope = consoleScope(ctx);
  const running = ctx.queue.list().filter((j) => scope.jobAllowed({ name: j.name, clientName: j.client }));
  const terminated = (await ctx.catalog.listJobs({ limit: 10 })).filter((j) => ['T', 'W', 'E', 'f', 'A'].includes(j.status) && scope.jobAllowed(j));
  const scheduled = ctx.scheduler.upcoming(days).filter((f) => scope.jobAllowed({ name: f.item.job.name, clientName: f.item.job.client ?? null })).map((f) => ({
    level: f.run.overrides.level ?? f.item.job.level ?? 'Full', type: f.item.job.type ?? 'Backup',
    priority: f.run.overrides.priority ?? f.item.job.priority, scheduled: listDate(f.time), name: f.item.job.name, schedule: f.item.schedule,
  }));
  return {
    director: ctx.env.directorName, version: VERSION, started: listDate(ctx.state.startedAt), uptime: ctx.env.clock.now() - ctx.state.startedAt,
    scheduled, running, terminated, now: ctx.env.clock.now(), waitingClients: ctx.env.clientConnections.list().filter((w) => scope.clientAllowed(w.client)),
  };
}

function renderDirector(s: DirectorStatus): string {
  return [
    `${s.director} Version: ${s.version}`,
    `Daemon started ${s.started}, up ${elapsed(s.uptime)}.`,
    '',
    'Scheduled Jobs:',
    s.scheduled.length === 0 ? 'No Scheduled Jobs.' : table(['Level', 'Type', 'Pri', 'Scheduled', 'Job Name', 'Schedule'],
      s.scheduled.map((r) => [r.level, r.type, r.priority, r.scheduled, r.name, r.schedule])),
    ...(s.waitingClients.length === 0 ? [] : ['', 'Client Initiated Connections (waiting for jobs):', table(['Connect time', 'Protocol', 'Authenticated', 'Name'],
      s.waitingClients.map((w) => [listDate(w.since), PROTOCOL_VERSION, 1, w.client]))]),
    '',
    'Running Jobs:',
    s.running.length === 0 ? 'No Jobs running.' : table(['JobId', 'Level', 'Name', 'Status'],
      s.running.map((j) => [j.jobId, j.level, j.job, j.waitingFor ?? (j.state === 'running' ? 'is running' : 'is waiting execution')])),
    // What a running job waits for, which Bareos leaves to `status storage`: the operator sees it here too.
    ...s.running.flatMap((j) => (j.wait ? [`    JobId ${j.jobId} waits for ${j.wait.detail}, since ${listDate(j.wait.since)}.`] : [])),
    // How far each running job got, as Bareos's File daemon shows it: the Director counts what the catalog stored.
    ...s.running.flatMap((j) => runningProgress(j, s.now)),
    '',
    'Terminated Jobs:',
    table(['JobId', 'Level', 'Files', 'Bytes', 'Status', 'Finished', 'Name'],
      s.terminated.map((j) => [j.jobId, j.level, withCommas(j.jobFiles), withCommas(j.jobBytes), statusWords(j.status), listDate(j.endTime), j.name])),
  ].join('\n');
}

function runningProgress(j: JobSummary, now: number): string[] {
  if (j.state !== 'running' || j.startedAt === undefined) return [];
  const p = j.progress;
  const sample = p ? { files: p.files, bytes: p.bytes, file: p.file } : { files: 0, bytes: 0 };
  const rates = p ? { average: p.bytesPerSecond, last: p.lastBytesPerSecond } : { average: 0, last: 0 };
  return [`JobId ${j.jobId} Job ${j.job} is running.`, ...progressLines(sample, rates, now - j.startedAt)];
}

export const statusCommand = defineCommand({
  name: 'status',
  help: 'Report the status of the Director, a client or a storage daemon',
  usage: 'status [dir [days=N] | client=<name> | storage=<name> | slots storage=<name>]',
  args: z.object({
    what: choice(['dir', 'director', 'all', 'slots'], 'say dir, client=NAME, storage=NAME or slots storage=NAME').default('dir'),
    days: count().default(1),
    client: text().optional(),
    storage: text().optional(),
  }).strict(),
  positional: 'what',
  run: async (ctx, a): Promise<StatusResult> => {
    const scope = consoleScope(ctx);
    if (a.client !== undefined && !scope.clientAllowed(a.client)) throw new BurrowError('NOT_FOUND', `Client "${a.client}" is not defined`);
    if (a.storage !== undefined && !scope.storageAllowed(a.storage)) throw new BurrowError('NOT_FOUND', `Storage "${a.storage}" is not defined`);
    if (a.what === 'slots') {
      const storage = storageNamed(ctx, 'status slots', a.storage);
      return { storage, slots: await statusSlots(ctx, storageTarget(ctx.config, storage)) };
    }
    if (a.client !== undefined) return { client: a.client, text: await askStatus(await openClient(ctx.env, clientTarget(ctx.config, a.client))) };
    if (a.storage !== undefined) {
      const target = storageTarget(ctx.config, a.storage);
      const reply = await daemonStatus(target, 'storage', ctx.env.directorName);
      return { storage: target.name, text: reply.text, ...storageDrives(reply.json, target.device) };
    }
    return await directorStatus(ctx, a.days);
  },
  render: (r) => ('text' in r ? r.text : 'slots' in r ? renderSlots(r.slots) : renderDirector(r)),
});
