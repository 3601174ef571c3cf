/**
 * purge files|jobs|volume (Bareos's ua_purge.cc): delete catalog records whatever
 * their retention. `purge files jobid=|client=`, `purge jobs jobid=|client=|volume=|pool=`,
 * `purge volume=NAME [action=truncate storage=NAME]`. Never a running job; data on
 * volumes stays until the volume is recycled or truncated (Action On Purge = Truncate).
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import type { JobRow } from '../../catalog/index.js';
import { purgeFiles, purgeJobs, purgeVolume, type PurgeResult } from '../../media/purge.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, flag, ids, text } from '../arg-types.js';
import { keywordInput } from '../args.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';
import { confirmed, renderLines, visiblePool, visibleVolume, volumeSubject, type LinesResult } from './media-common.js';
import { truncateVolume } from './truncate.js';

export interface PurgeOutput extends LinesResult {
  purgedjobids: number[];
}

const purgeArgs = z.object({
  what: choice(['files', 'jobs', 'volume'], 'say files, jobs or volume'),
  jobid: ids().optional(),
  client: text().optional(),
  volume: text().optional(),
  pool: text().optional(),
  storage: text().optional(),
  action: choice(['truncate'], 'action= takes truncate').optional(),
  yes: flag().optional(),
}).strict();
type PurgeArgs = z.output<typeof purgeArgs>;

/** The jobs the arguments name: jobid=, client=, volume= or pool=. */
async function jobsNamed(ctx: ConsoleContext, a: PurgeArgs): Promise<{ jobs: JobRow[]; head: string[] }> {
  if (a.jobid?.length) return { jobs: await Promise.all(a.jobid.map((id) => visibleJob(ctx, id))), head: [] };
  if (a.client) {
    const client = findResource(ctx.config.clients, a.client);
    if (!client || !consoleScope(ctx).clientAllowed(client.name)) throw new BurrowError('NOT_FOUND', `Client "${a.client}" is not defined`);
    const jobs = await ctx.catalog.listJobs({ client: client.name });
    return { jobs, head: [`Found ${jobs.length} Jobs for client "${client.name}" in catalog "${ctx.env.catalogName}".`] };
  }
  if (a.volume) {
    const m = await visibleVolume(ctx, a.volume);
    const jobs = await ctx.catalog.jobsOnMedia(m.mediaId);
    return { jobs, head: [`Found ${jobs.length} Jobs for media "${m.volumeName}" in catalog.`] };
  }
  if (a.pool) {
    const pool = await visiblePool(ctx, a.pool);
    const seen = new Map<number, JobRow>();
    for (const m of await ctx.catalog.listMedia({ poolId: pool.poolId })) for (const j of await ctx.catalog.jobsOnMedia(m.mediaId)) seen.set(j.jobId, j);
    const jobs = [...seen.values()].sort((x, y) => x.jobId - y.jobId);
    return { jobs, head: [`Found ${jobs.length} Jobs for pool "${pool.name}" in catalog.`] };
  }
  throw new BurrowError('BAD_REQUEST', `purge ${a.what}: give jobid=, client=, volume= or pool=`);
}

function output(r: PurgeResult, head: string[] = []): PurgeOutput {
  return { lines: [...head, ...r.lines], purgedjobids: r.purgedJobIds };
}

async function purgeVolumeCommand(ctx: ConsoleContext, a: PurgeArgs): Promise<PurgeOutput> {
  if (!a.volume) throw new BurrowError('BAD_REQUEST', 'purge volume: give volume=NAME');
  const m = await visibleVolume(ctx, a.volume);
  const out = output(await purgeVolume(ctx.catalog, m));
  if (a.action === 'truncate') {
    const after = (await ctx.catalog.getMedia(m.mediaId))!;
    out.lines.push(...(await truncateVolume(ctx, after, a.storage)));
  }
  return out;
}

export const purgeCommand = defineCommand({
  name: 'purge',
  help: 'Purge records from the catalog whatever their retention (files, jobs, volume)',
  usage: 'purge files jobid=<ids>|client=<client> yes | purge jobs jobid=<ids>|client=|volume=|pool= yes | purge volume=<name> [action=truncate [storage=<storage>]] yes',
  args: purgeArgs,
  positional: 'what',
  readLine: (words) => volumeSubject(keywordInput(words, 'what')),
  run: async (ctx, a): Promise<PurgeOutput> => {
    confirmed(a.yes, `purge ${a.what}`);
    if (a.what === 'volume') return purgeVolumeCommand(ctx, a);
    const { jobs, head } = await jobsNamed(ctx, a);
    return output(await (a.what === 'files' ? purgeFiles : purgeJobs)(ctx.catalog, jobs), head);
  },
  render: renderLines,
});
