/**
 * Small files' chunks compressed off the main thread, in batches. A file of a few KiB
 * is one chunk; compressed on the main thread (codec.ts, COMPRESS_INLINE_BELOW) it
 * keeps the File daemon on one core while the second waits, and handed to libuv's
 * pool one chunk at a time the round trip costs more than the compression (measured:
 * 5,000 files with GZIP6 1.44 -> 2.32 s). Here chunks are gathered into a batch that
 * goes to one worker thread as one message (posted when it holds BATCH_BYTES, or when
 * the event loop turns), and comes back as one buffer holding every compressed chunk
 * behind the room for its record frame. The caller keeps its records in file order
 * (sequence.ts) while the walk goes on.
 *
 * One thread for the daemon, started on first use; idle, it does not keep the process
 * alive. GZIP only: LZ4 is fast enough to stay inline (codec.ts), and lz4-napi loaded
 * in a worker thread crashes the process (SIGSEGV) when the thread ends; the Zstandard
 * addon has no synchronous form.
 */
import { Worker } from 'node:worker_threads';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { Compression } from '../fileset/options.js';
import type { FromCompressThread, ToCompressThread } from './compress-messages.js';

/**
 * Input bytes per batch: at 1–16 KiB a chunk, dozens of chunks a message, so the
 * message's cost (a few tens of µs) is small against compressing them (~30 MiB/s).
 */
const BATCH_BYTES = 256 * 1024;

/** The largest chunk taken: a batch always holds at least a few. */
export const COMPRESS_THREAD_MAX_CHUNK = 64 * 1024;

interface Waiting {
  readonly resolve: (framed: Buffer) => void;
  readonly reject: (err: BurrowError) => void;
}

interface Batch {
  readonly input: ArrayBuffer;
  used: number;
  readonly lengths: number[];
  readonly levels: number[];
  readonly waiting: Waiting[];
}

export class CompressThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private filling: Batch | null = null;
  private readonly out = new Map<number, Waiting[]>();
  /** Input buffers back from the thread, for the next batches. */
  private readonly free: ArrayBuffer[] = [];

  /** @param room free bytes kept in front of each compressed chunk in what compress() gives back */
  constructor(private readonly room: number) {}

  /** Whether compress() takes chunks of this compression and size. */
  takes(c: Compression, length: number): boolean {
    return c.algorithm === 'GZIP' && length <= COMPRESS_THREAD_MAX_CHUNK;
  }

  /**
   * The chunk compressed as one gzip member, behind `room` free bytes.
   * `bytes` is copied before this returns. Only for what takes() accepts.
   */
  compress(bytes: Buffer, c: Compression): Promise<Buffer> {
    if (!this.takes(c, bytes.length)) throw new BurrowError('INTERNAL', `the compression thread takes no ${c.algorithm} chunk of ${bytes.length} bytes`);
    if (this.filling !== null && this.filling.used + bytes.length > BATCH_BYTES) this.post();
    const batch = this.filling ?? this.newBatch();
    bytes.copy(Buffer.from(batch.input, batch.used, bytes.length));
    batch.used += bytes.length;
    batch.lengths.push(bytes.length);
    batch.levels.push(c.level);
    return new Promise<Buffer>((resolve, reject) => batch.waiting.push({ resolve, reject }));
  }

  /** Stops the thread (a daemon's shutdown); chunks still awaited fail. */
  async close(): Promise<void> {
    const w = this.worker;
    const filling = this.filling;
    this.filling = null;
    for (const waiting of filling?.waiting ?? []) waiting.reject(new BurrowError('INTERNAL', 'compression thread closed'));
    this.fail('closed');
    if (w !== null) await w.terminate();
  }

  private newBatch(): Batch {
    const batch: Batch = { input: this.free.pop() ?? new ArrayBuffer(BATCH_BYTES), used: 0, lengths: [], levels: [], waiting: [] };
    this.filling = batch;
    // Posted when full, or else once the event loop turns: by then the walk has given
    // what it had, or waits for these very chunks.
    setImmediate(() => {
      if (this.filling === batch) this.post();
    });
    return batch;
  }

  private post(): void {
    const batch = this.filling;
    if (batch === null) return;
    this.filling = null;
    const id = this.nextId++;
    this.out.set(id, batch.waiting);
    const m: ToCompressThread = { id, input: batch.input, lengths: batch.lengths, levels: batch.levels, room: this.room };
    const w = this.started();
    w.postMessage(m, [batch.input]);
    if (this.out.size === 1) w.ref();
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(new URL('./compress-worker.js', import.meta.url));
    w.on('message', (m: FromCompressThread) => this.onMessage(m));
    w.on('error', (err) => this.fail(`stopped: ${describeError(err)}`));
    w.on('exit', (code) => this.fail(`exited with code ${code}`));
    w.unref();
    this.worker = w;
    return w;
  }

  private onMessage(m: FromCompressThread): void {
    if (m.input.byteLength === BATCH_BYTES && this.free.length < 2) this.free.push(m.input);
    const waiting = this.out.get(m.id) ?? [];
    this.out.delete(m.id);
    if (this.out.size === 0) this.worker?.unref();
    if (m.op === 'failed') {
      const err = new BurrowError('INTERNAL', `compression thread: ${m.message}`);
      for (const w of waiting) w.reject(err);
      return;
    }
    let at = 0;
    for (let i = 0; i < waiting.length; i++) {
      const length = this.room + (m.lengths[i] ?? 0);
      waiting[i]?.resolve(Buffer.from(m.output, at, length));
      at += length;
    }
  }

  /** The worker is gone: every chunk awaited fails, and the next compress starts a new one. */
  private fail(why: string): void {
    if (this.worker === null) return;
    this.worker = null;
    const err = new BurrowError('INTERNAL', `compression thread ${why}`);
    for (const waiting of this.out.values()) for (const w of waiting) w.reject(err);
    this.out.clear();
  }
}
