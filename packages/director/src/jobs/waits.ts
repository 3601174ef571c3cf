/**
 * What a running job waits for, as `status dir` shows it, and how long it has waited,
 * as its Max Wait Time counts it. Bareos adds up every wait of a job (in the queue, for
 * a volume) against the Job's Max Wait Time; so does Burrow. One per job, made by the
 * queue when the job starts, with the time it waited in the queue.
 */
import type { JobStatus } from '../catalog/index.js';

/** A wait in Bareos's terms: its JobStatus letter and its `status dir` words. */
export interface JobWait {
  /** `m`: waiting for new media (no volume at all); `M`: waiting for a mount of a named volume. */
  status: Extract<JobStatus, 'm' | 'M'>;
  /** Bareos's words after "JobId N Job J": "is waiting for an appendable Volume". */
  words: string;
  /** What it waits for, for the operator: volume or pool, media type, storage and device. */
  detail: string;
  since: number;
}

export class JobWaits {
  private waited: number;
  private wait: JobWait | null = null;
  private observer: ((wait: JobWait | null) => void) | undefined;

  constructor(private readonly now: () => number, readonly maxWaitMs: number | null, alreadyWaitedMs = 0) {
    this.waited = alreadyWaitedMs;
  }

  /** The wait in progress, if any. */
  get current(): JobWait | null {
    return this.wait;
  }

  /** The job waits (or waits on, for something else: the clock keeps running from the first). */
  begin(w: Omit<JobWait, 'since'>): JobWait {
    this.wait = { ...w, since: this.wait?.since ?? this.now() };
    this.observer?.(this.wait);
    return this.wait;
  }

  /** The job runs again. */
  end(): void {
    if (this.wait === null) return;
    this.waited += Math.max(0, this.now() - this.wait.since);
    this.wait = null;
    this.observer?.(null);
  }

  /** Told of each wait and of its end (the queue's live events). */
  observe(fn: (wait: JobWait | null) => void): void {
    this.observer = fn;
  }

  /** What is left of Max Wait Time, counting the wait in progress; null when there is no limit. */
  remainingMs(): number | null {
    if (this.maxWaitMs === null) return null;
    const current = this.wait === null ? 0 : Math.max(0, this.now() - this.wait.since);
    return Math.max(0, this.maxWaitMs - this.waited - current);
  }
}
