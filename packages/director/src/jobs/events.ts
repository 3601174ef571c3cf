/**
 * What happens to the Director's jobs (and the drives they and the operator use), as
 * events for whoever follows them without polling: the metrics (metrics/director-metrics.ts) and the HTTP API's live events
 * (http/live-events.ts).
 * The queue emits them; a listener that throws harms no job and no other listener.
 */
import type { FinalStatus } from './status.js';
import type { JobPlan } from './plan.js';
import type { JobWait } from './waits.js';
import type { VolStatus } from '../catalog/index.js';

/** Which job an event is about, as `status dir` names it. */
export interface JobEventSubject {
  jobId: number;
  /** The unique job name (`backup-client1.2026-12-06_10.00.00_05`). */
  job: string;
  /** The Job resource's name. */
  name: string;
  kind: JobPlan['kind'];
  /** The level's catalog letter (F, I, D; a verify's; ' ' for a restore). */
  level: string;
  client: string;
}

/** How far a running job got (jobs/progress.ts). */
export interface JobProgress {
  jobId: number;
  files: number;
  bytes: number;
  /** Since the job started (Bareos's AveBytes/sec). */
  bytesPerSecond: number;
  /** Over the latest batch, since the one before (Bareos's LastBytes/sec). */
  lastBytesPerSecond: number;
  /** The file stored last, as display text. */
  file: string;
}

/** An operator's command on drives or volumes (label, mount, update...), from any console. */
export interface MediaCommand {
  command: string;
  console: string;
  storage?: string;
  pool?: string;
  volume?: string;
  ok: boolean;
}

/**
 * What the Director learned of a drive's state: from a job's session on the Storage
 * daemon (the drive it reserved, the volume it mounted, its end) or from an operator's
 * command on the drive (mount, unmount, release, label). Only what is known is told;
 * the drive's full state is `status storage=`'s.
 */
export interface DriveChange {
  /** The Storage resource. */
  storage: string;
  /**
   * reserved: a job's session took the drive; mounted: a volume is on it (a job's, or
   * `mount`); labelled: `label` or `relabel` wrote a volume's label on it; unmounted,
   * released: `unmount`, `release`; freed: the job's session on it is over (the SD lets
   * the drive go as it ends it).
   */
  change: 'reserved' | 'mounted' | 'labelled' | 'unmounted' | 'released' | 'freed';
  /** The drive as the Storage daemon names it (its Device), when it said. */
  device?: string;
  /** The drive's number as mount, unmount and release take it (drive=), when known. */
  drive?: number;
  volume?: string;
  pool?: string;
  /** A job's mount: the Storage daemon wrote the volume's label first (a new or recycled volume). */
  labelled?: boolean;
  /** The job whose session it is, and whether it writes or reads; absent for an operator's command. */
  jobId?: number;
  mode?: 'append' | 'read';
}

/**
 * A volume's state as the catalog holds it after a change: a job's usage report or a
 * status it reached (Full, Used, Error), a purge, a recycle, a label, `update volume`.
 */
export interface VolumeState {
  volume: string;
  status: VolStatus;
  pool: string;
  /** The Storage it was last written with, once it has been. */
  storage?: string;
  bytes: number;
  jobs: number;
  inChanger: boolean;
  slot: number;
}

export interface JobEventMap {
  queued: JobEventSubject;
  started: JobEventSubject;
  progress: JobProgress;
  /** The job waits for the operator (a volume to label or mount): Bareos's operator request. */
  waiting: JobEventSubject & JobWait;
  /** The wait is over: the operator answered (or the job was canceled, which `ended` says). */
  resumed: JobEventSubject;
  ended: JobEventSubject & { status: FinalStatus };
  media: MediaCommand;
  drive: DriveChange;
  volume: VolumeState;
}

export type JobEventName = keyof JobEventMap;
type Listener<K extends JobEventName> = (event: JobEventMap[K]) => void;

export class JobEvents {
  /** @param onFollowerError told when a follower throws (the Director logs it); the job goes on either way */
  constructor(private readonly onFollowerError: (name: JobEventName, err: unknown) => void = () => undefined) {}

  private readonly listeners: { [K in JobEventName]: Set<Listener<K>> } = {
    queued: new Set(), started: new Set(), progress: new Set(), waiting: new Set(), resumed: new Set(), ended: new Set(), media: new Set(), drive: new Set(), volume: new Set(),
  };

  /** Calls `fn` for each event named `name` until the returned function is called. */
  on<K extends JobEventName>(name: K, fn: Listener<K>): () => void {
    const set = this.listeners[name] as Set<Listener<K>>;
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<K extends JobEventName>(name: K, event: JobEventMap[K]): void {
    for (const fn of this.listeners[name] as Set<Listener<K>>) {
      try {
        fn(event);
      } catch (err) {
        // A follower's failure is its own: the job goes on, and the Director's log says what failed.
        this.onFollowerError(name, err);
      }
    }
  }
}
