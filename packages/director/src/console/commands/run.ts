/** run, wait, cancel: starting jobs and following them. */
import { BurrowError } from '@burrow/common/errors/index';
import { findJob, resolveBackup } from '../../setup/resolve.js';
import { LEVEL_NAMES } from '../../jobs/plan.js';
import { statusWords } from '../../jobs/status.js';
import { ok, type Command, type ConsoleContext } from '../command.js';
import type { JobResource } from '@burrow/common/config/index';
import type { Args } from '../args.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';
import { runRestoreJob } from './run-restore.js';
import { queueOrShow } from './run-queue.js';
import { runVerifyJob } from './run-verify.js';

export const runCommand: Command = {
  name: 'run',
  help: 'Run a job',
  usage: 'run job=<job-name> [level=Full|...|VolumeToCatalog] [client=] [fileset=] [pool=] [storage=] [jobid=<verified job>] [bootstrap=<file> where= replace=] yes',
  run: (ctx, args) => {
    const name = args.get('job') ?? args.firstWord();
    if (!name) throw new BurrowError('BAD_REQUEST', 'run: which job? give job=NAME ("show jobs" lists them)');
    const job = allowedJob(ctx, name);
    if (job.type === 'Restore') return runRestoreJob(ctx, args, job);
    if (job.type === 'Verify') return runVerifyJob(ctx, args, job);
    checkOverrides(ctx, args);
    const plan = resolveBackup(ctx.config, job, {
      level: args.get('level'), client: args.get('client'), fileset: args.get('fileset'), pool: args.get('pool'), storage: args.get('storage'),
    }, ctx.resolvePath);
    const summary = [
      'Run Backup job',
      `JobName:  ${plan.jobName}`,
      `Level:    ${LEVEL_NAMES[plan.level]}`,
      `Client:   ${plan.client.name}`,
      `FileSet:  ${plan.fileset.name}`,
      `Pool:     ${plan.pool.name}`,
      `Storage:  ${plan.storage.name}`,
      `Priority: ${plan.priority}`,
    ];
    return queueOrShow(ctx, args, { plan, summary });
  },
};

export const waitCommand: Command = {
  name: 'wait',
  help: 'Wait until no jobs are running, or until one job ends',
  usage: 'wait [jobid=<id>]',
  run: async (ctx, args) => {
    const jobId = args.int('jobid');
    if (jobId !== undefined) visibleJob(ctx, jobId);
    const scope = consoleScope(ctx);
    const ids = jobId !== undefined ? [jobId] : ctx.queue.list().filter((j) => scope.jobAllowed({ name: j.name, clientName: j.client })).map((j) => j.jobId);
    await ctx.queue.wait(jobId);
    const rows = ids.map((id) => ctx.catalog.getJob(id)).filter((j) => j !== undefined);
    if (jobId !== undefined && rows.length === 0) throw new BurrowError('NOT_FOUND', `JobId ${jobId} does not exist`);
    const good = rows.every((j) => j.status === 'T' || j.status === 'W');
    const text = rows.map((j) => `JobId=${j.jobId}\nJobStatus=${statusWords(j.status)} (${j.status})`).join('\n');
    return { ok: good, text, data: rows.map((j) => ({ jobid: j.jobId, jobstatus: j.status })) };
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  help: 'Cancel a waiting or running job',
  usage: 'cancel jobid=<id>',
  run: (ctx, args) => {
    const jobId = args.int('jobid');
    if (jobId === undefined) throw new BurrowError('BAD_REQUEST', 'cancel: give jobid=N');
    visibleJob(ctx, jobId);
    if (!ctx.queue.cancel(jobId)) throw new BurrowError('NOT_FOUND', `JobId ${jobId} is not waiting or running`);
    return ok(`JobId ${jobId} marked to be canceled.`, { jobid: jobId });
  },
};

/** A Job this console may run, with its client; otherwise it is not defined (for this console). */
export function allowedJob(ctx: ConsoleContext, name: string): JobResource {
  const job = findJob(ctx.config, name);
  if (!consoleScope(ctx).jobAllowed({ name: job.name, clientName: job.client ?? null })) throw new BurrowError('NOT_FOUND', `Job "${name}" is not defined; "show jobs" lists them`);
  return job;
}

/** client=, fileset=, pool=, storage= on run and estimate must be within the console's ACLs. */
export function checkOverrides(ctx: ConsoleContext, args: Args): void {
  const scope = consoleScope(ctx);
  const checks: Array<[string, (n: string) => boolean, string]> = [
    ['client', (n) => scope.clientAllowed(n), 'Client'], ['fileset', (n) => scope.fileSetAllowed(n), 'FileSet'],
    ['pool', (n) => scope.poolAllowed(n), 'Pool'], ['storage', (n) => scope.storageAllowed(n), 'Storage'],
  ];
  for (const [key, allowed, type] of checks) {
    const v = args.get(key);
    if (v !== undefined && !allowed(v)) throw new BurrowError('NOT_FOUND', `${type} "${v}" is not defined`);
  }
}
