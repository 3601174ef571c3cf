/** Messages handed from the loop that reads the Director to the job that wants them. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Message } from '@burrow/common/proto/index';

export class Inbox {
  private readonly queue: Message[] = [];
  private waiting: ((m: Message) => void) | undefined;

  push(m: Message): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w(m);
    else this.queue.push(m);
  }

  next(signal: AbortSignal): Promise<Message> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (signal.aborted) return Promise.reject(new BurrowError('JOB_CANCELED', 'the job was canceled'));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new BurrowError('JOB_CANCELED', 'the job was canceled'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting = (msg) => {
        signal.removeEventListener('abort', onAbort);
        resolve(msg);
      };
    });
  }
}
