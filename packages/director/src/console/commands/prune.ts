/**
 * prune files|jobs|volume (Bareos's ua_prune.cc): apply the retentions now. Files and
 * jobs of a client (client=, and pool= for the Pool's retention, which wins when set),
 * one volume (volume=) or all of a pool's (volume all pool=). Catalog rows only, never
 * a running job, never a link of a kept restore chain (media/chains.ts).
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { pruneFiles, pruneJobs, pruneVolume, pruneVolumes, type PruneResult } from '../../media/prune.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, flag, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { keywordInput } from '../args.js';
import { confirmed, durationText, renderLines, visiblePool, visibleVolume, volumeSubject, type LinesResult } from './media-common.js';

export interface PruneOutput extends LinesResult {
  prunedjobids: number[];
  purgedvolumes: string[];
}

const pruneArgs = z.object({
  what: choice(['files', 'jobs', 'volume'], 'say files, jobs or volume'),
  client: text().optional(),
  pool: text().optional(),
  volume: text().optional(),
  all: flag().optional(),
  yes: flag().optional(),
}).strict();
type PruneArgs = z.output<typeof pruneArgs>;

function output(results: readonly PruneResult[], head: string[] = []): PruneOutput {
  return {
    lines: [...head, ...results.flatMap((r) => r.lines)],
    prunedjobids: results.flatMap((r) => r.prunedJobIds),
    purgedvolumes: results.flatMap((r) => r.purgedVolumes),
  };
}

async function clientScope(ctx: ConsoleContext, a: PruneArgs, kind: 'File' | 'Job'): Promise<{ scope: Parameters<typeof pruneJobs>[1]; head: string }> {
  if (!a.client) throw new BurrowError('BAD_REQUEST', `prune ${a.what}: give client=`);
  const client = findResource(ctx.config.clients, a.client);
  if (!client || !consoleScope(ctx).clientAllowed(client.name)) throw new BurrowError('NOT_FOUND', `Client "${a.client}" is not defined`);
  const pool = a.pool === undefined ? undefined : await visiblePool(ctx, a.pool);
  const poolRetention = kind === 'File' ? pool?.fileRetention : pool?.jobRetention;
  const retention = poolRetention !== undefined && poolRetention > 0 ? poolRetention
    : (kind === 'File' ? client.fileRetention : client.jobRetention) * 1000;
  const row = await ctx.catalog.getClient(client.name);
  return {
    // A client never seen in the catalog has nothing to prune: an id no job has.
    scope: { clientId: row?.clientId ?? -1, clientName: client.name, poolId: pool?.poolId, retention, now: ctx.env.clock.now() },
    head: `The current ${kind} retention period is: ${durationText(retention)}`,
  };
}

async function volumeCommand(ctx: ConsoleContext, a: PruneArgs): Promise<PruneOutput> {
  const now = ctx.env.clock.now();
  if (a.all) {
    const pool = a.pool === undefined ? undefined : await visiblePool(ctx, a.pool);
    const scope = consoleScope(ctx);
    const vols = (await ctx.catalog.listMedia(pool ? { poolId: pool.poolId } : {})).filter((m) => scope.poolAllowed(m.poolName));
    return output([await pruneVolumes(ctx.catalog, vols, now)]);
  }
  if (!a.volume) throw new BurrowError('BAD_REQUEST', 'prune volume: give volume=NAME (or all [pool=NAME])');
  const m = await visibleVolume(ctx, a.volume);
  return output([await pruneVolume(ctx.catalog, m, now)], [`The current Volume retention period is: ${durationText(m.volRetention)}`]);
}

export const pruneCommand = defineCommand({
  name: 'prune',
  help: 'Prune expired records from the catalog (files, jobs, volume)',
  usage: 'prune files client=<client> [pool=<pool>] yes | prune jobs client=<client> [pool=<pool>] yes | prune volume=<name> yes | prune volume all [pool=<pool>] yes',
  args: pruneArgs,
  positional: 'what',
  readLine: (words) => volumeSubject(keywordInput(words, 'what')),
  run: async (ctx, a): Promise<PruneOutput> => {
    confirmed(a.yes, `prune ${a.what}`);
    if (a.what === 'volume') return volumeCommand(ctx, a);
    const { scope, head } = await clientScope(ctx, a, a.what === 'files' ? 'File' : 'Job');
    return output([await (a.what === 'files' ? pruneFiles : pruneJobs)(ctx.catalog, scope)], [head]);
  },
  render: renderLines,
});
