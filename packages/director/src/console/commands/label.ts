/** label: write a label on a new volume through the SD and record it in the catalog. */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { labelVolume } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand } from '../command.js';
import { text } from '../arg-types.js';
import { consoleScope } from '../scope.js';

export interface LabelResult {
  volume: string;
  mediaid: number;
  pool: string;
  storage: string;
  device: string;
}

export const labelCommand = defineCommand({
  name: 'label',
  help: 'Label a volume',
  usage: 'label [storage=<storage>] volume=<name> pool=<pool>',
  args: z.object({ storage: text().optional(), volume: text(), pool: text() }).strict(),
  run: async (ctx, a): Promise<LabelResult> => {
    const storageName = a.storage ?? ctx.config.storages[0]?.name;
    if (!storageName) throw new BurrowError('BAD_REQUEST', 'label: no Storage resource is configured');
    const scope = consoleScope(ctx);
    if (!scope.storageAllowed(storageName)) throw new BurrowError('NOT_FOUND', `Storage "${storageName}" is not defined`);
    const pool = findResource(ctx.config.pools, a.pool);
    if (!pool || !scope.poolAllowed(pool.name)) throw new BurrowError('NOT_FOUND', `Pool "${a.pool}" is not defined`);
    if (ctx.catalog.getMediaByName(a.volume)) throw new BurrowError('BAD_REQUEST', `Volume "${a.volume}" already exists in the catalog`);
    const storage = storageTarget(ctx.config, storageName);
    const poolRow = ctx.catalog.getPool(pool.name);
    if (!poolRow) throw new BurrowError('CATALOG', `Pool "${pool.name}" is missing from the catalog`);
    const volBytes = await labelVolume(storage, ctx.env.directorName, { volumeName: a.volume, poolName: pool.name });
    const mediaId = ctx.catalog.createMedia({
      volumeName: a.volume, poolId: poolRow.poolId, mediaType: storage.mediaType, storageId: ctx.catalog.ensureStorage(storage.name),
      maxVolBytes: pool.maximumVolumeBytes ?? 0, labelDate: Date.now(),
    });
    ctx.catalog.updateMediaUsage(mediaId, { volBytes, volBlocks: 1, lastWritten: Date.now() });
    return { volume: a.volume, mediaid: mediaId, pool: pool.name, storage: storage.name, device: storage.device };
  },
  render: (r) => [
    `Sending label command for Volume "${r.volume}" to Storage "${r.storage}" ...`,
    `3000 OK label. Volume=${r.volume} Device="${r.device}"`,
    `Catalog record for Volume "${r.volume}", Slot 0 successfully created.`,
  ].join('\n'),
});
