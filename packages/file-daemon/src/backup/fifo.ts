/**
 * `readfifo = yes`: a FIFO's content is whatever a writer sends into it during the
 * backup. The FIFO is opened non-blocking (opening never waits for a writer), then
 * polled: a read of 0 bytes before any writer came means "no writer yet", after one
 * came it means the writer closed (end of data); EAGAIN means a writer is there but
 * quiet. Nobody writing within `waitMs` (at first, or between two pieces of data)
 * ends the read, so a FIFO nobody feeds never hangs the job.
 */
import { read } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { FileReadError } from './reader.js';

const readAsync = promisify(read);

/** Bareos waits a minute for a FIFO's writer. */
export const FIFO_WAIT_MS = 60_000;
const POLL_MS = 10;
const PIECE = 64 * 1024;

export interface FifoReadOptions {
  readonly waitMs: number;
  readonly signal: AbortSignal;
  /** Called once when the read ends because nobody wrote in time. */
  readonly onTimeout: (sawWriter: boolean) => void;
}

/** Yields what writers send into the open (O_NONBLOCK) FIFO until they close it or time runs out. */
export async function* fifoPieces(fd: number, o: FifoReadOptions): AsyncGenerator<Buffer> {
  let sawWriter = false;
  let idleSince = Date.now();
  for (;;) {
    const buf = Buffer.allocUnsafe(PIECE);
    let n: number;
    try {
      n = (await readAsync(fd, buf, 0, PIECE, null)).bytesRead;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw new FileReadError(err);
      n = -1; // a writer holds it open without writing
    }
    if (n > 0) {
      sawWriter = true;
      idleSince = Date.now();
      yield buf.subarray(0, n);
      continue;
    }
    if (n === 0 && sawWriter) return;
    if (n === -1) sawWriter = true;
    if (Date.now() - idleSince >= o.waitMs) {
      o.onTimeout(sawWriter);
      return;
    }
    await sleep(POLL_MS, undefined, { signal: o.signal }).catch(() => undefined);
    if (o.signal.aborted) return;
  }
}
