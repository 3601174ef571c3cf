/**
 * Records leave in the order they were given, also those whose bytes are still being
 * made elsewhere (a small file's chunk compressing on the compression thread): the
 * walk goes on to the next files meanwhile, and the sink sees ATTRIBUTES, data and
 * DIGEST of each file in order, as ever. What waits is bounded (MAX_WAITING records,
 * MAX_WAITING_BYTES), so memory is.
 *
 * A failure of the sink, or of a record being made, ends the sequence: every later
 * write and finish() rejects with it (the job fails, as when the sink fails directly).
 */
import type { FileOptions } from '../fileset/options.js';
import type { FileRecord, RecordSink } from './record.js';

/** Records waiting at most: enough for a few batches of small files in flight. */
const MAX_WAITING = 512;
/** Bytes of waiting records at most (a record still being made counts by its input). */
const MAX_WAITING_BYTES = 4 * 1024 * 1024;

interface Entry {
  readonly rec: FileRecord | Promise<FileRecord>;
  readonly options: FileOptions | undefined;
  readonly bytes: number;
}

export class RecordSequence implements RecordSink {
  private readonly waiting: Entry[] = [];
  private waitingBytes = 0;
  private pump: Promise<void> | null = null;
  private failure: { readonly err: unknown } | null = null;
  private roomWaiters: Array<() => void> = [];

  constructor(private readonly sink: RecordSink) {}

  /** The record, after every one given before it; resolves when there is room for more. */
  write(rec: FileRecord, options?: FileOptions): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure.err);
    // Nothing waiting: straight through, with the sink's own backpressure.
    if (this.pump === null) return this.sink.write(rec, options);
    return this.enqueue({ rec, options, bytes: rec.data.length });
  }

  /** A record still being made (`bytes` about its size), sent in its turn once made. */
  later(rec: Promise<FileRecord>, bytes: number): Promise<void> {
    rec.catch(() => undefined); // awaited in turn by the pump; never unhandled meanwhile
    if (this.failure !== null) return Promise.reject(this.failure.err);
    return this.enqueue({ rec, options: undefined, bytes });
  }

  /** Resolves once every record given has gone to the sink; rejects with the sequence's failure. */
  async finish(): Promise<void> {
    if (this.pump !== null) await this.pump;
    if (this.failure !== null) throw this.failure.err;
  }

  private enqueue(e: Entry): Promise<void> {
    this.waiting.push(e);
    this.waitingBytes += e.bytes;
    this.pump ??= this.run();
    if (this.waiting.length < MAX_WAITING && this.waitingBytes < MAX_WAITING_BYTES) return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const e = this.waiting[0];
        if (e === undefined) break;
        await this.sink.write(await e.rec, e.options);
        this.waiting.shift();
        this.waitingBytes -= e.bytes;
        if (this.waiting.length < MAX_WAITING && this.waitingBytes < MAX_WAITING_BYTES) this.wake();
      }
    } catch (err) {
      this.failure = { err };
      this.waiting.length = 0;
      this.waitingBytes = 0;
      this.wake();
    } finally {
      this.pump = null;
    }
  }

  private wake(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}
