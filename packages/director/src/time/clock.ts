/**
 * The Director's one clock: schedules, retentions, volume use durations and waits all
 * read it, so tests can move a fake clock through days of schedule or years of
 * retention in milliseconds.
 */
import { sleep } from '@burrow/common/signals/sleep';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private sleepers: Array<{ until: number; resolve: () => void }> = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const entry = { until: this.current + ms, resolve };
      this.sleepers.push(entry);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Moves time forward, waking every sleeper whose time has come, in order. */
  async advanceTo(time: number): Promise<void> {
    while (this.current < time) {
      const next = this.sleepers.reduce((min, s) => Math.min(min, s.until), Infinity);
      this.current = Math.min(time, Math.max(next, this.current));
      const due = this.sleepers.filter((s) => s.until <= this.current);
      this.sleepers = this.sleepers.filter((s) => s.until > this.current);
      for (const s of due) s.resolve();
      // Let the woken loop run and go back to sleep before moving on.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      if (due.length === 0 && next > time) this.current = time;
    }
  }
}
