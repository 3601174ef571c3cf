import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog.js';
import { VOL_STATUSES, type MediaInput, type MediaRow, type VolStatus } from '../types.js';

type MediaOps = Pick<Catalog, 'createMedia' | 'getMediaByName' | 'getMedia' | 'findAppendableMedia'
  | 'updateMediaUsage' | 'setMediaStatus' | 'listMedia' | 'countMedia'>;

const MEDIA_SELECT = `SELECT M.MediaId AS mediaId, M.VolumeName AS volumeName, M.PoolId AS poolId,
  P.Name AS poolName, M.MediaType AS mediaType, M.StorageId AS storageId, M.VolStatus AS volStatus,
  M.VolBytes AS volBytes, M.VolBlocks AS volBlocks, M.VolJobs AS volJobs, M.VolFiles AS volFiles,
  M.MaxVolBytes AS maxVolBytes, M.VolRetention AS volRetention, M.FirstWritten AS firstWritten,
  M.LastWritten AS lastWritten, M.LabelDate AS labelDate, M.Slot AS slot, M.InChanger AS inChanger,
  M.Enabled AS enabled, M.CreateTime AS createTime
  FROM Media M JOIN Pool P ON P.PoolId = M.PoolId`;

type RawMedia = Omit<MediaRow, 'inChanger' | 'enabled'> & { inChanger: number; enabled: number };

function toRow(raw: unknown): MediaRow | undefined {
  if (raw === undefined) return undefined;
  const r = raw as RawMedia;
  return { ...r, inChanger: r.inChanger !== 0, enabled: r.enabled !== 0 };
}

export function checkVolStatus(status: string): VolStatus {
  if (!(VOL_STATUSES as readonly string[]).includes(status)) {
    throw new BurrowError('BAD_REQUEST', `unknown volume status "${status}"; use one of ${VOL_STATUSES.join(', ')}`);
  }
  return status as VolStatus;
}

/** Volumes: creation, the choice of the next one to append to, and usage from the SD. */
export function mediaOps(db: Database.Database, now: () => number): MediaOps {
  const stmt = {
    add: db.prepare(`INSERT INTO Media (VolumeName, PoolId, MediaType, StorageId, VolStatus,
        MaxVolBytes, VolRetention, LabelDate, Slot, InChanger, CreateTime)
      VALUES (@volumeName, @poolId, @mediaType, @storageId, @volStatus, @maxVolBytes,
        @volRetention, @labelDate, @slot, @inChanger, @createTime)`),
    byName: db.prepare(`${MEDIA_SELECT} WHERE M.VolumeName = ?`),
    byId: db.prepare(`${MEDIA_SELECT} WHERE M.MediaId = ?`),
    // Written volumes first (fill what is started), oldest first; then fresh ones in order made.
    appendable: db.prepare(`${MEDIA_SELECT} WHERE M.PoolId = ? AND M.MediaType = ?
      AND M.VolStatus = 'Append' AND M.Enabled = 1
      ORDER BY M.LastWritten IS NULL, M.LastWritten, M.MediaId LIMIT 1`),
    usage: db.prepare(`UPDATE Media SET VolBytes = @volBytes, VolBlocks = @volBlocks,
        LastWritten = @lastWritten, FirstWritten = COALESCE(FirstWritten, @lastWritten),
        VolStatus = COALESCE(@volStatus, VolStatus), VolJobs = VolJobs + @jobs,
        VolFiles = VolFiles + @files
      WHERE MediaId = @mediaId`),
    status: db.prepare('UPDATE Media SET VolStatus = ? WHERE MediaId = ?'),
    all: db.prepare(`${MEDIA_SELECT} ORDER BY M.PoolId, M.MediaId`),
    inPool: db.prepare(`${MEDIA_SELECT} WHERE M.PoolId = ? ORDER BY M.MediaId`),
    count: db.prepare('SELECT COUNT(*) AS n FROM Media WHERE PoolId = ?'),
  };

  const mustChange = (changes: number, mediaId: number): void => {
    if (changes === 0) throw new BurrowError('NOT_FOUND', `no volume with MediaId ${mediaId} in the catalog`);
  };

  return {
    createMedia(media: MediaInput) {
      if (stmt.byName.get(media.volumeName) !== undefined) {
        throw new BurrowError('CATALOG', `volume "${media.volumeName}" is already in the catalog`);
      }
      const info = stmt.add.run({
        volumeName: media.volumeName,
        poolId: media.poolId,
        mediaType: media.mediaType,
        storageId: media.storageId ?? null,
        volStatus: checkVolStatus(media.volStatus ?? 'Append'),
        maxVolBytes: media.maxVolBytes ?? 0,
        volRetention: media.volRetention ?? 0,
        labelDate: media.labelDate ?? null,
        slot: media.slot ?? 0,
        inChanger: media.inChanger === true ? 1 : 0,
        createTime: media.createTime ?? now(),
      });
      return Number(info.lastInsertRowid);
    },
    getMediaByName: (name) => toRow(stmt.byName.get(name)),
    getMedia: (id) => toRow(stmt.byId.get(id)),
    findAppendableMedia: (poolId, mediaType) => toRow(stmt.appendable.get(poolId, mediaType)),
    updateMediaUsage(mediaId, usage) {
      const info = stmt.usage.run({
        mediaId,
        volBytes: usage.volBytes,
        volBlocks: usage.volBlocks,
        lastWritten: usage.lastWritten,
        volStatus: usage.volStatus === undefined ? null : checkVolStatus(usage.volStatus),
        jobs: usage.incrementJobs === true ? 1 : 0,
        files: usage.addFiles ?? 0,
      });
      mustChange(info.changes, mediaId);
    },
    setMediaStatus(mediaId, status) {
      mustChange(stmt.status.run(checkVolStatus(status), mediaId).changes, mediaId);
    },
    listMedia: (poolId) => (poolId === undefined ? stmt.all.all() : stmt.inPool.all(poolId))
      .map((r) => toRow(r) as MediaRow),
    countMedia: (poolId) => (stmt.count.get(poolId) as { n: number }).n,
  };
}
