import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog.js';
import {
  VOL_STATUSES, type MediaDefaults, type MediaEnabled, type MediaInput, type MediaPatch, type MediaRow,
  type MediaSearch, type MediaEventRow, type PurgedMedia, type VolStatus,
} from '../types.js';
import { mediaSearchSql, mediaListSql } from './media-queries.js';

type MediaOps = Pick<Catalog, 'createMedia' | 'getMediaByName' | 'getMedia' | 'findAppendableMedia' | 'findMedia'
  | 'updateMediaUsage' | 'setMediaStatus' | 'updateMedia' | 'updateMediaDefaults' | 'markEmptyMediaPurged' | 'deleteMedia' | 'listMedia'
  | 'countMedia' | 'highestMediaId' | 'addMediaEvent' | 'listMediaEvents' | 'lastMediaEvents'>;

export const MEDIA_SELECT = `SELECT M.MediaId AS mediaId, M.VolumeName AS volumeName, M.PoolId AS poolId,
  P.Name AS poolName, M.MediaType AS mediaType, M.StorageId AS storageId, S.Name AS storageName,
  M.VolStatus AS volStatus, M.VolBytes AS volBytes, M.VolBlocks AS volBlocks, M.VolJobs AS volJobs,
  M.VolFiles AS volFiles, M.VolMounts AS volMounts, M.VolErrors AS volErrors,
  M.MaxVolBytes AS maxVolBytes, M.MaxVolJobs AS maxVolJobs, M.MaxVolFiles AS maxVolFiles,
  M.VolRetention AS volRetention, M.VolUseDuration AS volUseDuration, M.Recycle AS recycle,
  M.RecycleCount AS recycleCount, M.RecyclePoolId AS recyclePoolId, RP.Name AS recyclePoolName,
  M.ScratchPoolId AS scratchPoolId, M.ActionOnPurge AS actionOnPurge,
  M.MinBlocksize AS minBlocksize, M.MaxBlocksize AS maxBlocksize, M.InitialWrite AS initialWrite,
  M.FirstWritten AS firstWritten, M.LastWritten AS lastWritten, M.LabelDate AS labelDate,
  M.Slot AS slot, M.InChanger AS inChanger, M.Enabled AS enabled, M.CreateTime AS createTime,
  M.Location AS location, M.Drive AS drive, M.ImportExport AS importExport
  FROM Media M JOIN Pool P ON P.PoolId = M.PoolId LEFT JOIN Pool RP ON RP.PoolId = M.RecyclePoolId
  LEFT JOIN Storage S ON S.StorageId = M.StorageId`;

const EVENT_SELECT = `SELECT MediaEventId AS mediaEventId, MediaId AS mediaId, VolumeName AS volumeName, Time AS time,
  Event AS event, Place AS place, JobId AS jobId, Text AS text FROM MediaEvent`;

type RawMedia = Omit<MediaRow, 'inChanger' | 'recycle' | 'importExport'> & { inChanger: number; recycle: number; importExport: number };

export function toMediaRow(raw: unknown): MediaRow | undefined {
  if (raw === undefined) return undefined;
  const r = raw as RawMedia;
  return { ...r, inChanger: r.inChanger !== 0, recycle: r.recycle !== 0, importExport: r.importExport !== 0 };
}

export function checkVolStatus(status: string): VolStatus {
  if (!(VOL_STATUSES as readonly string[]).includes(status)) {
    throw new BurrowError('BAD_REQUEST', `unknown volume status "${status}"; use one of ${VOL_STATUSES.join(', ')}`);
  }
  return status as VolStatus;
}

function checkEnabled(enabled: number): MediaEnabled {
  if (enabled !== 0 && enabled !== 1 && enabled !== 2) {
    throw new BurrowError('BAD_REQUEST', `Enabled must be 0 (disabled), 1 (enabled) or 2 (archived), not ${enabled}`);
  }
  return enabled;
}

/** MediaPatch fields and their columns: the only columns updateMedia may set. */
const PATCH_COLUMNS: Readonly<Record<keyof MediaPatch, string>> = {
  volumeName: 'VolumeName', volStatus: 'VolStatus', poolId: 'PoolId', mediaType: 'MediaType', storageId: 'StorageId',
  scratchPoolId: 'ScratchPoolId', volBytes: 'VolBytes', volBlocks: 'VolBlocks', volJobs: 'VolJobs', volFiles: 'VolFiles',
  volErrors: 'VolErrors', recycleCount: 'RecycleCount', volMounts: 'VolMounts', firstWritten: 'FirstWritten',
  lastWritten: 'LastWritten', labelDate: 'LabelDate', slot: 'Slot', inChanger: 'InChanger', enabled: 'Enabled',
  maxVolBytes: 'MaxVolBytes', maxVolJobs: 'MaxVolJobs', maxVolFiles: 'MaxVolFiles', volRetention: 'VolRetention',
  volUseDuration: 'VolUseDuration', recycle: 'Recycle', recyclePoolId: 'RecyclePoolId', actionOnPurge: 'ActionOnPurge',
  minBlocksize: 'MinBlocksize', maxBlocksize: 'MaxBlocksize', location: 'Location', drive: 'Drive', importExport: 'ImportExport',
};

/** A patch value as SQLite stores it (booleans as 0/1), checked where a CHECK would only say "constraint failed". */
function columnValue(key: keyof MediaPatch, value: unknown): unknown {
  if (key === 'volStatus') return checkVolStatus(String(value));
  if (key === 'enabled') return checkEnabled(Number(value));
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const DEFAULTS_SET = `MaxVolBytes = @maxVolBytes, MaxVolJobs = @maxVolJobs, MaxVolFiles = @maxVolFiles,
  VolRetention = @volRetention, VolUseDuration = @volUseDuration, Recycle = @recycle,
  RecyclePoolId = @recyclePoolId, ActionOnPurge = @actionOnPurge, MinBlocksize = @minBlocksize,
  MaxBlocksize = @maxBlocksize`;

function defaultsParams(d: MediaDefaults): Record<string, number | null> {
  return {
    maxVolBytes: d.maxVolBytes, maxVolJobs: d.maxVolJobs, maxVolFiles: d.maxVolFiles, volRetention: d.volRetention,
    volUseDuration: d.volUseDuration, recycle: d.recycle ? 1 : 0, recyclePoolId: d.recyclePoolId,
    actionOnPurge: d.actionOnPurge, minBlocksize: d.minBlocksize, maxBlocksize: d.maxBlocksize,
  };
}

/** Volumes: creation, the steps of the next-volume search, usage from the SD, and changes by hand. */
export function mediaOps(db: Database.Database, now: () => number): MediaOps {
  const stmt = {
    add: db.prepare(`INSERT INTO Media (VolumeName, PoolId, MediaType, StorageId, VolStatus, VolBytes, VolBlocks, VolFiles,
        MaxVolBytes, MaxVolJobs, MaxVolFiles, VolRetention, VolUseDuration, Recycle, RecyclePoolId, ScratchPoolId,
        ActionOnPurge, MinBlocksize, MaxBlocksize, LabelDate, Slot, InChanger, Enabled, CreateTime)
      VALUES (@volumeName, @poolId, @mediaType, @storageId, @volStatus, @volBytes, @volBlocks, @volFiles, @maxVolBytes,
        @maxVolJobs, @maxVolFiles, @volRetention, @volUseDuration, @recycle, @recyclePoolId, @scratchPoolId,
        @actionOnPurge, @minBlocksize, @maxBlocksize, @labelDate, @slot, @inChanger, @enabled, @createTime)`),
    byName: db.prepare(`${MEDIA_SELECT} WHERE M.VolumeName = ?`),
    byId: db.prepare(`${MEDIA_SELECT} WHERE M.MediaId = ?`),
    // Written volumes first (fill what is started), oldest first; then fresh ones in order made.
    appendable: db.prepare(`${MEDIA_SELECT} WHERE M.PoolId = ? AND M.MediaType = ?
      AND M.VolStatus = 'Append' AND M.Enabled = 1
      ORDER BY M.LastWritten IS NULL, M.LastWritten, M.MediaId LIMIT 1`),
    // InitialWrite is the first write ever; FirstWritten restarts when the volume is recycled.
    usage: db.prepare(`UPDATE Media SET VolBytes = @volBytes, VolBlocks = @volBlocks,
        LastWritten = @lastWritten, FirstWritten = COALESCE(FirstWritten, @lastWritten),
        InitialWrite = COALESCE(InitialWrite, @lastWritten),
        VolStatus = COALESCE(@volStatus, VolStatus), VolJobs = VolJobs + @jobs,
        VolFiles = MAX(VolFiles, @files)
      WHERE MediaId = @mediaId`),
    status: db.prepare('UPDATE Media SET VolStatus = ? WHERE MediaId = ?'),
    defaultsOne: db.prepare(`UPDATE Media SET ${DEFAULTS_SET} WHERE MediaId = @target`),
    defaultsPool: db.prepare(`UPDATE Media SET ${DEFAULTS_SET} WHERE PoolId = @target`),
    remove: db.prepare('DELETE FROM Media WHERE MediaId = ?'),
    purgeEmpty: db.prepare(`UPDATE Media SET VolStatus = 'Purged'
      WHERE MediaId IN (SELECT value FROM json_each(@ids)) AND VolStatus IN ('Full', 'Used', 'Error')
        AND FirstWritten IS NOT NULL AND LastWritten IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM JobMedia JM WHERE JM.MediaId = Media.MediaId)
      RETURNING MediaId AS mediaId, VolumeName AS volumeName, PoolId AS poolId, RecyclePoolId AS recyclePoolId`),
    used: db.prepare(`SELECT (SELECT COUNT(*) FROM JobMedia WHERE MediaId = @id)
      + (SELECT COUNT(*) FROM File WHERE MediaId = @id) AS n`),
    count: db.prepare('SELECT COUNT(*) AS n FROM Media WHERE PoolId = ?'),
    highest: db.prepare('SELECT COALESCE(MAX(MediaId), 0) AS n FROM Media'),
    eventAdd: db.prepare(`INSERT INTO MediaEvent (MediaId, VolumeName, Time, Event, Place, JobId, Text)
      VALUES (@mediaId, @volumeName, @time, @event, @place, @jobId, @text)`),
    events: db.prepare(`${EVENT_SELECT} WHERE VolumeName = ? ORDER BY MediaEventId`),
    lastEvents: db.prepare(`${EVENT_SELECT} WHERE MediaEventId IN (SELECT MAX(MediaEventId) FROM MediaEvent GROUP BY VolumeName)`),
  };
  const searches = new Map<string, Database.Statement>();
  const lists = new Map<string, Database.Statement>();
  const cached = (cache: Map<string, Database.Statement>, sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (s === undefined) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };

  const mustChange = (changes: number, mediaId: number): void => {
    if (changes === 0) throw new BurrowError('NOT_FOUND', `no volume with MediaId ${mediaId} in the catalog`);
  };

  // Asynchronous by the interface; here each runs when it is called, so writes keep their order.
  return {
    async createMedia(media: MediaInput) {
      if (stmt.byName.get(media.volumeName) !== undefined) {
        throw new BurrowError('CATALOG', `volume "${media.volumeName}" is already in the catalog`);
      }
      const info = stmt.add.run({
        volumeName: media.volumeName,
        poolId: media.poolId,
        mediaType: media.mediaType,
        storageId: media.storageId ?? null,
        volStatus: checkVolStatus(media.volStatus ?? 'Append'),
        volBytes: media.volBytes ?? 0,
        volBlocks: media.volBlocks ?? 0,
        volFiles: media.volFiles ?? 0,
        maxVolBytes: media.maxVolBytes ?? 0,
        maxVolJobs: media.maxVolJobs ?? 0,
        maxVolFiles: media.maxVolFiles ?? 0,
        volRetention: media.volRetention ?? 0,
        volUseDuration: media.volUseDuration ?? 0,
        recycle: media.recycle === false ? 0 : 1,
        recyclePoolId: media.recyclePoolId ?? null,
        scratchPoolId: media.scratchPoolId ?? null,
        actionOnPurge: media.actionOnPurge ?? 0,
        minBlocksize: media.minBlocksize ?? 0,
        maxBlocksize: media.maxBlocksize ?? 0,
        labelDate: media.labelDate ?? null,
        slot: media.slot ?? 0,
        inChanger: media.inChanger === true ? 1 : 0,
        enabled: checkEnabled(media.enabled ?? 1),
        createTime: media.createTime ?? now(),
      });
      return Number(info.lastInsertRowid);
    },
    getMediaByName: async (name) => toMediaRow(stmt.byName.get(name)),
    getMedia: async (id) => toMediaRow(stmt.byId.get(id)),
    findAppendableMedia: async (poolId, mediaType) => toMediaRow(stmt.appendable.get(poolId, mediaType)),
    async findMedia(search: MediaSearch) {
      const { sql, params } = mediaSearchSql(MEDIA_SELECT, search);
      return toMediaRow(cached(searches, sql).get(params));
    },
    async updateMediaUsage(mediaId, usage) {
      const info = stmt.usage.run({
        mediaId,
        volBytes: usage.volBytes,
        volBlocks: usage.volBlocks,
        lastWritten: usage.lastWritten,
        volStatus: usage.volStatus === undefined ? null : checkVolStatus(usage.volStatus),
        jobs: usage.incrementJobs === true ? 1 : 0,
        files: usage.volFiles ?? 0,
      });
      mustChange(info.changes, mediaId);
    },
    async setMediaStatus(mediaId, status) {
      mustChange(stmt.status.run(checkVolStatus(status), mediaId).changes, mediaId);
    },
    async updateMedia(mediaId, patch) {
      const keys = (Object.keys(patch) as (keyof MediaPatch)[]).filter((k) => patch[k] !== undefined);
      if (keys.length === 0) {
        if (stmt.byId.get(mediaId) === undefined) mustChange(0, mediaId);
        return;
      }
      for (const k of keys) if (PATCH_COLUMNS[k] === undefined) throw new BurrowError('INTERNAL', `no Media column for "${k}"`);
      if (patch.volumeName !== undefined) {
        const other = toMediaRow(stmt.byName.get(patch.volumeName));
        if (other && other.mediaId !== mediaId) throw new BurrowError('CATALOG', `volume "${patch.volumeName}" is already in the catalog`);
      }
      const sql = `UPDATE Media SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`).join(', ')} WHERE MediaId = @mediaId`;
      const params: Record<string, unknown> = { mediaId };
      for (const k of keys) params[k] = columnValue(k, patch[k]);
      mustChange(cached(searches, sql).run(params).changes, mediaId);
    },
    async updateMediaDefaults(defaults, target) {
      const params = defaultsParams(defaults);
      const run = 'mediaId' in target ? stmt.defaultsOne.run({ ...params, target: target.mediaId })
        : stmt.defaultsPool.run({ ...params, target: target.poolId });
      return run.changes;
    },
    markEmptyMediaPurged: async (mediaIds) => (mediaIds.length === 0 ? []
      : (stmt.purgeEmpty.all({ ids: JSON.stringify(mediaIds) }) as PurgedMedia[]).sort((a, b) => a.mediaId - b.mediaId)),
    async deleteMedia(mediaId) {
      const { n } = stmt.used.get({ id: mediaId }) as { n: number };
      if (n > 0) throw new BurrowError('CATALOG', `volume with MediaId ${mediaId} still holds ${n} job or file records; purge it first`);
      mustChange(stmt.remove.run(mediaId).changes, mediaId);
    },
    async listMedia(filter = {}) {
      const { sql, params } = mediaListSql(MEDIA_SELECT, filter);
      return cached(lists, sql).all(params).map((r) => toMediaRow(r) as MediaRow);
    },
    countMedia: async (poolId) => (stmt.count.get(poolId) as { n: number }).n,
    highestMediaId: async () => (stmt.highest.get() as { n: number }).n,
    async addMediaEvent(e) {
      stmt.eventAdd.run(e);
    },
    listMediaEvents: async (volumeName) => stmt.events.all(volumeName) as MediaEventRow[],
    lastMediaEvents: async () => new Map((stmt.lastEvents.all() as MediaEventRow[]).map((e) => [e.volumeName, e])),
  };
}
