/**
 * The one life of every Director job, in Bareos's order (dird/job.cc job_thread): the
 * job starts (catalog row, start line), the Director's Before scripts run, the job talks
 * to its daemons, its After scripts run, its end goes into the catalog, the report
 * ends its log, and its Messages resource may mail the log. Each job type (backup.ts,
 * restore.ts, verify.ts) fills in only what differs: what it opens and how it
 * converses, what it counts, and its report.
 */
import type { JobEnv, JobIdentity } from './env.js';
import type { JobLog } from './job-log.js';
import type { DriveChange } from './events.js';
import type { PercentVars } from '../messages/percent.js';
import type { ClientTotals } from './peer-totals.js';
import type { ReportCommon } from './report.js';
import { converse, finalStatus, type Peers } from './conversation.js';
import { runDirectorScripts, type RunScript } from './run-scripts.js';
import type { FinalStatus } from './status.js';
import { JobWaits } from './waits.js';

/** What a job sees while it runs. */
export interface JobContext {
  env: JobEnv;
  id: JobIdentity;
  log: JobLog;
  /** What the job waits for now, and how long it has waited (status dir, Max Wait Time). */
  waits: JobWaits;
  signal: AbortSignal;
  /** The names of those of its Storages below their Director limit now, other jobs counted (admission.ts); absent: all. */
  storagesWithRoom?: () => string[];
  /** Tells what the job learns of its drives (jobs/drive-session.ts): the queue makes them live events. */
  drive?: (change: Omit<DriveChange, 'jobId'>) => void;
}

/** The catalog's end-of-job numbers a job type counts (errors are counted here). */
export interface JobCounts {
  jobFiles: number;
  jobBytes: number;
  readBytes?: number;
  since?: number | null;
}

/** The statuses the template combines into the job's final status. */
export interface PeerTotals extends ClientTotals {
  sdStatus: FinalStatus;
}

/** What a job type fills in. Methods run in the order they are listed. */
export interface JobType {
  /** Bareos's word for the type, in the refused-job line. */
  noun: 'backup' | 'restore' | 'verify';
  messages: string;
  scripts: readonly RunScript[];
  totals: PeerTotals;
  /** The first lines of the log, after the catalog row says the job runs. */
  start(ctx: JobContext): void | Promise<void>;
  /** The % codes of scripts and mail commands; `status` once the job has one. */
  vars(ctx: JobContext, status?: FinalStatus): PercentVars;
  /** Opens the connections, gives the orders, returns the tasks that serve each peer. */
  open(ctx: JobContext, peers: Peers): Promise<Array<Promise<void>>>;
  /** After the conversation, before the After scripts (checks that need it complete). */
  conversed?(ctx: JobContext): Promise<void> | void;
  counts(): JobCounts;
  /**
   * A job that failed but keeps what it saved (a backup past a checkpoint): how many
   * files it keeps, its catalog rows trimmed to them; null when it keeps nothing.
   */
  keeps?(ctx: JobContext): Promise<number | null>;
  report(common: ReportCommon): string;
  /** The Storage it uses now, when it chooses among several (a backup); the queue counts it there. */
  storageInUse?(): string;
}

/** Runs a job of any type to its end; returns its final status. */
export async function runJob(job: JobType, { env, id, signal, waits, storagesWithRoom, drive }: Omit<JobContext, 'log' | 'waits'> & { waits?: JobWaits }): Promise<FinalStatus> {
  const log = env.jobLog(id.jobId, job.messages);
  const ctx: JobContext = { env, id, log, signal, waits: waits ?? new JobWaits(() => env.clock.now(), null), ...(storagesWithRoom ? { storagesWithRoom } : {}), ...(drive ? { drive } : {}) };
  const startTime = env.clock.now();
  await env.catalog.startJob(id.jobId, startTime);
  await job.start(ctx);
  const scripts = { scripts: job.scripts, log, console: env.runConsoleCommand, signal };
  if (!(await runDirectorScripts({ ...scripts, when: 'Before', jobOk: true, vars: job.vars(ctx) }))) {
    log.fatal(`a Run Before Job script failed: the ${job.noun} does not run`);
  } else {
    await converse({ jobId: id.jobId, log, signal, open: (peers) => job.open(ctx, peers) });
  }
  await job.conversed?.(ctx);
  const { totals } = job;
  const ran = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  if (!(await runDirectorScripts({ ...scripts, when: 'After', jobOk: ran === 'T' || ran === 'W', vars: job.vars(ctx, ran) }))) log.worsen('E');
  const failed = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  const kept = failed === 'E' || failed === 'f' ? await job.keeps?.(ctx) ?? null : null;
  const status: FinalStatus = kept === null ? failed : 'I';
  const endTime = env.clock.now();
  await env.catalog.finishJob(id.jobId, {
    status, endTime, jobErrors: log.errors + totals.fdErrors, ...job.counts(), ...(kept === null ? {} : { jobFiles: kept }),
  });
  log.report(job.report({ env, id, startTime, endTime, status, errors: log.errors }));
  await log.written();
  await env.jobEnded(id.jobId, job.messages, { status, vars: job.vars(ctx, status) });
  return status;
}
