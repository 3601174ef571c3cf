/**
 * Bareos's checkpoints (SD Storage resource, Checkpoint Interval): while a backup runs,
 * every interval the files saved so far are made durable on the volume and sent to the
 * Director's catalog with their JobMedia, so that a job that dies later keeps them
 * (the Director marks it Incomplete, restorable, and the next Full continues from it).
 *
 * A checkpoint and a record write never overlap: the session's writer takes one call at
 * a time. The clock fires on its own (a client may be quiet for long, at a FIFO or a
 * slow file), runs the checkpoint at once when no write is under way, and otherwise
 * leaves it to the write under way to run when it is done.
 */
export class CheckpointClock {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private writing = false;
  private due = false;
  private failure: unknown = null;

  /** `take` makes one checkpoint; a failure of it fails the next write. */
  constructor(private readonly take: () => Promise<void>, intervalMs: number) {
    this.timer = setInterval(() => this.fire(), intervalMs);
    this.timer.unref();
  }

  /** Runs one write: after a checkpoint under way, and followed by one that came due meanwhile. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    if (this.running) await this.running;
    if (this.failure !== null) throw this.failure;
    this.writing = true;
    let result: T;
    try {
      result = await work();
    } finally {
      this.writing = false;
    }
    if (this.due) {
      this.start();
      await this.running;
    }
    return result;
  }

  /** No more checkpoints; waits for one under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.running) await this.running;
  }

  private fire(): void {
    if (this.writing || this.running) this.due = true;
    else this.start();
  }

  private start(): void {
    this.due = false;
    this.running = this.take()
      .catch((err: unknown) => { this.failure = err; })
      .finally(() => { this.running = null; });
  }
}
