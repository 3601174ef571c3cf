/**
 * label: write a label on a new volume through the SD, then record it in the catalog
 * (Append, the pool's limits, the slot; a record made by `add` becomes labelled). The
 * catalog changes only once the SD has labelled, so a refused label leaves no record.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { labelVolume } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand } from '../command.js';
import { count, text } from '../arg-types.js';
import { volumeNameProblem } from '../../media/label-format.js';
import { mediaDefaults } from '../../media/pools.js';
import { consoleScope } from '../scope.js';

export interface LabelResult {
  volume: string;
  mediaid: number;
  pool: string;
  storage: string;
  device: string;
  slot: number;
  volbytes: number;
}

export const labelCommand = defineCommand({
  name: 'label',
  help: 'Label a volume',
  usage: 'label [storage=<storage>] volume=<name> pool=<pool> [slot=<n>]',
  args: z.object({ storage: text().optional(), volume: text(), pool: text(), slot: count().optional() }).strict(),
  run: async (ctx, a): Promise<LabelResult> => {
    const storageName = a.storage ?? ctx.config.storages[0]?.name;
    if (!storageName) throw new BurrowError('BAD_REQUEST', 'label: no Storage resource is configured');
    const scope = consoleScope(ctx);
    if (!scope.storageAllowed(storageName)) throw new BurrowError('NOT_FOUND', `Storage "${storageName}" is not defined`);
    const pool = findResource(ctx.config.pools, a.pool);
    if (!pool || !scope.poolAllowed(pool.name)) throw new BurrowError('NOT_FOUND', `Pool "${a.pool}" is not defined`);
    const problem = volumeNameProblem(a.volume);
    if (problem) throw new BurrowError('BAD_REQUEST', `label: ${problem}`);
    // A record made by `add` (Unlabeled, nothing written) may be labelled; one with data never.
    const existing = ctx.catalog.getMediaByName(a.volume);
    if (existing && existing.volStatus !== 'Unlabeled') throw new BurrowError('BAD_REQUEST', `Media record for new Volume "${a.volume}" already exists.`);
    const storage = storageTarget(ctx.config, storageName);
    const poolRow = ctx.catalog.getPool(pool.name);
    if (!poolRow) throw new BurrowError('CATALOG', `Pool "${pool.name}" is missing from the catalog`);
    // The SD labels first: a label it refuses (a volume already there) leaves no Media record behind.
    const volBytes = await labelVolume(storage, ctx.env.directorName, { volumeName: a.volume, poolName: pool.name });
    const now = ctx.env.clock.now();
    const slot = a.slot ?? existing?.slot ?? 0;
    const fields = {
      poolId: poolRow.poolId, mediaType: storage.mediaType, storageId: ctx.catalog.ensureStorage(storage.name), volBytes, volBlocks: 1,
      labelDate: now, slot, inChanger: slot > 0, ...mediaDefaults(poolRow),
    };
    let mediaId: number;
    if (existing) {
      ctx.catalog.updateMedia(existing.mediaId, { ...fields, volStatus: 'Append' });
      mediaId = existing.mediaId;
    } else {
      mediaId = ctx.catalog.createMedia({ volumeName: a.volume, volStatus: 'Append', ...fields });
    }
    return { volume: a.volume, mediaid: mediaId, pool: pool.name, storage: storage.name, device: storage.device, slot, volbytes: volBytes };
  },
  render: (r) => [
    `Sending label command for Volume "${r.volume}" Slot ${r.slot} ...`,
    `3000 OK label. VolBytes=${r.volbytes} Volume="${r.volume}" Device="${r.device}"`,
    `Catalog record for Volume "${r.volume}", Slot ${r.slot} successfully created.`,
  ].join('\n'),
});
