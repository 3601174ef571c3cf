/**
 * Reads a session's data across the volumes it was written on, in order, carrying
 * unfinished records from one volume to the next so a record split by a volume change
 * comes out whole. Each volume is opened only when reached and closed when left.
 */
import type { BlockAddress, ReadVolume } from '../devices/drive.js';
import { Reassembly, type RecordBufferPool } from './reassembly.js';
import { readVolume, type VolumeItem } from './reader.js';

export interface VolumeToRead {
  volumeName: string;
  /** Where the wanted data starts on this volume (a bootstrap's start address). */
  startAddr?: BlockAddress;
  /** Wanted file indexes on this volume; all when absent. */
  fileIndexes?: Iterable<number>;
}

export interface MultiVolumeOptions {
  /** Opens a volume by name (usually Device.openForRead, after a mount). */
  openVolume: (volumeName: string, signal?: AbortSignal) => Promise<ReadVolume>;
  volumes: readonly VolumeToRead[];
  sessionId?: number;
  signal?: AbortSignal;
  /** Yield a 'block' item per block that verifies (readVolume's reportBlocks). */
  reportBlocks?: boolean;
  /** Where records split over blocks are put together; their `release` gives the buffer back (reassembly.ts). */
  pool?: RecordBufferPool;
}

/**
 * Yields the items of each volume in turn, like readVolume. Records that continue on
 * the next volume are not reported as incomplete until the last volume has been read.
 */
export async function* readVolumes(opts: MultiVolumeOptions): AsyncGenerator<VolumeItem, void> {
  const reassembly = new Reassembly(opts.pool);
  for (const [i, spec] of opts.volumes.entries()) {
    opts.signal?.throwIfAborted();
    const volume = await opts.openVolume(spec.volumeName, opts.signal);
    try {
      yield* readVolume(volume, {
        startAddr: spec.startAddr,
        sessionId: opts.sessionId,
        fileIndexes: spec.fileIndexes,
        reassembly,
        reportIncomplete: i === opts.volumes.length - 1,
        reportBlocks: opts.reportBlocks,
        signal: opts.signal,
      });
    } finally {
      await volume.close();
    }
  }
}
