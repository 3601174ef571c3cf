/** What the File daemon's parts share, built once by main.ts and passed down. */
import type { SessionRegistry } from '@burrow/common/net/job-sessions';
import type { Bandwidth } from '@burrow/common/net/bandwidth';
import type { ScriptPolicy } from './scripts/client-scripts.js';
import type { DigestThread } from './digest/thread.js';
import type { CompressThread } from './backup/compress-thread.js';
import type { ClientMetrics } from './metrics/client-metrics.js';
import type { RateMeter } from '@burrow/common/progress/index';

export interface RunningJob {
  startedAt: number;
  director: string;
  /** Its data's bandwidth limit (a backup's), which `setbandwidth` changes. */
  bandwidth: Bandwidth;
  jobName: string;
  /** Bareos's words for the job in status: "Full Backup", "Restore", "Verify". */
  kind: string;
  /** How far it got now: files and bytes read or written, the file at hand. */
  progress: LiveProgress;
  /** Its rates as status shows them. */
  meter: RateMeter;
  /** Its log lines' sender, which counts its errors. */
  reporter: { readonly errors: number };
}

/** Filled in by the job once it knows where its counts are (a backup's saver, a restore's writer). */
export interface LiveProgress {
  sample: () => { files: number; bytes: number; file: Buffer | null };
}

export interface ClientContext {
  /** This daemon's own (FileDaemon/Client) resource name. */
  name: string;
  startedAt: number;
  running: Map<number, RunningJob>;
  /** Maximum Concurrent Jobs: a job order beyond it is refused. */
  maximumConcurrentJobs: number;
  signal: AbortSignal;
  /** Which run scripts a Director may have this client run. */
  scriptPolicy: ScriptPolicy;
  /** The FileDaemon resource's TLS Enable: false sends jobs' data to Storage daemons without TLS. */
  dataTls: boolean;
  /** Where large files' digests are computed, off the main thread (shared by the jobs). */
  digestThread: DigestThread;
  /** Where small files' chunks compress, off the main thread (shared by the jobs). */
  compressThread: CompressThread;
  /** What jobs count for the metrics (served only with a Metrics Port). */
  metrics: ClientMetrics;
  /** Passive clients' sessions: the Storage daemon's connections this daemon waits for, by job. */
  passiveSessions: SessionRegistry;
  /** The FileDaemon resource's Heartbeat Interval, in ms (0: none), for every connection. */
  heartbeatMs: number;
  /** The FileDaemon resource's SD Connect Timeout, in ms: how long a job tries to reach its Storage daemon. */
  sdConnectTimeoutMs: number;
  /**
   * The most a job of this Director may move, bytes/s (0: none): its Director resource's
   * Maximum Bandwidth Per Job, else the FileDaemon resource's (Bareos's order).
   */
  maximumBandwidthPerJob: (director: string) => number;
}
