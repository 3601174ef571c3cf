/** run, wait, cancel: starting jobs and following them. */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import type { JobResource } from '@burrow/common/config/index';
import { findJob, resolveBackup } from '../../setup/resolve.js';
import { LEVEL_NAMES, type BackupPlan } from '../../jobs/plan.js';
import { statusWords } from '../../jobs/status.js';
import type { JobStatus } from '../../catalog/index.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, count, flag, maybeEmpty, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';
import { renderVerifySummary, verifyRun, type VerifySummary } from './run-verify.js';
import { renderRestoreRunSummary, restoreRun, type RestoreRunSummary } from './run-restore.js';

export interface BackupSummary {
  type: 'Backup';
  jobname: string;
  level: string;
  client: string;
  fileset: string;
  pool: string;
  storage: string;
  priority: number;
}

/** The job a run would start, and whether it was started (`yes`) or only shown. */
export type RunResult = (BackupSummary | VerifySummary | RestoreRunSummary) & ({ started: false } | { started: true; jobid: number; job: string });

/** The resources a run (or an estimate) may name instead of the Job's own. */
export interface Overrides {
  client?: string;
  fileset?: string;
  pool?: string;
  storage?: string;
}

export const runArgs = z.object({
  job: text().optional(),
  level: text().optional(),
  client: text().optional(),
  fileset: text().optional(),
  pool: text().optional(),
  storage: text().optional(),
  /** A Backup's Spool Data for this run (Bareos's run keyword). */
  spooldata: choice(['yes', 'no'], '%k must be yes or no').optional(),
  /** A Verify's job to verify. */
  jobid: count().optional(),
  /** A Restore job's bootstrap file, and where and how it restores. */
  bootstrap: text().optional(),
  where: maybeEmpty().optional(),
  replace: text().optional(),
  restoreclient: text().optional(),
  yes: flag().optional(),
}).strict();
type RunArgs = z.output<typeof runArgs>;

/** The keywords each type of Job takes (besides job= and yes): any other is refused, not ignored. */
const TAKES: Record<'Backup' | 'Verify' | 'Restore', ReadonlyArray<keyof RunArgs>> = {
  Backup: ['level', 'client', 'fileset', 'pool', 'storage', 'spooldata'],
  Verify: ['level', 'client', 'fileset', 'storage', 'jobid'],
  Restore: ['bootstrap', 'client', 'restoreclient', 'storage', 'where', 'replace'],
};

function checkKeywords(a: RunArgs, type: keyof typeof TAKES, job: string): void {
  const wrong = (Object.keys(a) as Array<keyof RunArgs>).filter((k) => k !== 'job' && k !== 'yes' && a[k] !== undefined && !TAKES[type].includes(k));
  if (wrong.length > 0) throw new BurrowError('BAD_REQUEST', `run: Job "${job}" is a ${type} job; it does not take ${wrong.map((k) => `${k}=`).join(', ')}`);
}

/** A Job this console may run, with its client; otherwise it is not defined (for this console). */
export function allowedJob(ctx: ConsoleContext, name: string): JobResource {
  const job = findJob(ctx.config, name);
  if (!consoleScope(ctx).jobAllowed({ name: job.name, clientName: job.client ?? null })) throw new BurrowError('NOT_FOUND', `Job "${name}" is not defined; "show jobs" lists them`);
  return job;
}

/** client=, fileset=, pool=, storage= on run and estimate must be within the console's ACLs. */
export function checkOverrides(ctx: ConsoleContext, o: Overrides): void {
  const scope = consoleScope(ctx);
  const checks: Array<[string | undefined, (n: string) => boolean, string]> = [
    [o.client, (n) => scope.clientAllowed(n), 'Client'], [o.fileset, (n) => scope.fileSetAllowed(n), 'FileSet'],
    [o.pool, (n) => scope.poolAllowed(n), 'Pool'], [o.storage, (n) => scope.storageAllowed(n), 'Storage'],
  ];
  for (const [v, allowed, type] of checks) if (v !== undefined && !allowed(v)) throw new BurrowError('NOT_FOUND', `${type} "${v}" is not defined`);
}

function backupRun(ctx: ConsoleContext, a: Omit<RunArgs, 'job'>, job: JobResource): { summary: BackupSummary; plan: BackupPlan } {
  const spoolData = a.spooldata === undefined ? undefined : a.spooldata === 'yes';
  const plan = resolveBackup(ctx.config, job, { level: a.level, client: a.client, fileset: a.fileset, pool: a.pool, storage: a.storage, spoolData }, ctx.resolvePath);
  const summary: BackupSummary = {
    type: 'Backup', jobname: plan.jobName, level: LEVEL_NAMES[plan.level], client: plan.client.name, fileset: plan.fileset.name,
    pool: plan.pool.name, storage: plan.storage.name, priority: plan.priority,
  };
  return { summary, plan };
}

function renderBackupSummary(s: BackupSummary): string {
  return [
    'Run Backup job',
    `JobName:  ${s.jobname}`,
    `Level:    ${s.level}`,
    `Client:   ${s.client}`,
    `FileSet:  ${s.fileset}`,
    `Pool:     ${s.pool}`,
    `Storage:  ${s.storage}`,
    `Priority: ${s.priority}`,
  ].join('\n');
}

export const runCommand = defineCommand({
  name: 'run',
  help: 'Run a job',
  usage: 'run job=<job-name> [level=Full|...|VolumeToCatalog] [client=] [fileset=] [pool=] [storage=] [spooldata=yes|no] [jobid=<verified job>] [bootstrap=<file> where= replace= restoreclient=] yes',
  args: runArgs,
  positional: 'job',
  run: async (ctx, a): Promise<RunResult> => {
    if (!a.job) throw new BurrowError('BAD_REQUEST', 'run: which job? give job=NAME ("show jobs" lists them)');
    const job = allowedJob(ctx, a.job);
    const type = job.type === 'Restore' || job.type === 'Verify' ? job.type : 'Backup';
    checkKeywords(a, type, job.name);
    checkOverrides(ctx, a);
    const { summary, plan } = type === 'Restore' ? restoreRun(ctx, a, job) : type === 'Verify' ? verifyRun(ctx, a, job) : backupRun(ctx, a, job);
    if (!a.yes) return { ...summary, started: false };
    const id = await ctx.queue.submit(plan);
    return { ...summary, started: true, jobid: id.jobId, job: id.job };
  },
  render: renderRun,
});

function renderRun(r: RunResult): string {
  const summary = r.type === 'Backup' ? renderBackupSummary(r) : r.type === 'Verify' ? renderVerifySummary(r) : renderRestoreRunSummary(r);
  return `${summary}\n${r.started ? `Job queued. JobId=${r.jobid}` : 'Not started: add "yes" to run it.'}`;
}

/**
 * rerun (Bareos's): a backup again as it ran, by its JobId: its Job with the level,
 * client, FileSet and pool the catalog recorded for it (the storage is the Job's, as
 * run chooses it). The Job's resources must still exist and be within the console's
 * ACLs, as for run; a restore or verify is started with run.
 */
export const rerunCommand = defineCommand({
  name: 'rerun',
  help: 'Run a backup again with its level, client, FileSet and pool',
  usage: 'rerun jobid=<id> yes',
  args: z.object({ jobid: count().optional(), yes: flag().optional() }).strict(),
  run: async (ctx, a): Promise<RunResult> => {
    if (a.jobid === undefined) throw new BurrowError('BAD_REQUEST', 'rerun: give jobid=N');
    const row = await visibleJob(ctx, a.jobid);
    if (row.type !== 'B') throw new BurrowError('BAD_REQUEST', `rerun: JobId ${a.jobid} is not a backup; "run job=" starts a restore or a verify`);
    const job = allowedJob(ctx, row.name);
    if (job.type !== 'Backup') throw new BurrowError('BAD_REQUEST', `rerun: Job "${job.name}" is no longer a Backup job`);
    const again: Overrides & { level?: string } = {
      level: LEVEL_NAMES[row.level as BackupPlan['level']], client: row.clientName ?? undefined, fileset: row.fileSetName ?? undefined, pool: row.poolName ?? undefined,
    };
    checkOverrides(ctx, again);
    const { summary, plan } = backupRun(ctx, again, job);
    if (!a.yes) return { ...summary, started: false };
    const id = await ctx.queue.submit(plan);
    return { ...summary, started: true, jobid: id.jobId, job: id.job };
  },
  render: renderRun,
});

export interface WaitResult {
  /** How each job waited for ended (Bareos's status letter). */
  jobs: Array<{ jobid: number; jobstatus: JobStatus }>;
}

export const waitCommand = defineCommand({
  name: 'wait',
  help: 'Wait until no jobs are running, or until one job ends',
  usage: 'wait [jobid=<id>]',
  args: z.object({ jobid: count().optional() }).strict(),
  run: async (ctx, a): Promise<WaitResult> => {
    if (a.jobid !== undefined) await visibleJob(ctx, a.jobid);
    const scope = consoleScope(ctx);
    const ids = a.jobid !== undefined ? [a.jobid] : ctx.queue.list().filter((j) => scope.jobAllowed({ name: j.name, clientName: j.client })).map((j) => j.jobId);
    await ctx.queue.wait(a.jobid);
    const rows = (await Promise.all(ids.map((id) => ctx.catalog.getJob(id)))).filter((j) => j !== undefined);
    if (a.jobid !== undefined && rows.length === 0) throw new BurrowError('NOT_FOUND', `JobId ${a.jobid} does not exist`);
    return { jobs: rows.map((j) => ({ jobid: j.jobId, jobstatus: j.status })) };
  },
  render: (r) => r.jobs.map((j) => `JobId=${j.jobid}\nJobStatus=${statusWords(j.jobstatus)} (${j.jobstatus})`).join('\n'),
  // bconsole exits non-zero when a job waited for did not end well.
  succeeded: (r) => r.jobs.every((j) => j.jobstatus === 'T' || j.jobstatus === 'W'),
});

export interface CancelResult {
  jobid: number;
}

export const cancelCommand = defineCommand({
  name: 'cancel',
  help: 'Cancel a waiting or running job',
  usage: 'cancel jobid=<id>',
  args: z.object({ jobid: count().optional() }).strict(),
  run: async (ctx, a): Promise<CancelResult> => {
    if (a.jobid === undefined) throw new BurrowError('BAD_REQUEST', 'cancel: give jobid=N');
    await visibleJob(ctx, a.jobid);
    if (!ctx.queue.cancel(a.jobid)) throw new BurrowError('NOT_FOUND', `JobId ${a.jobid} is not waiting or running`);
    return { jobid: a.jobid };
  },
  render: (r) => `JobId ${r.jobid} marked to be canceled.`,
});
