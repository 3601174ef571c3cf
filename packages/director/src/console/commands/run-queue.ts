/** The end of every run command: the summary Bareos shows, and the job queued once "yes" is given. */
import type { JobPlan } from '../../jobs/plan.js';
import type { Args } from '../args.js';
import { ok, type CommandResult, type ConsoleContext } from '../command.js';

export function queueOrShow(ctx: ConsoleContext, args: Args, { plan, summary }: { plan: JobPlan; summary: readonly string[] }): CommandResult {
  const text = summary.join('\n');
  if (!args.has('yes')) return ok(`${text}\nNot started: add "yes" to run it.`, { started: false });
  const id = ctx.queue.submit(plan);
  return ok(`${text}\nJob queued. JobId=${id.jobId}`, { jobid: id.jobId, job: id.job });
}
