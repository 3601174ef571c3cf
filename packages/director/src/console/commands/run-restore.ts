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
import type { CommandResult, ConsoleContext } from '../command.js';
import type { Args } from '../args.js';
import { queueOrShow } from './run-queue.js';
import { consoleScope } from '../scope.js';

export function runRestoreJob(ctx: ConsoleContext, args: Args, job: JobResource): CommandResult {
  const given = args.get('bootstrap');
  const file = given ?? job.bootstrap;
  if (file === undefined) {
    throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is a Restore job: use the restore command, or give bootstrap=FILE`);
  }
  const scope = consoleScope(ctx);
  if (scope.restricted) throw new BurrowError('BAD_REQUEST', 'run: a restore from a bootstrap file is for the Director\'s own console; use the restore command');
  const client = args.get('client') ?? job.client ?? '';
  const plan = resolveRestore(ctx.config, {
    job, client, restoreClient: args.get('restoreclient'), storage: args.get('storage'), jobIds: [], paths: [],
    where: args.get('where'), replace: args.get('replace'), bootstrapFile: ctx.resolvePath(file),
  });
  const summary = [
    'Run Restore job',
    `JobName:         ${plan.jobName}`,
    `Bootstrap:       ${plan.bootstrapFile ?? ''}`,
    `Where:           ${plan.where.length ? plan.where.toString('utf8') : '(original location)'}`,
    `Replace:         ${plan.replace}`,
    `Restore Client:  ${plan.restoreClient.name}`,
    `Storage:         ${plan.storage.name}`,
    `Priority:        ${plan.priority}`,
  ];
  return queueOrShow(ctx, args, { plan, summary });
}
