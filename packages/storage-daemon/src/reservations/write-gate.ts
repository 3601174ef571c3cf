/**
 * A drive's write gate (Bareos blocks the device while a job despools): a job that
 * despools holds it for one despool part, and meanwhile the blocks of every other job
 * writing through the drive wait at it, so the part lands on the volume as one run.
 * Despooling jobs take it one at a time, in arrival order.
 *
 * A waiting writer is held back for one part at most (a part is bounded by the spool
 * limits), and its cancel ends the wait. Two cases let it through while the gate is
 * held, since the holder itself waits on the others then: the shared volume filled up
 * (each writer must meet the end of the volume and leave it before the drive can
 * take the next one), and the holder waits for the drive's other writers to be done
 * with their volume before it mounts its own.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { Waiters } from '@burrow/common/signals/waiters';
import type { AppendVolume } from '../devices/drive.js';
import { Turn } from './turn.js';

export class WriteGate {
  private readonly turn = new Turn();
  private readonly changed = new Waiters();
  /** The job holding the gate, or null when it is open. */
  private holder: number | null = null;
  /** The holder is waiting for the others (they may write meanwhile). */
  private stepsAside = false;

  /** The job despooling through the drive now, if any. */
  heldBy(): number | null {
    return this.holder;
  }

  /**
   * Waits for the gate, then holds it for `jobId` until the release is called (once is
   * enough). Rejects if `signal` aborts first.
   */
  async hold(jobId: number, signal?: AbortSignal): Promise<() => void> {
    const release = await this.turn.take(signal);
    this.holder = jobId;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holder = null;
      this.stepsAside = false;
      this.changed.wakeAll();
      release();
    };
  }

  /** Resolves once `jobId` may write: the gate is open or its own, or `mayGoOn()` says the writer must go on anyway. */
  async pass(jobId: number, mayGoOn: () => boolean, signal?: AbortSignal): Promise<void> {
    while (this.holder !== null && this.holder !== jobId && !this.stepsAside && !mayGoOn()) {
      await this.changed.wait(signal);
    }
  }

  /** Runs `wait` (the holder `jobId` waiting for the drive's other writers) with the gate open meanwhile. */
  async whileWaitingOnOthers<T>(jobId: number, wait: () => Promise<T>): Promise<T> {
    if (this.holder !== jobId) return wait();
    this.stepsAside = true;
    this.changed.wakeAll();
    try {
      return await wait();
    } finally {
      if (this.holder === jobId) this.stepsAside = false;
    }
  }

  /** Something that may let waiters through happened (a volume filled up): they look again. */
  nudge(): void {
    this.changed.wakeAll();
  }
}

/**
 * `handle` with each block of job `jobId` passing `gate` first. A block refused because
 * the volume is full nudges the gate: writers held back by the holder may go on to
 * meet the end of the volume too.
 */
export function behindGate(handle: AppendVolume, gate: WriteGate, jobId: number, signal?: AbortSignal): AppendVolume {
  return {
    ...handle,
    writeBlock: async (block, options) => {
      await gate.pass(jobId, () => handle.isFull(), signal);
      try {
        return await handle.writeBlock(block, options);
      } catch (err) {
        if (err instanceof BurrowError && err.code === 'VOLUME_FULL') gate.nudge();
        throw err;
      }
    },
  };
}
