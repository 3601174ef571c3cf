/** What the Storage daemon's parts share, built once by main.ts and passed down. */
import type { DriveOperator, ReserveMode, Reservations } from './reservations/index.js';
import type { SessionRegistry } from '@burrow/common/net/job-sessions';
import type { StorageMetrics } from './metrics/storage-metrics.js';
import type { RateMeter } from '@burrow/common/progress/index';
import type { SpoolDesk, SpoolState } from './spool/index.js';

/** A job session the SD runs, as `status storage` lists it. */
export interface RunningSession {
  startedAt: number;
  director: string;
  mode: ReserveMode;
  jobName: string;
  /** Bareos's level word (Full, Incremental...); '' for a read. */
  level: string;
  pool: string;
  /** The drive reserved for it, once it has one. */
  drive?: string;
  /** How far it got: files and bytes written to or read from its volumes (set once it runs). */
  progress?: () => { files: number; bytes: number };
  /** A spooling job's state and the bytes its spool holds (Bareos's spooling=, despooling=, despool_wait=). */
  spool?: () => { state: SpoolState; bytes: number };
  /** Its rates as status shows them. */
  meter: RateMeter;
}

export interface StorageContext {
  /** This daemon's Storage resource name. */
  name: string;
  /** The drives, and who holds which: sessions reach drives only through these. */
  reservations: Reservations;
  /** The operator's mount, unmount, release and label, as the Director passes them on. */
  operator: DriveOperator;
  sessions: SessionRegistry;
  running: Map<number, RunningSession>;
  /** The Storage resource's Maximum Concurrent Jobs: a session beyond it is refused. */
  maximumConcurrentJobs: number;
  /** The Storage resource's Heartbeat Interval, in ms (0: none), for every connection. */
  heartbeatMs: number;
  /** The Storage resource's FD Connect Timeout, in ms: how long a session tries to reach a passive client. */
  fdConnectTimeoutMs: number;
  startedAt: number;
  /** The Storage resource's Maximum Bandwidth Per Job, bytes/s (0: none): no session's data moves faster. */
  maximumBandwidthPerJob: number;
  /** Checkpoint Interval in ms: how often a backup's files saved so far reach the catalog; 0: never. */
  checkpointIntervalMs: number;
  /** Data spooling: each Device's spool settings, each drive's spooling jobs. */
  spools: SpoolDesk;
  /** What sessions count for the metrics (served only with a Metrics Port). */
  metrics: StorageMetrics;
  signal: AbortSignal;
}
