/** What the next-volume search hands back: the volume, what the SD does with it, and what waits for its mount. */
import type { MediaInput, MediaRow, PoolRow } from '../catalog/index.js';

/** What the SD does before appending: nothing, write a new label, or write a fresh label over an old volume. */
export type VolumeAction = 'append' | 'label' | 'recycle';

/**
 * The catalog changes that wait until the SD has the volume mounted (the improvement
 * on Bareos, which recycles and moves first): nothing, a new volume's row, or an
 * existing volume's recycle and/or move into the job's pool (after purging its jobs,
 * for Purge Oldest Volume).
 */
export type OnMounted =
  | { kind: 'none' }
  | { kind: 'create'; input: MediaInput }
  | { kind: 'existing'; mediaId: number; recycle: boolean; moveTo: PoolRow | null; purgeJobIds: readonly number[] };

export interface VolumeChoice {
  volumeName: string;
  /** The catalog row as it is now (undefined for a volume still to be made). */
  media: MediaRow | undefined;
  action: VolumeAction;
  onMounted: OnMounted;
  /** Maximum Volume Bytes the SD enforces (the volume's own; the pool's for a new one). */
  maxVolBytes: number;
  /** Where the catalog believes the volume ends (0: unknown or new). */
  endHint: number;
}

export type VolumeSearchResult =
  | { found: VolumeChoice; lines: string[] }
  /** Nothing usable: `reason` says what the operator can do (M3 makes the job wait here instead of failing). */
  | { found: null; lines: string[]; reason: string };
