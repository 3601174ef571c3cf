/**
 * Volume state for the live events: each write to a volume's row that can change what a
 * follower sees of it (its status, its bytes, its place) is told as a `volume` event
 * once the catalog holds it. Made here, at the catalog, where every such write passes,
 * so a job marking a volume Full or Used, a purge, a recycle, a label or an `update
 * volume` cannot forget to tell (the operator's commands are `media` events besides).
 */
import type { Catalog, MediaRow } from '../catalog/index.js';
import type { JobEvents, VolumeState } from './events.js';

export function volumeState(row: MediaRow): VolumeState {
  return {
    volume: row.volumeName, status: row.volStatus, pool: row.poolName,
    ...(row.storageName !== null ? { storage: row.storageName } : {}),
    bytes: row.volBytes, jobs: row.volJobs, inChanger: row.inChanger, slot: row.slot,
  };
}

export function reportingVolumes(catalog: Catalog, events: JobEvents): Catalog {
  /** What was last told of each volume: a write that changes nothing a follower sees is not told. */
  const told = new Map<number, string>();
  const tell = async (mediaId: number): Promise<void> => {
    // The write is done either way: a read that fails only leaves this change untold.
    const row = await catalog.getMedia(mediaId).catch(() => undefined);
    if (row === undefined) return;
    const state = volumeState(row);
    const text = JSON.stringify(state);
    if (told.get(mediaId) === text) return;
    told.set(mediaId, text);
    events.emit('volume', state);
  };
  return {
    ...catalog,
    async createMedia(media) {
      const mediaId = await catalog.createMedia(media);
      await tell(mediaId);
      return mediaId;
    },
    async setMediaStatus(mediaId, status) {
      await catalog.setMediaStatus(mediaId, status);
      await tell(mediaId);
    },
    async updateMediaUsage(mediaId, usage) {
      await catalog.updateMediaUsage(mediaId, usage);
      await tell(mediaId);
    },
    async updateMedia(mediaId, patch) {
      await catalog.updateMedia(mediaId, patch);
      await tell(mediaId);
    },
    async markEmptyMediaPurged(mediaIds) {
      const purged = await catalog.markEmptyMediaPurged(mediaIds);
      for (const p of purged) await tell(p.mediaId);
      return purged;
    },
    async deleteMedia(mediaId) {
      await catalog.deleteMedia(mediaId);
      told.delete(mediaId);
    },
  };
}
