/**
 * Which jobs hold which volumes, Director-wide (one instance, made by main.ts and
 * handed to jobs, never module state). A job holds a volume from the moment it is
 * chosen for it until the job's session ends. A hold is "pending" while the SD has not
 * yet mounted the volume: its catalog changes (a new row, a recycle, a move out of a
 * scratch pool) wait for the mount, and no other job may choose that volume or name.
 * Holds also let the search count the jobs writing on a volume toward its Maximum
 * Volume Jobs before their usage reaches the catalog, as Bareos counts at acquire time.
 */
import { Waiters } from '@burrow/common/signals/waiters';

export class VolumeReservations {
  /** volume name -> job id -> pending */
  private readonly holds = new Map<string, Map<number, boolean>>();
  /** Woken whenever a pending hold settles (mounted or dropped). */
  private readonly settling = new Waiters();
  /** The end of the last volume search queued (inTurn). */
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Runs `search` once every search asked for before it has ended, so that a job's
   * choice and the hold it ends in are one step to the others, even while the search
   * prunes volumes and lets the event loop run. A failed search ends its turn too.
   */
  inTurn<T>(search: () => Promise<T>): Promise<T> {
    const run = this.turn.then(search);
    this.turn = run.catch(() => undefined);
    return run;
  }

  hold(jobId: number, volumeName: string, pending: boolean): void {
    let jobs = this.holds.get(volumeName);
    if (jobs === undefined) this.holds.set(volumeName, (jobs = new Map()));
    jobs.set(jobId, pending);
  }

  /** The SD mounted it: the hold is no longer pending. */
  mounted(jobId: number, volumeName: string): void {
    const jobs = this.holds.get(volumeName);
    if (jobs?.has(jobId)) jobs.set(jobId, false);
    this.settled();
  }

  /** Drops one hold (a volume the SD could not use), or all of a job's. */
  release(jobId: number, volumeName?: string): void {
    for (const [name, jobs] of this.holds) {
      if (volumeName !== undefined && name !== volumeName) continue;
      jobs.delete(jobId);
      if (jobs.size === 0) this.holds.delete(name);
    }
    this.settled();
  }

  /**
   * Resolves once no job but `jobId` holds `volumeName` with a change pending: a job
   * whose drive is mounting (or labelling) a volume for another job waits for that
   * mount to be committed before its own choice, so it can be given the same volume.
   * Rejects when `signal` aborts.
   */
  async untilSettled(volumeName: string, jobId: number, signal?: AbortSignal): Promise<void> {
    while (this.pendingForOthers(jobId).has(volumeName)) await this.settling.wait(signal);
  }

  private settled(): void {
    this.settling.wakeAll();
  }

  /** Volumes another job holds with a change still pending: nobody else may choose them. */
  pendingForOthers(jobId: number): Set<string> {
    const out = new Set<string>();
    for (const [name, jobs] of this.holds) {
      for (const [holder, pending] of jobs) if (pending && holder !== jobId) out.add(name);
    }
    return out;
  }

  /** Volumes other jobs are writing on (never purged or recycled under them). */
  heldByOthers(jobId: number): Set<string> {
    const out = new Set<string>();
    for (const [name, jobs] of this.holds) {
      if ([...jobs.keys()].some((holder) => holder !== jobId)) out.add(name);
    }
    return out;
  }

  /** How many other jobs hold the volume. */
  othersOn(volumeName: string, jobId: number): number {
    const jobs = this.holds.get(volumeName);
    return jobs === undefined ? 0 : [...jobs.keys()].filter((holder) => holder !== jobId).length;
  }

  /** What `status dir` may show: each held volume and its jobs. */
  snapshot(): Array<{ volumeName: string; jobIds: number[]; pending: boolean }> {
    return [...this.holds].map(([volumeName, jobs]) => ({
      volumeName, jobIds: [...jobs.keys()], pending: [...jobs.values()].some((p) => p),
    }));
  }
}
