/**
 * Choosing the volume a backup writes on (Bareos's "find next volume"): an
 * appendable volume of the pool, else a new one named by the pool's Label Format,
 * else an error that tells the operator what to do.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog, MediaRow } from '../catalog/index.js';

/** A Pool as volume choice needs it. */
export interface PoolPlan {
  name: string;
  labelFormat: string | null;
  maximumVolumeBytes: number;
}

/** The Storage a volume is for: its name, Media Type and the device the job writes on. */
export interface VolumeStorage {
  name: string;
  mediaType: string;
  device: string;
}

export interface VolumeChoice {
  volumeName: string;
  mediaId: number;
  /** The volume is new: the SD must write its label before using it. */
  label: boolean;
  maxVolumeBytes: number;
  /** Where the catalog believes the volume ends (0 for a new one): saves the SD a scan. */
  endHint: number;
}

/** Bareos's rule for a Label Format without variables: the format, then a 4-digit number. */
export function labelFormatName(format: string, n: number): string {
  return `${format}${String(n).padStart(4, '0')}`;
}

export interface VolumeWanted {
  pool: PoolPlan;
  storage: VolumeStorage;
  /** The volume the SD just filled, if any. */
  previousFull?: string;
  /** The SD's device may label a new volume (its Label Media); otherwise only existing volumes qualify. */
  labelMedia: boolean;
  /** The volume the job's drive has mounted: chosen first when it is appendable in the pool (Bareos asks the same). */
  mounted?: string;
  /** Volumes other drives of the SD append to, never chosen (Bareos's unwanted volumes). */
  unwanted?: ReadonlySet<string>;
}

export function chooseVolume(catalog: Catalog, wanted: VolumeWanted): VolumeChoice {
  const { pool, storage, previousFull } = wanted;
  if (previousFull) {
    const prev = catalog.getMediaByName(previousFull);
    if (prev && prev.volStatus === 'Append') catalog.setMediaStatus(prev.mediaId, 'Full');
  }
  const poolRow = catalog.getPool(pool.name);
  if (!poolRow) throw new BurrowError('NOT_FOUND', `Pool "${pool.name}" is not in the catalog`);
  const existing = appendableVolume(catalog, { poolId: poolRow.poolId, mediaType: storage.mediaType, mounted: wanted.mounted, unwanted: wanted.unwanted });
  if (existing) {
    return { volumeName: existing.volumeName, mediaId: existing.mediaId, label: false, maxVolumeBytes: maxBytes(pool, existing.maxVolBytes), endHint: existing.volBytes };
  }
  const labelCommand = `"label storage=${storage.name} pool=${pool.name} volume=NAME"`;
  if (!pool.labelFormat) {
    throw new BurrowError('NOT_FOUND',
      `no appendable volume of Media Type "${storage.mediaType}" in Pool "${pool.name}": label one with ` +
      `${labelCommand}, or give the pool a Label Format`);
  }
  // As in Bareos, automatic labelling needs the pool's Label Format and the device's
  // Label Media. (Bareos then waits for the operator; Burrow has no such wait yet, so
  // the job fails with the instruction, and no catalog volume is made that nothing labels.)
  if (!wanted.labelMedia) {
    throw new BurrowError('NOT_FOUND',
      `no appendable volume of Media Type "${storage.mediaType}" in Pool "${pool.name}", and Device "${storage.device}" ` +
      `has Label Media = no, so no new volume is labelled automatically: label one with ${labelCommand}, or set Label Media = yes`);
  }
  let n = catalog.countMedia(poolRow.poolId) + 1;
  while (catalog.getMediaByName(labelFormatName(pool.labelFormat, n))) n++;
  const volumeName = labelFormatName(pool.labelFormat, n);
  const storageId = catalog.ensureStorage(storage.name);
  const mediaId = catalog.createMedia({
    volumeName, poolId: poolRow.poolId, mediaType: storage.mediaType, storageId, maxVolBytes: pool.maximumVolumeBytes,
  });
  return { volumeName, mediaId, label: true, maxVolumeBytes: pool.maximumVolumeBytes, endHint: 0 };
}

/** The drive's mounted volume when it suits, else the pool's appendable volume that no other drive uses. */
function appendableVolume(
  catalog: Catalog, o: { poolId: number; mediaType: string; mounted?: string; unwanted?: ReadonlySet<string> },
): MediaRow | undefined {
  const fits = (m: MediaRow | undefined): m is MediaRow =>
    m !== undefined && m.poolId === o.poolId && m.mediaType === o.mediaType && m.volStatus === 'Append' && m.enabled === 1
    && !o.unwanted?.has(m.volumeName);
  const mounted = o.mounted ? catalog.getMediaByName(o.mounted) : undefined;
  if (fits(mounted)) return mounted;
  const first = catalog.findAppendableMedia(o.poolId, o.mediaType);
  if (!first || !o.unwanted?.has(first.volumeName)) return first;
  return catalog.findMedia({ poolId: o.poolId, mediaType: o.mediaType, statuses: ['Append'], order: 'oldest-written', exclude: o.unwanted });
}

function maxBytes(pool: PoolPlan, mediaMax: number): number {
  if (mediaMax > 0 && pool.maximumVolumeBytes > 0) return Math.min(mediaMax, pool.maximumVolumeBytes);
  return mediaMax > 0 ? mediaMax : pool.maximumVolumeBytes;
}
