/**
 * Row and input shapes of the catalog. Units, everywhere in this module:
 *  - points in time are epoch milliseconds (numbers, never Date);
 *  - durations are milliseconds;
 *  - sizes are bytes; ids are positive integers;
 *  - file and path names are Buffers (raw bytes, never assumed UTF-8).
 * Nullable columns come back as `null`, never `undefined`.
 */

/** Bareos job types: Backup, Restore, Verify. */
export type JobType = 'B' | 'R' | 'V';
/** Bareos's backup levels: Full, Incremental, Differential. */
export type BackupLevel = 'F' | 'I' | 'D';
/** Bareos's words for them, as reports and job logs print them. */
export const LEVEL_NAMES: Readonly<Record<BackupLevel, string>> = { F: 'Full', I: 'Incremental', D: 'Differential' };
/**
 * Bareos's verify levels as the catalog stores them (include/job_level.h): InitCatalog
 * V, Catalog C, VolumeToCatalog O, DiskToCatalog d, Data A.
 */
export type VerifyLevelCode = 'V' | 'C' | 'O' | 'd' | 'A';
/** Bareos levels: a backup's, a verify's, and ' ' for jobs without one (restores). */
export type JobLevel = BackupLevel | VerifyLevelCode | ' ';

/**
 * Bareos job status letters. Final: T (OK), W (OK with warnings), E (error), f (fatal),
 * A (canceled), I (Incomplete: failed after a checkpoint, its files saved until then are
 * in the catalog and restorable, and the next Full continues from them). Everything else means the job is still alive: C created/waiting,
 * R running, and Bareos's waiting states F (client), S (storage), m (new media),
 * M (mount) — a job that needs an operator waits visibly rather than failing.
 */
export type JobStatus = 'C' | 'R' | 'F' | 'S' | 'm' | 'M' | 'T' | 'W' | 'E' | 'f' | 'A' | 'I';
export const JOB_STATUSES: readonly JobStatus[] = ['C', 'R', 'F', 'S', 'm', 'M', 'T', 'W', 'E', 'f', 'A', 'I'];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['T', 'W', 'E', 'f', 'A', 'I'];

/**
 * Bareos VolStatus values (catalog column Media.VolStatus). Unlabeled: a record made
 * by `add`, not yet labelled; Cleaning: a cleaning cartridge. What each means for
 * selection, pruning and recycling is the media module's (media/statuses.ts).
 */
export type VolStatus =
  | 'Append' | 'Full' | 'Used' | 'Error' | 'Purged' | 'Recycle' | 'Archive' | 'Read-Only'
  | 'Unlabeled' | 'Cleaning' | 'Disabled';
export const VOL_STATUSES: readonly VolStatus[] =
  ['Append', 'Full', 'Used', 'Error', 'Purged', 'Recycle', 'Archive', 'Read-Only', 'Unlabeled', 'Cleaning', 'Disabled'];

/** Bareos's Media.Enabled: 0 disabled, 1 enabled, 2 archived (never pruned). */
export type MediaEnabled = 0 | 1 | 2;
export const MEDIA_DISABLED = 0;
export const MEDIA_ENABLED = 1;
export const MEDIA_ARCHIVED = 2;

/** Bareos's ActionOnPurge bits (ON_PURGE_TRUNCATE = 1): what a purge does to the volume. */
export type ActionOnPurge = 0 | 1;
export const ON_PURGE_NONE = 0;
export const ON_PURGE_TRUNCATE = 1;

export interface ClientRow { clientId: number; name: string }
export interface StorageRow { storageId: number; name: string }

/** One row per distinct FileSet digest (Bareos keeps history the same way). */
export interface FileSetRow { fileSetId: number; name: string; digest: string; createTime: number }

/**
 * The Pool directives the catalog keeps; written from the configuration on every start
 * and reload, and by `update pool`. Durations in ms; 0 means "no limit" for the
 * limits and "not set" for the File and Job Retention (the Client's then apply).
 */
export interface PoolInput {
  name: string;
  poolType?: string;            // Backup (default), Archive, Scratch, ...
  labelFormat?: string | null;  // e.g. "Full-" -> Full-0001
  maximumVolumes?: number;      // 0: no limit
  maximumVolumeJobs?: number;   // 0: no limit
  maximumVolumeFiles?: number;  // 0: no limit
  maximumVolumeBytes?: number;  // 0: no limit
  volumeUseDuration?: number;   // ms, 0: no limit
  volumeRetention?: number;     // ms
  fileRetention?: number;       // ms, 0: the Client's
  jobRetention?: number;        // ms, 0: the Client's
  autoPrune?: boolean;
  recycle?: boolean;
  recycleOldestVolume?: boolean;
  purgeOldestVolume?: boolean;
  recycleCurrentVolume?: boolean;
  /** Pool ids (the rows of the pools named by Recycle Pool / Scratch Pool); null: none. */
  recyclePoolId?: number | null;
  scratchPoolId?: number | null;
  actionOnPurge?: ActionOnPurge;
  cleaningPrefix?: string;
  minBlocksize?: number;
  maxBlocksize?: number;
  /** The Pool's Allowed Clients (Client names); empty: any client may write to the pool. */
  allowedClients?: readonly string[];
}
export interface PoolRow extends Required<PoolInput> {
  poolId: number;
  labelFormat: string | null;
  recyclePoolId: number | null;
  scratchPoolId: number | null;
}

/**
 * A volume's own copy of its pool's limits and recycling settings (Bareos's
 * SetPoolDbrDefaultsInMediaDbr): taken when the volume is made or moves pools, and
 * by `update volume frompool`.
 */
export interface MediaDefaults {
  maxVolBytes: number;
  maxVolJobs: number;
  maxVolFiles: number;
  volRetention: number;
  volUseDuration: number;
  recycle: boolean;
  recyclePoolId: number | null;
  actionOnPurge: ActionOnPurge;
  minBlocksize: number;
  maxBlocksize: number;
}

export interface MediaInput extends Partial<MediaDefaults> {
  volumeName: string;
  poolId: number;
  mediaType: string;
  storageId?: number | null;
  volStatus?: VolStatus;        // default Append
  /** The label's size, for a volume labelled as it is recorded (0: not labelled yet). */
  volBytes?: number;
  volBlocks?: number;
  /** VolFiles after the label (1 on tape: the label's tape file; docs/cartridges.md). */
  volFiles?: number;
  scratchPoolId?: number | null;
  labelDate?: number | null;
  slot?: number;
  inChanger?: boolean;
  enabled?: MediaEnabled;
  createTime?: number;          // default now
}

export interface MediaRow extends MediaDefaults {
  mediaId: number;
  volumeName: string;
  poolId: number;
  poolName: string;
  mediaType: string;
  storageId: number | null;
  storageName: string | null;
  volStatus: VolStatus;
  volBytes: number;
  volBlocks: number;
  volJobs: number;
  volFiles: number;
  volMounts: number;
  volErrors: number;
  recycleCount: number;
  recyclePoolName: string | null;
  scratchPoolId: number | null;
  initialWrite: number | null;
  firstWritten: number | null;
  lastWritten: number | null;
  labelDate: number | null;
  slot: number;
  inChanger: boolean;
  enabled: MediaEnabled;
  createTime: number;
  /** The named place the operator gave the cartridge (`update volume location=`); '' none. */
  location: string;
  /** The changer drive (from 0) it was last seen mounted in; -1 none. */
  drive: number;
  /** Slot is an import/export slot (the cartridge was exported). */
  importExport: boolean;
}

/**
 * A change to one volume's row (`update volume`, a pool move, recycling, a label).
 * Only the fields given change. Counters and times are set, not added to.
 */
export interface MediaPatch extends Partial<MediaDefaults> {
  volumeName?: string;
  volStatus?: VolStatus;
  poolId?: number;
  mediaType?: string;
  storageId?: number | null;
  scratchPoolId?: number | null;
  volBytes?: number;
  volBlocks?: number;
  volJobs?: number;
  volFiles?: number;
  volErrors?: number;
  recycleCount?: number;
  volMounts?: number;
  firstWritten?: number | null;
  lastWritten?: number | null;
  labelDate?: number | null;
  slot?: number;
  inChanger?: boolean;
  location?: string;
  drive?: number;
  importExport?: boolean;
  enabled?: MediaEnabled;
}

/** A volume markEmptyMediaPurged marked. */
export interface PurgedMedia {
  mediaId: number;
  volumeName: string;
  poolId: number;
  recyclePoolId: number | null;
}

export interface MediaUsage {
  volBytes: number;
  volBlocks: number;
  lastWritten: number;
  volStatus?: VolStatus;
  /** Count one more job on the volume (once per job, on its first use). */
  incrementJobs?: boolean;
  /**
   * The volume's files (VolFiles, Bareos's meaning: on tape its filemarks, the tape file
   * the next append starts in; on disk the file part of its end address) after this
   * write. The count only grows here: a report from one of several writers sharing the
   * volume that comes late cannot lower it.
   */
  volFiles?: number;
}

/** Order of a volume search (cats/sql_find.cc FindNextVolume). */
export type MediaOrder =
  /** `LastWritten IS NULL, LastWritten DESC, MediaId`: the volume being filled first. */
  | 'most-recently-written'
  /** `LastWritten ASC, MediaId` (never written first): the oldest, to recycle. */
  | 'oldest-written';

/** One step of the next-volume search: the first volume matching all of it. */
export interface MediaSearch {
  poolId: number;
  mediaType: string;
  statuses: readonly VolStatus[];
  order: MediaOrder;
  /** Only volumes with Recycle = yes. */
  recyclable?: boolean;
  /** Only volumes in this changer (InChanger = 1 and this StorageId). */
  inChangerOf?: number;
  /** Volume names to skip (the SD's unwanted ones, those reserved by other jobs). */
  exclude?: ReadonlySet<string>;
}

/** Which volumes `listMedia` returns; every field narrows, none gives all. */
export interface MediaFilter {
  poolId?: number;
  /** Volumes of this pool, or whose Recycle Pool is one of these (pruning's candidates). */
  poolOrRecyclePool?: { poolId: number; recyclePoolIds: readonly number[] };
  mediaType?: string;
  statuses?: readonly VolStatus[];
  /** Default MediaId order; 'oldest-written' is volume pruning's order. */
  order?: 'media-id' | 'oldest-written';
}

export interface JobInput {
  /** A job known by its id already (bscan recreating it from its volumes, where the id is the session's); new by default. */
  jobId?: number;
  name: string;                 // the Job resource's name
  /** Unique job name "<Name>.<YYYY-MM-DD_HH.MM.SS>_<seq>"; made from the job id when absent. */
  job?: string;
  type: JobType;
  level: JobLevel;
  clientId: number | null;
  fileSetId: number | null;
  poolId: number | null;
  storageId?: number | null;
  schedTime: number;
  priorJobId?: number | null;   // restore/verify: the job they read
}

export interface JobEnd {
  status: JobStatus;
  endTime: number;
  jobFiles: number;
  jobBytes: number;
  readBytes?: number;
  jobErrors?: number;
  /** The *since* time an Incremental/Differential used (ms), for the report. */
  since?: number | null;
}

export interface JobRow {
  jobId: number;
  job: string;
  name: string;
  type: JobType;
  level: JobLevel;
  status: JobStatus;
  clientId: number | null;
  clientName: string | null;
  fileSetId: number | null;
  fileSetName: string | null;
  poolId: number | null;
  poolName: string | null;
  storageId: number | null;
  priorJobId: number | null;
  schedTime: number;
  startTime: number | null;
  endTime: number | null;
  since: number | null;
  jobFiles: number;
  jobBytes: number;
  readBytes: number;
  jobErrors: number;
  /** The job's File rows were pruned or purged (Bareos's PurgedFiles). */
  purgedFiles: boolean;
}

export interface JobQuery {
  client?: string;
  name?: string;
  type?: JobType;
  /** Only the most recent `limit` jobs (still returned oldest first). */
  limit?: number;
}

/** Jobs old enough for a retention (Bareos's `JobTDate < now - retention`). */
export interface JobAgeQuery {
  /** Jobs that started before this time (those that never started: scheduled before it). */
  before: number;
  clientId?: number;
  poolId?: number;
  /** Only jobs with File rows still there: not PurgedFiles, or marked but with a deletion left to finish. */
  withFiles?: boolean;
}

export interface LastJobQuery {
  name?: string;
  clientId: number;
  fileSetId: number;
  /** Levels that count; all backup levels when absent (Incremental builds on any, Differential on F). */
  levels?: JobLevel[];
}

export interface LogRow { logId: number; jobId: number | null; time: number; text: string }

/**
 * One file written by a backup, with the coordinates that let a restore position
 * straight to it. A fileIndex of 0 marks a file Accurate mode found deleted (the
 * Bareos convention): it hides older versions in a point-in-time restore.
 */
export interface FileInput {
  fileIndex: number;
  path: Buffer;                 // absolute path on the client, raw bytes
  mediaId: number | null;       // null only for deleted-file rows
  addr: number;                 // block address of the attribute record
  type: number;                 // burrow.FileType
  size: number;
  mtime: number;                // ms
  attributes: Buffer;           // burrow.FileAttributes protobuf bytes
  digest?: Buffer | null;
  digestAlgorithm?: number;     // burrow.DigestAlgorithm, 0 none
}

export interface FileRow extends Required<FileInput> { jobId: number; digest: Buffer | null }

export interface JobMediaInput {
  jobId: number;
  mediaId: number;
  firstIndex: number;
  lastIndex: number;
  startAddr: number;
  endAddr: number;
  volIndex: number;
}
export interface JobMediaRow extends JobMediaInput { jobMediaId: number; volumeName: string; mediaType: string }

export interface RestoreFilter {
  /** Files or directory trees to restore (a directory selects everything under it). */
  paths?: Buffer[];
}

/** One file chosen for a restore: the newest version of its path among the jobs. */
export interface RestoreFileRow {
  jobId: number;
  fileIndex: number;
  path: Buffer;
  mediaId: number;
  volumeName: string;
  addr: number;
  /** burrow.FileType */
  type: number;
}


/**
 * A page of restore-tree entries — the newest version of each path among a chain's
 * jobs — as columns: entry i is at index i of each. A million entries as objects, each
 * with a name Buffer of its own, cost more than the query that finds them.
 */
export interface TreePage {
  readonly count: number;
  readonly pathId: Float64Array;
  readonly jobId: Float64Array;
  readonly fileIndex: Float64Array;
  readonly mediaId: Float64Array;
  readonly addr: Float64Array;
  readonly type: Float64Array;
  readonly size: Float64Array;
  readonly mtime: Float64Array;
  /** The names back to back: entry i's is names[nameStart[i], nameStart[i + 1]). */
  readonly names: Buffer;
  readonly nameStart: Uint32Array;
  /** The saved owners; only when asked for (restoreTreePages's `owners`). */
  readonly uid: Float64Array | null;
  /** The directory path (ending in "/") of every pathId in the page. */
  readonly dirs: ReadonlyMap<number, Buffer>;
}

/** One saved version of a file (deleted-file rows have fileIndex 0 and no volume). */
export interface FileVersion {
  jobId: number;
  fileIndex: number;
  type: number;
  size: number;
  mtime: number;
  digest: Buffer | null;
  volumeName: string | null;
}

/** A value bound to a `?` of a read-only query (the query command's answers). */
export type QueryParam = string | number;

/** What a column of a read-only query holds: as SQLite stores it (BLOBs as Buffers). */
export type QueryValue = string | number | bigint | Buffer | null;

/** The rows of one read-only query, up to the limit asked for. */
export interface QueryRows {
  columns: string[];
  rows: QueryValue[][];
  /** More rows were there than the limit. */
  truncated: boolean;
}

/** What can happen to a cartridge (catalog MediaEvent.Event). */
export const MEDIA_EVENTS = ['labelled', 'loaded', 'unloaded', 'moved', 'written', 'recycled', 'error', 'exported', 'imported', 'repositioned'] as const;
export type MediaEventKind = (typeof MEDIA_EVENTS)[number];

/** One event of a cartridge's history. */
export interface MediaEventInput {
  mediaId: number;
  volumeName: string;
  time: number;
  event: MediaEventKind;
  /** Where the cartridge was then, in words (media/locations.ts). */
  place: string;
  jobId: number | null;
  text: string;
}
export interface MediaEventRow extends MediaEventInput {
  mediaEventId: number;
}
