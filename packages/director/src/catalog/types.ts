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
/**
 * Bareos's verify levels as the catalog stores them (include/job_level.h): InitCatalog
 * V, Catalog C, VolumeToCatalog O, DiskToCatalog d, Data A.
 */
export type VerifyLevelCode = 'V' | 'C' | 'O' | 'd' | 'A';
/** Bareos levels: a backup's, a verify's, and ' ' for jobs without one (restores). */
export type JobLevel = BackupLevel | VerifyLevelCode | ' ';

/**
 * Bareos job status letters. Final: T (OK), W (OK with warnings), E (error), f (fatal),
 * A (canceled). Everything else means the job is still alive: C created/waiting,
 * R running, and Bareos's waiting states F (client), S (storage), m (new media),
 * M (mount) — a job that needs an operator waits visibly rather than failing.
 */
export type JobStatus = 'C' | 'R' | 'F' | 'S' | 'm' | 'M' | 'T' | 'W' | 'E' | 'f' | 'A';
export const JOB_STATUSES: readonly JobStatus[] = ['C', 'R', 'F', 'S', 'm', 'M', 'T', 'W', 'E', 'f', 'A'];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['T', 'W', 'E', 'f', 'A'];

/** Bareos VolStatus values. */
export type VolStatus =
  | 'Append' | 'Full' | 'Used' | 'Error' | 'Purged' | 'Recycle' | 'Archive' | 'Read-Only';
export const VOL_STATUSES: readonly VolStatus[] =
  ['Append', 'Full', 'Used', 'Error', 'Purged', 'Recycle', 'Archive', 'Read-Only'];

export interface ClientRow { clientId: number; name: string }
export interface StorageRow { storageId: number; name: string }

/** One row per distinct FileSet digest (Bareos keeps history the same way). */
export interface FileSetRow { fileSetId: number; name: string; digest: string; createTime: number }

/** The Pool directives the catalog keeps; written from the configuration on every start. */
export interface PoolInput {
  name: string;
  poolType?: string;            // Backup (default), Archive, Scratch, ...
  labelFormat?: string | null;  // e.g. "Full-" -> Full-0001
  maximumVolumes?: number;      // 0: no limit
  maximumVolumeJobs?: number;   // 0: no limit
  maximumVolumeBytes?: number;  // 0: no limit
  volumeUseDuration?: number;   // ms, 0: no limit
  volumeRetention?: number;     // ms
  autoPrune?: boolean;
  recycle?: boolean;
}
export interface PoolRow extends Required<PoolInput> { poolId: number; labelFormat: string | null }

export interface MediaInput {
  volumeName: string;
  poolId: number;
  mediaType: string;
  storageId?: number | null;
  volStatus?: VolStatus;        // default Append
  maxVolBytes?: number;         // 0: no limit
  volRetention?: number;        // ms
  labelDate?: number | null;
  slot?: number;
  inChanger?: boolean;
  createTime?: number;          // default now
}

export interface MediaRow {
  mediaId: number;
  volumeName: string;
  poolId: number;
  poolName: string;
  mediaType: string;
  storageId: number | null;
  volStatus: VolStatus;
  volBytes: number;
  volBlocks: number;
  volJobs: number;
  volFiles: number;
  maxVolBytes: number;
  volRetention: number;
  firstWritten: number | null;
  lastWritten: number | null;
  labelDate: number | null;
  slot: number;
  inChanger: boolean;
  enabled: boolean;
  createTime: number;
}

export interface MediaUsage {
  volBytes: number;
  volBlocks: number;
  lastWritten: number;
  volStatus?: VolStatus;
  /** Count one more job on the volume (once per job, on its first use). */
  incrementJobs?: boolean;
  /** Files this update adds to the volume's count. */
  addFiles?: number;
}

export interface JobInput {
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
}

export interface JobQuery {
  client?: string;
  name?: string;
  type?: JobType;
  /** Only the most recent `limit` jobs (still returned oldest first). */
  limit?: number;
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
