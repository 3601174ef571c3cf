/**
 * The end of a volume's data in the catalog (Bareos's IsVolumePurged and
 * MarkMediaPurged): a volume whose last job is gone becomes Purged, and moves to its
 * Recycle Pool when it has one with room. Pruning and purging both end here. A volume
 * nothing wrote on yet is not marked unless forced (an operator's purge), so an empty
 * volume just labelled, or one a running job writes, is never purged by accident.
 */
import type { Catalog, MediaRow } from '../catalog/index.js';
import { isOneOf, PURGEABLE } from './statuses.js';

export interface PurgedOutcome {
  purged: boolean;
  lines: string[];
}

/** Marks the volume Purged when no job has data on it any more. */
export async function markPurgedIfEmpty(catalog: Catalog, m: MediaRow, opts: { force: boolean }): Promise<PurgedOutcome> {
  if (m.volStatus === 'Purged') return { purged: true, lines: [] };
  if (!opts.force && (m.firstWritten === null || m.lastWritten === null)) return { purged: false, lines: [] };
  if ((await catalog.jobsOnMedia(m.mediaId)).length > 0) return { purged: false, lines: [] };
  if (!isOneOf(m.volStatus, PURGEABLE)) return { purged: false, lines: [`Cannot purge Volume with VolStatus=${m.volStatus}`] };
  const lines = [`There are no more Jobs associated with Volume "${m.volumeName}". Marking it purged.`];
  await catalog.setMediaStatus(m.mediaId, 'Purged');
  lines.push(...await moveToRecyclePool(catalog, m));
  return { purged: true, lines };
}

/** Bareos moves a purged volume to its Recycle Pool unless that pool is at Maximum Volumes. */
async function moveToRecyclePool(catalog: Catalog, m: Pick<MediaRow, 'mediaId' | 'poolId' | 'recyclePoolId'>): Promise<string[]> {
  if (m.recyclePoolId === null || m.recyclePoolId === m.poolId) return [];
  const target = await catalog.getPoolById(m.recyclePoolId);
  if (!target) return [];
  if (target.maximumVolumes > 0 && await catalog.countMedia(target.poolId) >= target.maximumVolumes) {
    return [`Unable move recycled Volume in full Pool "${target.name}" MaxVols=${target.maximumVolumes}`];
  }
  await catalog.updateMedia(m.mediaId, { poolId: target.poolId });
  return [`New Pool is: ${target.name}`];
}

/**
 * The volumes among `mediaIds` that jobs just left empty, marked Purged in one catalog
 * statement (Full, Used and Error ones that were written: an Append volume stays, a
 * running job may be writing on it and its rows come at its end).
 */
export async function purgeEmptied(catalog: Catalog, mediaIds: readonly number[]): Promise<PurgedOutcome & { volumes: string[] }> {
  const lines: string[] = [];
  const marked = await catalog.markEmptyMediaPurged(mediaIds);
  for (const m of marked) {
    lines.push(`There are no more Jobs associated with Volume "${m.volumeName}". Marking it purged.`);
    lines.push(...await moveToRecyclePool(catalog, m));
  }
  return { purged: marked.length > 0, lines, volumes: marked.map((m) => m.volumeName) };
}
