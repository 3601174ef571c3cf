/**
 * The SQL of the volume searches (Bareos's cats/sql_find.cc FindNextVolume) and of the
 * volume listings, built from a MediaSearch / MediaFilter. Each distinct shape is one
 * SQL text, so the caller can keep its prepared statement; values are always bound.
 */
import type { MediaFilter, MediaSearch } from '../types.js';

export interface BuiltQuery {
  sql: string;
  params: Record<string, unknown>;
}

/** Bareos's orders: the volume being filled first, or the oldest one to recycle (never written first). */
const ORDER = {
  'most-recently-written': 'M.LastWritten IS NULL, M.LastWritten DESC, M.MediaId',
  'oldest-written': 'M.LastWritten IS NOT NULL, M.LastWritten ASC, M.MediaId',
  'media-id': 'M.MediaId',
} as const;

/** Statuses as bound parameters: `M.VolStatus IN (@s0, @s1)`. */
function statusIn(statuses: readonly string[], params: Record<string, unknown>): string {
  const names = statuses.map((s, i) => {
    params[`s${i}`] = s;
    return `@s${i}`;
  });
  return `M.VolStatus IN (${names.join(', ')})`;
}

export function mediaSearchSql(select: string, search: MediaSearch): BuiltQuery {
  const params: Record<string, unknown> = { poolId: search.poolId, mediaType: search.mediaType };
  const where = ['M.PoolId = @poolId', 'M.MediaType = @mediaType', 'M.Enabled = 1', statusIn(search.statuses, params)];
  if (search.recyclable) where.push('M.Recycle = 1');
  if (search.inChangerOf !== undefined) {
    where.push('M.InChanger = 1 AND M.StorageId = @storageId');
    params.storageId = search.inChangerOf;
  }
  if (search.exclude !== undefined && search.exclude.size > 0) {
    // One JSON array parameter keeps one statement whatever the number of names.
    where.push('M.VolumeName NOT IN (SELECT value FROM json_each(@exclude))');
    params.exclude = JSON.stringify([...search.exclude]);
  }
  return { sql: `${select} WHERE ${where.join(' AND ')} ORDER BY ${ORDER[search.order]} LIMIT 1`, params };
}

export function mediaListSql(select: string, filter: MediaFilter): BuiltQuery {
  const params: Record<string, unknown> = {};
  const where: string[] = [];
  if (filter.poolId !== undefined) {
    where.push('M.PoolId = @poolId');
    params.poolId = filter.poolId;
  }
  if (filter.poolOrRecyclePool !== undefined) {
    where.push('(M.PoolId = @ownPool OR M.RecyclePoolId IN (SELECT value FROM json_each(@recyclePools)))');
    params.ownPool = filter.poolOrRecyclePool.poolId;
    params.recyclePools = JSON.stringify(filter.poolOrRecyclePool.recyclePoolIds);
  }
  if (filter.mediaType !== undefined) {
    where.push('M.MediaType = @mediaType');
    params.mediaType = filter.mediaType;
  }
  if (filter.statuses !== undefined) where.push(statusIn(filter.statuses, params));
  const order = filter.order === 'oldest-written' ? ORDER['oldest-written'] : 'M.PoolId, M.MediaId';
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `${select}${clause} ORDER BY ${order}`, params };
}
