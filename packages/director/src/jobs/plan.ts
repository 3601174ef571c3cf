/**
 * A job resolved against the configuration: everything a job run needs, with the
 * resource lookups and JobDefs inheritance already done. Job runners see plans, not
 * the configuration, so they stay small and testable.
 */
import type { burrow } from '@burrow/common/proto/index';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import type { BackupLevel, VerifyLevelCode } from '../catalog/index.js';
import type { ClientTarget } from '../fd/client-link.js';
import type { PoolPlan } from '../media/pools.js';
import type { AutopruneSettings } from '../media/autoprune.js';
import type { StorageTarget } from '../sd/storage-link.js';
import type { PoolCandidates, PoolSource } from './pools.js';
import type { RunScript } from './run-scripts.js';

/** Where a backup's Storage list came from, in the words of Bareos's report (storage-choice.ts writingStorages). */
export type StorageSource = 'Job resource' | 'Pool resource' | 'command line';

/** How the queue treats a job: its concurrency limits, time limits and retries. */
export interface RunLimits {
  /** Maximum Concurrent Jobs of the Job, its Client and its Storage. */
  jobMax: number;
  clientMax: number;
  storageMax: number;
  maxRunTimeMs: number | null;
  maxWaitTimeMs: number | null;
  allowDuplicates: boolean;
  cancelQueuedDuplicates: boolean;
  reschedule: { onError: boolean; intervalMs: number; times: number };
}

/**
 * Bareos's spooling directives of a backup: data spooled on the SD's disk and despooled
 * to the volume in one stream, attributes held back until the data is on the volume.
 */
export interface SpoolPlan {
  data: boolean;
  /** Always true with `data` (Bareos turns it on). */
  attributes: boolean;
  /** The job's spool at most, in bytes (Spool Size); 0: the device's limits alone. */
  size: number;
}

export interface BackupPlan {
  kind: 'backup';
  jobName: string;
  level: BackupLevel;
  client: ClientTarget;
  /** The first of `storages`: where the backup writes unless its SD cannot be reached or has no drive free. */
  storage: StorageTarget;
  /** The Storages tried in turn (storage-choice.ts): the Pool's if it names any, else the Job's, in their order. */
  storages: readonly StorageTarget[];
  /** The Job's Storage list (the run command's storage= alone), for when the pool changes with the level. */
  jobStorages: readonly StorageTarget[];
  storageSource: StorageSource;
  /** The pool the backup writes to, for its level (pools.ts), and where it came from. */
  pool: PoolPlan;
  poolSource: PoolSource;
  /** What the pool is chosen from once the level is final. */
  pools: PoolCandidates;
  fileset: { name: string; spec: burrow.IFileSetSpec; digest: string };
  /** Accurate = yes: the FD compares with the current backup state and records deletions. */
  accurate: boolean;
  /** Bytes/s the client may send the data at: the Job's Maximum Bandwidth, else the Client's Maximum Bandwidth Per Job; 0 none. */
  maximumBandwidth: number;
  /** Data spooling on the SD (Spool Data, Spool Attributes, Spool Size in bytes, 0 none). */
  spool: SpoolPlan;
  /** Write Bootstrap: a file (relative names resolved) or `|command`, % codes unfilled; null: none. */
  writeBootstrap: string | null;
  messages: string;
  priority: number;
  limits: RunLimits;
  scripts: RunScript[];
  /** What the job's end prunes, and whether it may prune volumes when it finds none (media/autoprune.ts). */
  pruning: AutopruneSettings & { pruneVolumes: boolean };
}

/**
 * The files a restore tree's marks chose, made into what the job reads when the console
 * chose them (Bareos writes its restore.bsr then too): a bootstrap holds a number per
 * file, so a queued restore of a million files does not keep a million rows.
 */
export interface ChosenFiles {
  bootstrap: Bootstrap;
  /** Names added because they hold the data of a chosen hard link (the job log says so). */
  linkTargets: Buffer[];
}

export type Replace = 'always' | 'ifnewer' | 'ifolder' | 'never';

export interface RestorePlan {
  kind: 'restore';
  jobName: string;
  /** Client whose backups are read. */
  client: ClientTarget;
  /** Client that writes the files (restoreclient=); usually the same. */
  restoreClient: ClientTarget;
  storage: StorageTarget;
  /**
   * Where the volumes may be read, in order of preference: the storage= given alone, else
   * the Job's Storages, then every other one. The restore reads each volume with the
   * first whose Media Type is the volume's (storage-choice.ts readingParts), as each
   * SD's volumes have a Media Type of their own.
   */
  storages: readonly StorageTarget[];
  /** Backup jobs whose files are selected; the newest version of each path wins. */
  jobIds: number[];
  /** Paths (or directory trees) to restore; empty: everything. Unused when `chosen` is given. */
  paths: Buffer[];
  /** The exact files chosen (the restore tree's marks); wins over `paths`. */
  chosen?: ChosenFiles;
  /**
   * A bootstrap file (`run job=RestoreFiles bootstrap=FILE`, or the Job's Bootstrap
   * directive): the selection is the file's, read when the job starts; the catalog
   * is not asked, and jobIds, paths and chosen are unused.
   */
  bootstrapFile?: string;
  /** `restore ... bootstrap=FILE`: the restore's bootstrap is also written there, as text. */
  writeBootstrap?: string;
  /** Empty: the original places (or, with a RegexWhere, where the rewrite says). */
  where: Buffer;
  /** Bareos's RegexWhere ('' none), checked to compile; it replaces `where` (then empty). */
  regexWhere: string;
  replace: Replace;
  /** A user's own restore (Console "Restore Owner"): the FD makes everything theirs. */
  owner?: { uid: number; gid: number };
  /** Bytes/s the restore client may read the data at, as a backup's `maximumBandwidth` (of the restore client); 0 none. */
  maximumBandwidth: number;
  messages: string;
  priority: number;
  limits: RunLimits;
  scripts: RunScript[];
}

/** Bareos's verify levels. */
export const VERIFY_LEVELS = ['InitCatalog', 'Catalog', 'DiskToCatalog', 'VolumeToCatalog', 'Data'] as const;
export type VerifyLevel = (typeof VERIFY_LEVELS)[number];

/** How the catalog stores each verify level (Bareos's letters). */
export const VERIFY_LEVEL_CODES: Record<VerifyLevel, VerifyLevelCode> = {
  InitCatalog: 'V', Catalog: 'C', DiskToCatalog: 'd', VolumeToCatalog: 'O', Data: 'A',
};

export interface VerifyPlan {
  kind: 'verify';
  jobName: string;
  level: VerifyLevel;
  client: ClientTarget;
  /** Where VolumeToCatalog and Data read unless the volumes' Media Type says otherwise; the disk levels need none. */
  storage: StorageTarget;
  /** Where the volumes may be read, as a restore's `storages`; empty for the disk levels. */
  storages: readonly StorageTarget[];
  fileset: { name: string; spec: burrow.IFileSetSpec; digest: string };
  /** `Verify Job =`: the Job whose last good run is verified; null: any backup of the client and FileSet. */
  verifyJob: string | null;
  /** `jobid=` on the run command: the very job to verify. */
  verifyJobId: number | null;
  /** Bytes/s a volume level may read the data at, as a backup's `maximumBandwidth`; 0 none. */
  maximumBandwidth: number;
  messages: string;
  priority: number;
  limits: RunLimits;
  scripts: RunScript[];
}

export type JobPlan = BackupPlan | RestorePlan | VerifyPlan;

export { LEVEL_NAMES } from '../catalog/index.js';
