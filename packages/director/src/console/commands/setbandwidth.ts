/**
 * setbandwidth limit=<kb/s> [jobid=<id> | client=<name>]: Bareos's command to change the
 * bandwidth limit of a running job (jobid=) or of every running job of a client
 * (client=) while they run. The limit is in kb/s of 1024 bytes, as Bareos reads it; 0
 * lifts it. The File daemon never goes above its own Maximum Bandwidth Per Job.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { openClient } from '../../fd/client-link.js';
import { clientTarget } from '../../setup/resolve.js';
import { defineCommand } from '../command.js';
import { count, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';

export interface SetBandwidthResult {
  client: string;
  jobid: number | null;
  /** The limit in kb/s (1024 bytes), 0: none. */
  limit: number;
  /** How many running jobs took it. */
  jobs: number;
}

const KB = 1024;

export const setbandwidthCommand = defineCommand({
  name: 'setbandwidth',
  help: 'Set the bandwidth limit of a running job or of a client\'s running jobs',
  usage: 'setbandwidth limit=<kb/s> [jobid=<id> | client=<name>]',
  args: z.object({ limit: count().optional(), jobid: count().optional(), client: text().optional() }).strict(),
  run: async (ctx, a): Promise<SetBandwidthResult> => {
    if (a.limit === undefined) throw new BurrowError('BAD_REQUEST', 'setbandwidth: give limit=<kb/s>');
    const client = a.jobid !== undefined ? await runningJobClient(ctx, a.jobid) : a.client;
    if (client === undefined) throw new BurrowError('BAD_REQUEST', 'setbandwidth: give jobid=<id> or client=<name>');
    if (!consoleScope(ctx).clientAllowed(client)) throw new BurrowError('NOT_FOUND', `Client "${client}" is not defined`);
    const fd = await openClient(ctx.env, clientTarget(ctx.config, client));
    try {
      await fd.send('fdSetBandwidth', { jobId: a.jobid ?? 0, bytesPerSecond: a.limit * KB });
      const reply = await fd.expect('fdSetBandwidthReply');
      if (a.jobid !== undefined && reply.jobs === 0) throw new BurrowError('NOT_FOUND', `JobId ${a.jobid} is not running on Client "${client}"`);
      return { client, jobid: a.jobid ?? null, limit: a.limit, jobs: reply.jobs };
    } finally {
      fd.close('setbandwidth done');
    }
  },
  render: (r) => `2000 OK Bandwidth ${r.limit === 0 ? 'unlimited' : `${r.limit} kb/s`} for ${r.jobid === null ? `${r.jobs} running job(s) of Client "${r.client}"` : `JobId ${r.jobid} on Client "${r.client}"`}`,
});

/** The client of a running job the console may see. */
async function runningJobClient(ctx: Parameters<typeof visibleJob>[0], jobId: number): Promise<string> {
  await visibleJob(ctx, jobId);
  const job = ctx.queue.list().find((j) => j.jobId === jobId && j.state === 'running');
  if (!job) throw new BurrowError('NOT_FOUND', `JobId ${jobId} is not running`);
  return job.client;
}
