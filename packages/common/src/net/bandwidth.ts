/**
 * Bareos's bandwidth limit for a job's data (Maximum Bandwidth on the Job, Maximum
 * Bandwidth Per Job on the Client, the File daemon or the Storage daemon, `setbandwidth`
 * while it runs): the File daemon paces what it sends and reads, the Storage daemon
 * what it reads and sends of each job session.
 * Each record waits until the bytes before it, at the limit, would have been sent:
 * the time the next byte may leave moves on by size / limit. A job that was slower
 * than the limit (reading, the network) saves at most BURST_MS of credit, so it never
 * makes up a long pause with a burst. The limit may change at any time.
 */
import { sleep } from '../signals/sleep.js';

/** Credit a slow stretch may leave: small against a transfer, enough not to wait for every record. */
const BURST_MS = 100;

export class Bandwidth {
  /** When the next byte may leave, in ms of `now()`. */
  private nextFree: number;

  /** @param bytesPerSecond the limit, 0 for none */
  constructor(private bytesPerSecond: number, private readonly now: () => number = Date.now) {
    this.nextFree = now();
  }

  get limit(): number {
    return this.bytesPerSecond;
  }

  /** A new limit (0: none), from the next record on. */
  set limit(bytesPerSecond: number) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Waits until `bytes` more may leave under the limit (at once without one, or when `signal` aborts). */
  async take(bytes: number, signal: AbortSignal): Promise<void> {
    if (this.bytesPerSecond <= 0) return;
    const now = this.now();
    this.nextFree = Math.max(this.nextFree, now - BURST_MS) + (bytes * 1000) / this.bytesPerSecond;
    if (this.nextFree > now) await sleep(this.nextFree - now, signal);
  }
}

/** The lower of two limits, 0 meaning none (a daemon's own and the one it was asked for). */
export function lowerLimit(a: number, b: number): number {
  if (a > 0 && b > 0) return Math.min(a, b);
  return Math.max(a, b, 0);
}
