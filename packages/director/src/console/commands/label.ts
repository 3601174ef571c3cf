/** label: write a label on a new volume through the SD and record it in the catalog. */
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { labelVolume } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { ok, type Command } from '../command.js';
import { consoleScope } from '../scope.js';

export const labelCommand: Command = {
  name: 'label',
  help: 'Label a volume',
  usage: 'label [storage=<storage>] volume=<name> pool=<pool>',
  run: async (ctx, args) => {
    const storageName = args.get('storage') ?? ctx.config.storages[0]?.name;
    if (!storageName) throw new BurrowError('BAD_REQUEST', 'label: no Storage resource is configured');
    const scope = consoleScope(ctx);
    if (!scope.storageAllowed(storageName)) throw new BurrowError('NOT_FOUND', `Storage "${storageName}" is not defined`);
    const volumeName = args.require('volume', 'label');
    const poolName = args.require('pool', 'label');
    const pool = findResource(ctx.config.pools, poolName);
    if (!pool || !scope.poolAllowed(pool.name)) throw new BurrowError('NOT_FOUND', `Pool "${poolName}" is not defined`);
    if (ctx.catalog.getMediaByName(volumeName)) throw new BurrowError('BAD_REQUEST', `Volume "${volumeName}" already exists in the catalog`);
    const storage = storageTarget(ctx.config, storageName);
    const poolRow = ctx.catalog.getPool(pool.name);
    if (!poolRow) throw new BurrowError('CATALOG', `Pool "${pool.name}" is missing from the catalog`);
    const volBytes = await labelVolume(storage, ctx.env.directorName, { volumeName, poolName: pool.name });
    const mediaId = ctx.catalog.createMedia({
      volumeName, poolId: poolRow.poolId, mediaType: storage.mediaType, storageId: ctx.catalog.ensureStorage(storage.name),
      maxVolBytes: pool.maximumVolumeBytes ?? 0, labelDate: Date.now(),
    });
    ctx.catalog.updateMediaUsage(mediaId, { volBytes, volBlocks: 1, lastWritten: Date.now() });
    return ok(`Sending label command for Volume "${volumeName}" to Storage "${storage.name}" ...\n3000 OK label. Volume=${volumeName} Device="${storage.device}"\nCatalog record for Volume "${volumeName}", Slot 0 successfully created.`,
      { volume: volumeName, mediaid: mediaId, pool: pool.name, storage: storage.name });
  },
};
