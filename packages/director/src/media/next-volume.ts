/**
 * The next volume a job writes on, in the order of Bareos's code
 * (dird/next_vol.cc FindNextVolumeForAppend; research note section 4):
 *   0. with the pool's Recycle Current Volume, the volume the job's drive has mounted,
 *      when it is Purged or Recycle, or Full or Used and all its jobs prune by their
 *      retention (Bareos's check of the current volume): recycled before looking
 *      elsewhere, so a loaded tape is reused rather than another asked for;
 *   1. an Append volume of the pool: the one the job's drive has mounted, else the most
 *      recently written first (fill what is started);
 *   2. an Unlabeled one (made by `add`), when the device may label;
 *   3. a Recycle one, 4. the oldest Purged one (recyclable), to recycle;
 *   5. with AutoPrune (or the Job's Prune Volumes): prune the pool's volumes, then 4 again;
 *   6. a volume from the Scratch Pool (or the pool named Scratch), if the pool has room;
 *   7. a new volume named by the Label Format, if the pool has room;
 *   8. Purge Oldest Volume (ignores retention) or Recycle Oldest Volume (respects it);
 * and every Append volume found is checked against its limits first (a volume over a
 * limit is marked Full or Used and the search starts again, at most 200 times).
 * For an autochanger (Storage Auto Changer = yes), steps 1 to 6 look first only at the
 * volumes in its slots (InChanger = 1 in this Storage), then at all (Bareos's step 7,
 * "clear InChanger and start again"), before a new volume is named.
 * Unlike Bareos, nothing is recycled, moved or created here: the choice says what to
 * commit once the SD has the volume mounted (mounted.ts), and it is held meanwhile.
 */
import type { Catalog, MediaRow, MediaSearch, PoolRow, VolStatus } from '../catalog/index.js';
import type { VolumeChoice, VolumeSearchResult } from './choice.js';
import { expandLabelFormat, hasVariables, numberedName, volumeNameProblem, type LabelVariables } from './label-format.js';
import { enforceLimits } from './limits.js';
import { hasRoom, mediaDefaults, scratchPoolOf } from './pools.js';
import { moveRefusal } from './client-sets.js';
import { pruneVolume } from './prune.js';
import { pruneVolumesOfPool } from './prune-volumes.js';
import type { VolumeReservations } from './reservations.js';

export interface VolumeWanted {
  jobId: number;
  pool: PoolRow;
  mediaType: string;
  storageId: number;
  /** The device's Label Media: the Director may hand out a volume still to be labelled (Bareos's "create"). */
  labelMedia: boolean;
  /** Pool AutoPrune, or the Job's Prune Volumes. */
  prune: boolean;
  /** Volumes this job must not get (the SD could not use them, or other drives append to them). */
  unwanted: ReadonlySet<string>;
  /** An autochanger's StorageId: its volumes (InChanger = 1 there) are looked at first. */
  inChangerOf?: number;
  /** The volume the job's drive has mounted: taken first when it is appendable in the pool, so the drive's other writers share it. */
  mounted?: string;
  now: number;
  /** The Storage and its device, for the operator's instructions. */
  storage?: { name: string; device: string };
  /** For the Label Format's variables. */
  job?: Pick<LabelVariables, 'job' | 'jobName' | 'jobId' | 'client' | 'level' | 'storage' | 'catalog'>;
}

/** Bareos's sanity bound on re-checking limits. */
const MAX_TRIES = 200;

interface Search {
  catalog: Catalog;
  w: VolumeWanted;
  reservations: VolumeReservations;
  lines: string[];
  /** This pass looks only at the volumes in this changer (a StorageId), or at all. */
  inChanger: number | undefined;
}

/**
 * Asynchronous because pruning is (a volume's jobs may hold a million file rows): a job
 * choosing volumes holds a turn of the reservations (VolumeReservations.inTurn) from
 * the search to its hold, so no other job's search runs while its prune lets the
 * event loop go on.
 */
export async function findNextVolume(catalog: Catalog, reservations: VolumeReservations, w: VolumeWanted): Promise<VolumeSearchResult> {
  const s: Search = { catalog, w, reservations, lines: [], inChanger: w.inChangerOf };
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const found = await current(s) ?? await appendable(s) ?? await labelable(s) ?? await recyclable(s, w.pool) ?? await pruned(s) ?? await fromScratch(s)
      ?? (s.inChanger === undefined ? await newVolume(s) ?? await oldest(s) : undefined);
    if (found === 'again') continue;
    if (found) return { found, lines: s.lines };
    if (s.inChanger !== undefined) {
      s.inChanger = undefined; // none in the changer: any volume of the pool, then a new one
      continue;
    }
    return { found: null, lines: s.lines, reason: await nothingFound(s) };
  }
  s.lines.push('We seem to be looping trying to find the next volume. I give up.');
  return { found: null, lines: s.lines, reason: 'no volume could be chosen' };
}

/** Names no search of this job may return: the SD's refusals and other jobs' pending holds. */
function excluded(s: Search): Set<string> {
  return new Set([...s.w.unwanted, ...s.reservations.pendingForOthers(s.w.jobId)]);
}

async function find(s: Search, pool: PoolRow, statuses: VolStatus[], more: Partial<MediaSearch> = {}): Promise<MediaRow | undefined> {
  return s.catalog.findMedia({
    poolId: pool.poolId, mediaType: s.w.mediaType, statuses, order: 'most-recently-written', exclude: excluded(s), inChangerOf: s.inChanger, ...more,
  });
}

const existing = (m: MediaRow, action: VolumeChoice['action'], o: { recycle?: boolean; moveTo?: PoolRow | null; purge?: readonly number[] } = {}): VolumeChoice => ({
  volumeName: m.volumeName, media: m, action,
  onMounted: action === 'append' && !o.moveTo ? { kind: 'none' }
    : { kind: 'existing', mediaId: m.mediaId, recycle: o.recycle ?? false, moveTo: o.moveTo ?? null, purgeJobIds: o.purge ?? [] },
  maxVolBytes: (o.moveTo ? o.moveTo.maximumVolumeBytes : m.maxVolBytes),
  endHint: action === 'append' ? m.volBytes : 0,
});

/**
 * Step 0, Recycle Current Volume: the drive's volume, if it may be recycled now. A Full
 * or Used one is pruned by its own Volume Retention first (never a job a kept job
 * needs); only if nothing is left on it is it recycled.
 */
async function current(s: Search): Promise<VolumeChoice | undefined> {
  const { pool, mounted } = s.w;
  if (!pool.recycleCurrentVolume || mounted === undefined) return undefined;
  const m = await s.catalog.getMediaByName(mounted);
  if (!m || m.poolId !== pool.poolId || m.mediaType !== s.w.mediaType || m.enabled !== 1 || !m.recycle) return undefined;
  if (excluded(s).has(m.volumeName) || s.reservations.heldByOthers(s.w.jobId).has(m.volumeName)) return undefined;
  if (m.volStatus === 'Purged' || m.volStatus === 'Recycle') return existing(m, 'recycle', { recycle: true });
  if (m.volStatus !== 'Full' && m.volStatus !== 'Used') return undefined;
  // Bareos tries only once the Volume Retention has passed since the last write.
  if (m.lastWritten === null || m.lastWritten + m.volRetention >= s.w.now) return undefined;
  const out = await pruneVolume(s.catalog, m, s.w.now);
  s.lines.push(...out.lines);
  const after = await s.catalog.getMedia(m.mediaId);
  if (!out.emptied || after?.volStatus !== 'Purged' || after.poolId !== pool.poolId) return undefined;
  return existing(after, 'recycle', { recycle: true });
}

/** Step 1, with the limits checked and the other writers counted toward Maximum Volume Jobs. */
async function appendable(s: Search): Promise<VolumeChoice | 'again' | undefined> {
  const skip = excluded(s);
  const mounted = s.w.mounted === undefined ? undefined : await s.catalog.getMediaByName(s.w.mounted);
  let first = mounted && mounted.poolId === s.w.pool.poolId && mounted.mediaType === s.w.mediaType && mounted.volStatus === 'Append'
    && mounted.enabled === 1 && !skip.has(mounted.volumeName) ? mounted : undefined;
  for (;;) {
    const m = first ?? await s.catalog.findMedia({
      poolId: s.w.pool.poolId, mediaType: s.w.mediaType, statuses: ['Append'], order: 'most-recently-written', exclude: skip, inChangerOf: s.inChanger,
    });
    if (!m) return undefined;
    const { media, message } = await enforceLimits(s.catalog, m, s.w.now);
    if (message) {
      s.lines.push(message);
      return 'again';
    }
    if (media.maxVolJobs > 0 && media.volJobs + s.reservations.othersOn(media.volumeName, s.w.jobId) >= media.maxVolJobs) {
      skip.add(media.volumeName);
      first = undefined;
      continue;
    }
    return existing(media, 'append');
  }
}

/** Step 2: a record made by `add`; the SD labels it. */
async function labelable(s: Search): Promise<VolumeChoice | undefined> {
  if (!s.w.labelMedia) return undefined;
  const m = await find(s, s.w.pool, ['Unlabeled']);
  return m ? { ...existing(m, 'label'), onMounted: { kind: 'existing', mediaId: m.mediaId, recycle: true, moveTo: null, purgeJobIds: [] } } : undefined;
}

/** Steps 3 and 4: a Recycle volume, else the oldest purged one, of `pool` (not yet recycled: that waits for the mount). */
async function recyclable(s: Search, pool: PoolRow, moveTo: PoolRow | null = null): Promise<VolumeChoice | undefined> {
  const held = s.reservations.heldByOthers(s.w.jobId);
  const exclude = new Set([...excluded(s), ...held]);
  const m = await find(s, pool, ['Recycle'], { recyclable: true, order: 'oldest-written', exclude })
    ?? await find(s, pool, ['Purged'], { recyclable: true, order: 'oldest-written', exclude });
  return m ? existing(m, 'recycle', { recycle: true, moveTo }) : undefined;
}

/** Step 5: prune the pool's volumes by their retention, then look for a purged one again. */
async function pruned(s: Search): Promise<VolumeChoice | undefined> {
  if (!s.w.prune) return undefined;
  const out = await pruneVolumesOfPool(s.catalog, { pool: s.w.pool, mediaType: s.w.mediaType, now: s.w.now, skip: s.reservations.heldByOthers(s.w.jobId) });
  s.lines.push(...out.lines);
  return recyclable(s, s.w.pool);
}

/** Step 6: an Append, Recycle or purged volume of the scratch pool, moved into this pool once mounted. */
async function fromScratch(s: Search): Promise<VolumeChoice | undefined> {
  if (!s.w.labelMedia) return undefined;
  const scratch = await scratchPoolOf(s.catalog, s.w.pool);
  if (!scratch) return undefined;
  let m = await find(s, scratch, ['Append']);
  const refusal = m && await moveRefusal(s.catalog, m, s.w.pool);
  if (refusal) {
    s.lines.push(`${refusal}: not taken from the scratch pool.`);
    m = undefined;
  }
  const choice = m ? existing(m, 'append', { moveTo: s.w.pool }) : await recyclable(s, scratch, s.w.pool);
  if (!choice) return undefined;
  if (!await hasRoom(s.catalog, s.w.pool)) {
    s.lines.push(`Unable add Scratch Volume, Pool "${s.w.pool.name}" full MaxVols=${s.w.pool.maximumVolumes}`);
    return undefined;
  }
  return choice;
}

/** Step 7: a new volume named by the Label Format; its row is made once the SD has labelled it. */
async function newVolume(s: Search): Promise<VolumeChoice | undefined> {
  const { pool } = s.w;
  if (!s.w.labelMedia || pool.labelFormat === null || !await hasRoom(s.catalog, pool)) return undefined;
  const name = await newVolumeName(s, pool.labelFormat);
  if (name === undefined) return undefined;
  return {
    volumeName: name, media: undefined, action: 'label', maxVolBytes: pool.maximumVolumeBytes, endHint: 0,
    onMounted: {
      kind: 'create',
      input: { volumeName: name, poolId: pool.poolId, mediaType: s.w.mediaType, storageId: s.w.storageId, ...mediaDefaults(pool) },
    },
  };
}

async function newVolumeName(s: Search, format: string): Promise<string | undefined> {
  const taken = async (n: string): Promise<boolean> => excluded(s).has(n) || (await s.catalog.getMediaByName(n)) !== undefined;
  let name: string;
  if (hasVariables(format)) {
    name = expandLabelFormat(format, { now: s.w.now, pool: s.w.pool.name, mediaType: s.w.mediaType, numVols: await s.catalog.countMedia(s.w.pool.poolId), ...s.w.job });
    if (await taken(name)) {
      s.lines.push(`Label Format "${format}" gives "${name}", which is already in the catalog.`);
      return undefined;
    }
  } else {
    let n = (await s.catalog.highestMediaId()) + 1;
    while (await taken(numberedName(format, n))) n++;
    name = numberedName(format, n);
  }
  const problem = volumeNameProblem(name);
  if (problem) {
    s.lines.push(`Label Format "${format}": ${problem}`);
    return undefined;
  }
  return name;
}

/** Step 8: the pool's oldest volume, purged (whatever its retention) or pruned (by it). */
async function oldest(s: Search): Promise<VolumeChoice | undefined> {
  const { pool } = s.w;
  if (!s.w.prune || !(pool.purgeOldestVolume || pool.recycleOldestVolume)) return undefined;
  const exclude = new Set([...excluded(s), ...s.reservations.heldByOthers(s.w.jobId)]);
  const m = await find(s, pool, ['Unlabeled', 'Full', 'Recycle', 'Purged', 'Used', 'Append'], { order: 'oldest-written', exclude });
  if (!m) return undefined;
  if (pool.purgeOldestVolume && s.w.labelMedia) {
    s.lines.push(`Purging oldest volume "${m.volumeName}"`);
    return existing(m, 'recycle', { recycle: true, purge: (await s.catalog.jobsOnMedia(m.mediaId)).map((j) => j.jobId) });
  }
  if (!pool.recycleOldestVolume) return undefined;
  s.lines.push(`Pruning oldest volume "${m.volumeName}"`);
  const out = await pruneVolumesOfPool(s.catalog, { pool, mediaType: s.w.mediaType, now: s.w.now, skip: new Set(), only: m });
  s.lines.push(...out.lines);
  const after = await s.catalog.getMedia(m.mediaId);
  return after?.volStatus === 'Purged' ? existing(after, 'recycle', { recycle: true }) : undefined;
}

/** What the operator can do when nothing was found (Bareos's "Cannot find any appendable volumes"). */
async function nothingFound(s: Search): Promise<string> {
  const { pool, mediaType, storage } = s.w;
  const label = `"label storage=${storage?.name ?? '...'} pool=${pool.name} volume=NAME"`;
  const none = `Cannot find any appendable volumes in Pool "${pool.name}" (Media type "${mediaType}")`;
  if (!s.w.labelMedia && pool.labelFormat !== null) {
    return `${none}, and Device "${storage?.device ?? '?'}" has Label Media = no, so no new volume is labelled automatically: `
      + `label one with ${label}, or set Label Media = yes`;
  }
  if (pool.labelFormat !== null && !await hasRoom(s.catalog, pool)) {
    return `${none}, and it holds its Maximum Volumes=${pool.maximumVolumes}: label one with ${label} in another pool, or raise it`;
  }
  return `${none}: label one with ${label}, or give the pool a Label Format`;
}
