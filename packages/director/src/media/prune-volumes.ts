/**
 * Volume pruning when a job finds no volume (Bareos's PruneVolumes, autoprune.cc): the
 * Full and Used volumes of the pool — and those of other pools whose Recycle Pool is
 * this pool or Scratch — oldest written first, each pruned by its own Volume
 * Retention, until one of this pool becomes Purged and recyclable. Volumes other jobs
 * are writing on are skipped; archived ones are never pruned.
 */
import { MEDIA_ARCHIVED, type Catalog, type MediaRow, type PoolRow } from '../catalog/index.js';
import { SCRATCH_POOL } from './pools.js';
import { pruneVolume } from './prune.js';
import { PRUNABLE } from './statuses.js';

export interface PoolPruning {
  pool: PoolRow;
  mediaType: string;
  now: number;
  /** Volume names not to touch (held by running jobs). */
  skip: ReadonlySet<string>;
  /** Prune just this volume (Recycle Oldest Volume). */
  only?: MediaRow;
}

export async function pruneVolumesOfPool(catalog: Catalog, p: PoolPruning): Promise<{ lines: string[]; purged: string[] }> {
  const scratch = await catalog.getPool(SCRATCH_POOL);
  const recyclePoolIds = [p.pool.poolId, ...(scratch ? [scratch.poolId] : [])];
  const candidates = p.only ? [p.only] : await catalog.listMedia({
    poolOrRecyclePool: { poolId: p.pool.poolId, recyclePoolIds }, mediaType: p.mediaType, statuses: PRUNABLE, order: 'oldest-written',
  });
  const lines: string[] = [];
  const purged: string[] = [];
  for (const m of candidates) {
    if (m.enabled === MEDIA_ARCHIVED || p.skip.has(m.volumeName)) continue;
    const out = await pruneVolume(catalog, m, p.now);
    lines.push(...out.lines);
    if (!out.emptied) continue;
    purged.push(m.volumeName);
    const after = await catalog.getMedia(m.mediaId);
    if (after && after.poolId === p.pool.poolId && after.recycle) break;
  }
  return { lines, purged };
}
