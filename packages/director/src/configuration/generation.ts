/**
 * Builds a generation from a loaded configuration (at start and at each reload), and
 * writes the catalog rows the configuration names, as Bareos does when it starts: a
 * Pool row per Pool resource (kept up to date with its directives), a Client row per
 * Client and a Storage row per Storage.
 */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { Logger } from '@burrow/common/log/index';
import type { Catalog } from '../catalog/index.js';
import { JobLog } from '../jobs/job-log.js';
import type { JobEnv } from '../jobs/env.js';
import { MessageRouter } from '../messages/router.js';
import type { MessageType } from '../messages/job-lines.js';
import { logDate } from '../jobs/format.js';
import { scheduleEntries } from '../scheduler/scheduler.js';
import { writePoolRows } from '../media/pools.js';
import type { VolumeReservations } from '../media/reservations.js';
import type { Clock } from '../time/clock.js';
import type { ClientConnections } from '../fd/client-connections.js';
import type { Generation } from './live.js';

/** What stays the same across generations: the open catalog, the log, the config's root. */
export interface DirectorParts {
  readonly catalog: Catalog;
  readonly log: Logger;
  /** Paths in the configuration are relative to its directory. */
  readonly resolvePath: (p: string) => string;
  /** Runs a RunScript's `Console =` line as the Director's own console (main.ts). */
  readonly runConsoleCommand: JobEnv['runConsoleCommand'];
  readonly clock: Clock;
  readonly reservations: VolumeReservations;
  /** The File daemons' waiting connections: they outlive a reload. */
  readonly clientConnections: ClientConnections;
}

/** Throws CONFIG_INVALID (with every bad Run line) before anything is built. */
export function buildGeneration(config: DirectorConfig, parts: DirectorParts): Generation {
  const schedule = scheduleEntries(config);
  const directorName = config.director.name;
  const router: MessageRouter = new MessageRouter(config.messages, {
    resolvePath: parts.resolvePath, log: parts.log,
    // A job log of its own for the line, so a failed mail (after the job's end) changes no job's status.
    onDeliveryFailure: (f) => new JobLog(parts.catalog, f.jobId, directorName, router.localSink(f.messages)).error(f.text),
    jobVars: async (jobId) => {
      const job = await parts.catalog.getJob(jobId);
      return { d: directorName, i: String(jobId), ...(job ? { j: job.job, n: job.name, c: job.clientName ?? '' } : {}) };
    },
  });
  const env: JobEnv = {
    catalog: parts.catalog,
    clock: parts.clock,
    reservations: parts.reservations,
    clientConnections: parts.clientConnections,
    clientWaitMs: config.director.fdConnectTimeout * 1000,
    storageConnectMs: config.director.sdConnectTimeout * 1000,
    directorName,
    catalogName: config.catalogs[0]?.name ?? 'MyCatalog',
    log: parts.log,
    jobLog: (jobId, messages) => new JobLog(parts.catalog, jobId, directorName, router.sink(messages)),
    jobEnded: (jobId, messages, end) => router.jobEnded(jobId, messages, end),
    runConsoleCommand: parts.runConsoleCommand,
  };
  const daemonSink = router.sink(config.director.messages ?? '');
  const daemonMessage = (type: MessageType, text: string): void => daemonSink(type, `${logDate(parts.clock.now())} ${directorName}: ${text}`, null);
  return { config, env, schedule, daemonMessage };
}

/** The catalog rows of the configuration's Pools, Clients and Storages (idempotent). */
export async function writeResourceRows(catalog: Catalog, config: DirectorConfig): Promise<void> {
  await writePoolRows(catalog, config);
  for (const c of config.clients) await catalog.ensureClient(c.name);
  for (const s of config.storages) await catalog.ensureStorage(s.name);
}
