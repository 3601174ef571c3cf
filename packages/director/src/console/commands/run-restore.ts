/**
 * `run job=<Restore job> [bootstrap=FILE] [client=] [restoreclient=] [storage=] [where=]
 * [replace=] yes`: a restore of what a bootstrap file selects (docs/bootstrap-format.md),
 * as Bareos runs one; the file is the Job's `Bootstrap` unless bootstrap= names
 * another. Selecting files from the catalog is the restore command's work. Only the
 * Director's own console may name a file: the Director reads it, and its errors quote it.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { JobResource } from '@burrow/common/config/index';
import { resolveRestore } from '../../setup/resolve.js';
import type { RestorePlan } from '../../jobs/plan.js';
import type { ConsoleContext } from '../command.js';
import { consoleScope } from '../scope.js';

export interface RestoreRunSummary {
  type: 'Restore';
  jobname: string;
  bootstrap: string;
  /** '' for the original location. */
  where: string;
  replace: string;
  restoreclient: string;
  storage: string;
  priority: number;
}

export function restoreRun(
  ctx: ConsoleContext,
  a: { bootstrap?: string; client?: string; restoreclient?: string; storage?: string; where?: string; replace?: string },
  job: JobResource,
): { summary: RestoreRunSummary; plan: RestorePlan } {
  const file = a.bootstrap ?? job.bootstrap;
  if (file === undefined) {
    throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is a Restore job: use the restore command, or give bootstrap=FILE`);
  }
  if (consoleScope(ctx).restricted) throw new BurrowError('BAD_REQUEST', 'run: a restore from a bootstrap file is for the Director\'s own console; use the restore command');
  const plan = resolveRestore(ctx.config, {
    job, client: a.client ?? job.client ?? '', restoreClient: a.restoreclient, storage: a.storage, jobIds: [], paths: [],
    where: a.where, replace: a.replace, bootstrapFile: ctx.resolvePath(file),
  });
  const summary: RestoreRunSummary = {
    type: 'Restore', jobname: plan.jobName, bootstrap: plan.bootstrapFile ?? '', where: plan.where.toString('utf8'), replace: plan.replace,
    restoreclient: plan.restoreClient.name, storage: plan.storage.name, priority: plan.priority,
  };
  return { summary, plan };
}

export function renderRestoreRunSummary(s: RestoreRunSummary): string {
  return [
    'Run Restore job',
    `JobName:         ${s.jobname}`,
    `Bootstrap:       ${s.bootstrap}`,
    `Where:           ${s.where || '(original location)'}`,
    `Replace:         ${s.replace}`,
    `Restore Client:  ${s.restoreclient}`,
    `Storage:         ${s.storage}`,
    `Priority:        ${s.priority}`,
  ].join('\n');
}
