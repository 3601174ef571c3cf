/**
 * Parked waiters: callers wait until someone wakes them (one, or all), and a waiter
 * whose AbortSignal aborts leaves at once, rejected with the signal's reason. For the
 * waits of job sessions (a drive's claims, a volume's mount, a turn), each of which a
 * cancel must be able to end.
 */
export class Waiters {
  private readonly parked: Array<() => void> = [];

  get size(): number {
    return this.parked.length;
  }

  /** Resolves at the wake that reaches this waiter; rejects if `signal` aborts first (or has). */
  wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        const i = this.parked.indexOf(wake);
        if (i >= 0) this.parked.splice(i, 1);
        reject(signal?.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.parked.push(wake);
    });
  }

  /** Wakes the longest waiting; false when nobody waits. */
  wakeOne(): boolean {
    const wake = this.parked.shift();
    wake?.();
    return wake !== undefined;
  }

  wakeAll(): void {
    for (const wake of this.parked.splice(0)) wake();
  }
}
