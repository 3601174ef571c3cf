/**
 * Pools as the media module reads them: the Pool resource becomes the catalog's Pool
 * row (at start, reload and `update pool`), and a pool row gives a volume its own
 * copy of the limits (Bareos's SetPoolDbrDefaultsInMediaDbr), taken when the volume is
 * made or moves pools, and by `update volume frompool`.
 */
import type { DirectorConfig, PoolResource } from '@burrow/common/config/index';
import { findResource } from '@burrow/common/config/index';
import {
  ON_PURGE_NONE, ON_PURGE_TRUNCATE, type Catalog, type MediaDefaults, type PoolInput, type PoolRow,
} from '../catalog/index.js';
import type { StorageTarget } from '../sd/storage-link.js';

/** Bareos's pool named Scratch: where any pool takes a volume from when it has no Scratch Pool of its own. */
export const SCRATCH_POOL = 'Scratch';

const SECOND = 1000;

/** The catalog row of a Pool resource; Recycle/Scratch Pool name rows that must exist already. */
export function poolInput(p: PoolResource, poolIdOf: (name: string) => number | null): PoolInput {
  return {
    name: p.name, poolType: p.poolType, labelFormat: p.labelFormat ?? null,
    maximumVolumes: p.maximumVolumes ?? 0, maximumVolumeJobs: p.maximumVolumeJobs ?? 0,
    maximumVolumeFiles: p.maximumVolumeFiles ?? 0, maximumVolumeBytes: p.maximumVolumeBytes ?? 0,
    volumeUseDuration: (p.volumeUseDuration ?? 0) * SECOND, volumeRetention: p.volumeRetention * SECOND,
    fileRetention: (p.fileRetention ?? 0) * SECOND, jobRetention: (p.jobRetention ?? 0) * SECOND,
    autoPrune: p.autoPrune, recycle: p.recycle, recycleOldestVolume: p.recycleOldestVolume,
    purgeOldestVolume: p.purgeOldestVolume, recycleCurrentVolume: p.recycleCurrentVolume,
    recyclePoolId: p.recyclePool === undefined ? null : poolIdOf(p.recyclePool),
    scratchPoolId: p.scratchPool === undefined ? null : poolIdOf(p.scratchPool),
    actionOnPurge: p.actionOnPurge === 'Truncate' ? ON_PURGE_TRUNCATE : ON_PURGE_NONE,
    cleaningPrefix: p.cleaningPrefix, allowedClients: p.allowedClients,
  };
}

/**
 * Writes every Pool resource's row: first each pool as it is, then again with its
 * Recycle and Scratch Pool ids (which may name a pool written after it).
 */
export async function writePoolRows(catalog: Catalog, config: DirectorConfig): Promise<void> {
  for (const p of config.pools) await catalog.ensurePool(poolInput(p, () => null));
  const idOf = await poolIdsOf(catalog, config);
  for (const p of config.pools) await catalog.ensurePool(poolInput(p, idOf));
}

/** The PoolId of a configured pool's name (a Recycle Pool, a Scratch Pool) as the catalog has it now; null for none. */
export async function poolIdsOf(catalog: Catalog, config: DirectorConfig): Promise<(name: string) => number | null> {
  const ids = new Map((await catalog.listPools()).map((p) => [p.name, p.poolId]));
  return (name) => ids.get(findResource(config.pools, name)?.name ?? name) ?? null;
}

/** The limits a volume takes from its pool. */
export function mediaDefaults(pool: PoolRow): MediaDefaults {
  return {
    maxVolBytes: pool.maximumVolumeBytes, maxVolJobs: pool.maximumVolumeJobs, maxVolFiles: pool.maximumVolumeFiles,
    volRetention: pool.volumeRetention, volUseDuration: pool.volumeUseDuration, recycle: pool.recycle,
    recyclePoolId: pool.recyclePoolId, actionOnPurge: pool.actionOnPurge, minBlocksize: pool.minBlocksize,
    maxBlocksize: pool.maxBlocksize,
  };
}

/** The pool a pool takes scratch volumes from: its Scratch Pool, else the pool named Scratch. */
export async function scratchPoolOf(catalog: Catalog, pool: PoolRow): Promise<PoolRow | undefined> {
  const own = pool.scratchPoolId === null ? undefined : await catalog.getPoolById(pool.scratchPoolId);
  const scratch = own ?? await catalog.getPool(SCRATCH_POOL);
  return scratch && scratch.poolId !== pool.poolId ? scratch : undefined;
}

/** Whether the pool has room for one more volume (Maximum Volumes). */
export async function hasRoom(catalog: Catalog, pool: PoolRow): Promise<boolean> {
  return pool.maximumVolumes === 0 || await catalog.countMedia(pool.poolId) < pool.maximumVolumes;
}

/** A Pool as a job's plan names it (the catalog row holds the rest). */
export interface PoolPlan {
  name: string;
  labelFormat: string | null;
  maximumVolumeBytes: number;
  /** The Pool's `Storage` list, resolved; absent or empty: the Job's Storage applies. */
  storages?: readonly StorageTarget[];
  /** The Pool's Allowed Clients; empty: any client (allowed-clients.ts). */
  allowedClients: readonly string[];
}
