/** `run job=<Verify job> [level=] [jobid=] [client=] [fileset=] [storage=] yes`: queues a Verify. */
import { resolveVerify } from '../../setup/resolve.js';
import type { JobResource } from '@burrow/common/config/index';
import type { CommandResult, ConsoleContext } from '../command.js';
import type { Args } from '../args.js';
import { queueOrShow } from './run-queue.js';

export function runVerifyJob(ctx: ConsoleContext, args: Args, job: JobResource): CommandResult {
  const plan = resolveVerify(ctx.config, job, {
    level: args.get('level'), client: args.get('client'), fileset: args.get('fileset'), storage: args.get('storage'), jobId: args.int('jobid'),
  }, ctx.resolvePath);
  const summary = [
    'Run Verify job',
    `JobName:     ${plan.jobName}`,
    `Level:       ${plan.level}`,
    `Client:      ${plan.client.name}`,
    `FileSet:     ${plan.fileset.name}`,
    ...(plan.level === 'VolumeToCatalog' || plan.level === 'Data' ? [`Storage:     ${plan.storage.name}`] : []),
    `Verify Job:  ${plan.verifyJob ?? ''}`,
    `Verify List: ${plan.verifyJobId ?? ''}`,
    `Priority:    ${plan.priority}`,
  ];
  return queueOrShow(ctx, args, { plan, summary });
}
