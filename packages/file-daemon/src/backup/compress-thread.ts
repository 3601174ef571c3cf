/**
 * Chunks compressed off the main thread, on one worker thread. Small files' chunks
 * come in batches: a file of a few KiB is one chunk; compressed on the main thread
 * (codec.ts, COMPRESS_INLINE_BELOW) it keeps the File daemon on one core while the
 * second waits, and handed to libuv's pool one chunk at a time the round trip costs
 * more than the compression (measured: 5,000 files with GZIP6 1.44 -> 2.32 s). Here
 * chunks are gathered into a batch that goes to the thread as one message (posted
 * when it holds BATCH_BYTES, or when the event loop turns), and comes back as one
 * buffer holding every compressed chunk behind the room for its record frame. The
 * caller keeps its records in file order (sequence.ts) while the walk goes on.
 *
 * LZ4 chunks of any size come here too, a large one as a message of its own: the
 * WebAssembly LZ4 codec (lz4-frame.ts) runs where it is called, and the main thread
 * has the reads, the digests' hand-over and the socket to do. Large gzip chunks stay
 * on libuv's pool (codec.ts), several at once: gzip is slow enough to want both cores.
 * Zstandard's addon has no synchronous form.
 *
 * One thread for the daemon, started on first use; idle, it does not keep the process
 * alive.
 */
import { Worker } from 'node:worker_threads';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { Compression } from '../fileset/options.js';
import type { FromCompressThread, ThreadCompression, ToCompressThread } from './compress-messages.js';

/**
 * Input bytes per batch: at 1–16 KiB a chunk, dozens of chunks a message, so the
 * message's cost (a few tens of µs) is small against compressing them (~30 MiB/s).
 */
const BATCH_BYTES = 256 * 1024;

/** The largest chunk batched with others (and the largest gzip chunk taken): a batch always holds at least a few. */
export const COMPRESS_THREAD_MAX_CHUNK = 64 * 1024;

/** The largest LZ4 chunk taken (as a message of its own): the largest a volume record holds. */
const MAX_LARGE_CHUNK = 16 * 1024 * 1024;

/** A large chunk's input buffer is at least this (the usual chunk), so that it serves the next ones. */
const LARGE_INPUT = 1024 * 1024;

/** Large chunks' input and output buffers kept for reuse: as many as the reader compresses at once (chunks.ts). */
const LARGE_INPUTS_KEPT = 4;

interface Waiting {
  readonly resolve: (framed: Buffer) => void;
  readonly reject: (err: BurrowError) => void;
}

interface Batch {
  readonly input: ArrayBuffer;
  /** A large chunk alone, whose answer's buffer serves again (giveBack). */
  readonly alone: boolean;
  /** Alone: an earlier answer's buffer to write this one into. */
  readonly output?: ArrayBuffer;
  used: number;
  readonly lengths: number[];
  readonly compressions: ThreadCompression[];
  readonly waiting: Waiting[];
}

export class CompressThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private filling: Batch | null = null;
  private readonly out = new Map<number, { readonly waiting: Waiting[]; readonly alone: boolean }>();
  /** Input buffers back from the thread, for the next batches. */
  private readonly free: ArrayBuffer[] = [];
  /** Input buffers of large chunks back from the thread, for the next large chunks. */
  private readonly freeLarge: ArrayBuffer[] = [];
  /** Large chunks' answers: each holds one chunk, and may be given back once sent (giveBack). */
  private readonly largeOutputs = new WeakSet<ArrayBuffer>();
  /** Answers given back, written again by the next large chunks. */
  private readonly freeOutputs: ArrayBuffer[] = [];

  /** @param room free bytes kept in front of each compressed chunk in what compress() gives back */
  constructor(private readonly room: number) {}

  /** Whether compress() takes chunks of this compression and size. */
  takes(c: Compression, length: number): c is ThreadCompression {
    if (c.algorithm === 'GZIP') return length <= COMPRESS_THREAD_MAX_CHUNK;
    return c.algorithm === 'LZ4' && length <= MAX_LARGE_CHUNK;
  }

  /**
   * The chunk compressed as one gzip member or LZ4 frame, behind `room` free bytes.
   * `bytes` is copied before this returns. Only for what takes() accepts.
   */
  compress(bytes: Buffer, c: Compression): Promise<Buffer> {
    if (!this.takes(c, bytes.length)) throw new BurrowError('INTERNAL', `the compression thread takes no ${c.algorithm} chunk of ${bytes.length} bytes`);
    if (bytes.length > COMPRESS_THREAD_MAX_CHUNK) return this.compressAlone(bytes, c);
    if (this.filling !== null && this.filling.used + bytes.length > BATCH_BYTES) this.post();
    const batch = this.filling ?? this.newBatch();
    return this.add(batch, bytes, c);
  }

  /** A large chunk, posted at once as a batch of its own. */
  private compressAlone(bytes: Buffer, c: ThreadCompression): Promise<Buffer> {
    const at = this.freeLarge.findIndex((b) => b.byteLength >= bytes.length);
    const input = at >= 0 ? (this.freeLarge.splice(at, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.max(LARGE_INPUT, bytes.length));
    const output = this.freeOutputs.pop();
    const batch: Batch = { input, alone: true, ...(output === undefined ? {} : { output }), used: 0, lengths: [], compressions: [], waiting: [] };
    const compressed = this.add(batch, bytes, c);
    this.post(batch);
    return compressed;
  }

  /**
   * A large chunk's compressed record (as compress() gave it) is done with: its buffer
   * is written again by a later large chunk, rather than left to the collector (a
   * fresh 1 MiB per chunk is garbage the collector lets grow by tens of MiB). Anything
   * else is left alone.
   */
  giveBack(compressed: Buffer): void {
    const b = compressed.buffer;
    if (b instanceof ArrayBuffer && this.largeOutputs.has(b) && this.freeOutputs.length < LARGE_INPUTS_KEPT) {
      this.largeOutputs.delete(b);
      this.freeOutputs.push(b);
    }
  }

  private add(batch: Batch, bytes: Buffer, c: ThreadCompression): Promise<Buffer> {
    bytes.copy(Buffer.from(batch.input, batch.used, bytes.length));
    batch.used += bytes.length;
    batch.lengths.push(bytes.length);
    batch.compressions.push(c);
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
    const batch: Batch = { input: this.free.pop() ?? new ArrayBuffer(BATCH_BYTES), alone: false, used: 0, lengths: [], compressions: [], waiting: [] };
    this.filling = batch;
    // Posted when full, or else once the event loop turns: by then the walk has given
    // what it had, or waits for these very chunks.
    setImmediate(() => {
      if (this.filling === batch) this.post();
    });
    return batch;
  }

  /** Posts `batch`, by default the one filling. */
  private post(batch: Batch | null = this.filling): void {
    if (batch === null) return;
    if (batch === this.filling) this.filling = null;
    const id = this.nextId++;
    this.out.set(id, { waiting: batch.waiting, alone: batch.alone });
    const m: ToCompressThread = { id, input: batch.input, lengths: batch.lengths, compressions: batch.compressions, room: this.room, reused: batch.alone, ...(batch.output === undefined ? {} : { output: batch.output }) };
    const w = this.started();
    w.postMessage(m, batch.output === undefined ? [batch.input] : [batch.input, batch.output]);
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
    const sent = this.out.get(m.id);
    this.out.delete(m.id);
    const alone = sent?.alone ?? false;
    if (!alone) {
      if (this.free.length < 2) this.free.push(m.input);
    } else if (this.freeLarge.length < LARGE_INPUTS_KEPT) this.freeLarge.push(m.input);
    const waiting = sent?.waiting ?? [];
    if (this.out.size === 0) this.worker?.unref();
    if (m.op === 'failed') {
      const err = new BurrowError('INTERNAL', `compression thread: ${m.message}`);
      for (const w of waiting) w.reject(err);
      return;
    }
    if (alone) this.largeOutputs.add(m.output);
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
    for (const { waiting } of this.out.values()) for (const w of waiting) w.reject(err);
    this.out.clear();
  }
}
