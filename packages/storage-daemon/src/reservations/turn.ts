/**
 * One at a time, in arrival order, and a waiter may give up: the turn a drive's
 * writers take to choose its volume (reservable-drive.ts). Each may wait long for its
 * turn (the one before it may wait for the operator), so a cancel must end the wait.
 */
import { Waiters } from '@burrow/common/signals/waiters';

export class Turn {
  private held = false;
  private readonly waiting = new Waiters();

  /** Resolves with the release once it is this caller's turn; rejects if `signal` aborts first. */
  async take(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.held) await this.waiting.wait(signal); // woken by a release, which hands the turn over
    this.held = true;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (!this.waiting.wakeOne()) this.held = false;
    };
  }

  /** Runs `task` in its turn. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.take(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }
}
