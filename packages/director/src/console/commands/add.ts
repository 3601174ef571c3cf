/**
 * add pool=NAME volume=NAME [count=N [startnum=N]] [slot=N] (Bareos's add command):
 * catalog records for volumes not labelled yet (status Unlabeled, the pool's limits).
 * A job may take one and have the SD label it (next-volume.ts, step 2) when its device
 * has Label Media; `label` labels one by hand. Nothing is written on a device here.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { hasRoom, mediaDefaults } from '../../media/pools.js';
import { numberedName, volumeNameProblem } from '../../media/label-format.js';
import { defineCommand } from '../command.js';
import { count, text } from '../arg-types.js';
import { renderLines, visiblePool, type LinesResult } from './media-common.js';

export interface AddOutput extends LinesResult {
  volumes: string[];
}

export const addCommand = defineCommand({
  name: 'add',
  help: 'Add catalog records for volumes not labelled yet (Unlabeled)',
  usage: 'add pool=<pool> volume=<name> [count=<n> [startnum=<n>]] [slot=<n>] [mediatype=<type>]',
  args: z.object({
    pool: text(), volume: text(), count: count().optional(), startnum: count().optional(), slot: count().optional(), mediatype: text().optional(),
  }).strict(),
  run: async (ctx, a): Promise<AddOutput> => {
    const pool = await visiblePool(ctx, a.pool);
    // The Media Type of the pool's Storage (or the first Storage), as Bareos asks for one.
    const storageName = findResource(ctx.config.pools, pool.name)?.storage[0];
    const storage = (storageName === undefined ? undefined : findResource(ctx.config.storages, storageName)) ?? ctx.config.storages[0];
    const mediaType = a.mediatype ?? storage?.mediaType;
    if (!mediaType) throw new BurrowError('BAD_REQUEST', 'add: give mediatype= (no Storage is configured)');
    const n = a.count ?? 1;
    const start = a.startnum ?? 1;
    const names = n === 1 && a.startnum === undefined ? [a.volume] : Array.from({ length: n }, (_, i) => numberedName(a.volume, start + i));
    for (const name of names) {
      const problem = volumeNameProblem(name);
      if (problem) throw new BurrowError('BAD_REQUEST', `add: ${problem}`);
      if (await ctx.catalog.getMediaByName(name)) throw new BurrowError('BAD_REQUEST', `Volume "${name}" already exists.`);
    }
    const lines: string[] = [];
    for (const [i, name] of names.entries()) {
      if (!await hasRoom(ctx.catalog, pool)) throw new BurrowError('BAD_REQUEST', `Pool "${pool.name}" is full: Maximum Volumes=${pool.maximumVolumes}\n${lines.join('\n')}`);
      const slot = a.slot === undefined ? 0 : a.slot + i;
      await ctx.catalog.createMedia({ volumeName: name, poolId: pool.poolId, mediaType, volStatus: 'Unlabeled', slot, ...mediaDefaults(pool) });
      lines.push(`Catalog record for Volume "${name}", Slot ${slot} successfully created.`);
    }
    lines.push(`${names.length} Volume${names.length === 1 ? '' : 's'} created in pool ${pool.name}`);
    return { lines, volumes: names };
  },
  render: renderLines,
});
