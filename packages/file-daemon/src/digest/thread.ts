/**
 * File digests off the main thread. MD5 costs about 1.4 ms of CPU per MiB here, as
 * much as everything else the File daemon does to a byte together; computed on the
 * main thread it caps a backup at one core's worth while the second core waits. The
 * digest thread (one worker for the daemon, started on first use) hashes the chunks
 * while the main thread sends or writes them.
 *
 * A StreamHasher is one file's digest either way: `inlineHasher` computes it here
 * (small files: a message to the thread costs more than hashing a few KiB), the
 * thread's `open` there. A chunk goes to the thread as a copy in a buffer of a small
 * pool, handed over (transferred) and handed back once hashed: a plain copy costs a
 * thirtieth of hashing, and memory stays bounded. (Shared memory was measured worse:
 * a SharedArrayBuffer per chunk was freed only by both threads' collectors, a File
 * daemon grew to 450 MiB; and V8 copies into shared memory with slow relaxed atomics.)
 */
import { Worker } from 'node:worker_threads';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { SignatureName } from '@burrow/common/fileset/options';
import type { Hasher } from './hasher.js';
import { hashZeros } from './zeros.js';
import type { DigestSpan, FromDigestThread, ToDigestThread } from './thread-messages.js';

/** One file's digest as its bytes go by, in order. */
export interface StreamHasher {
  /** Hashes the next bytes (taken or copied before it returns); resolves when more may be given. */
  update(bytes: Buffer): Promise<void>;
  /** Hashes `count` zero bytes: a hole. */
  zeros(count: number): Promise<void>;
  /** The digest, once; the hasher is spent afterwards. */
  digest(): Promise<Buffer>;
  /** Forgets the file (its backup failed): no digest will be asked for. */
  drop(): void;
}

const READY = Promise.resolve();

export function inlineHasher(h: Hasher): StreamHasher {
  return {
    update: (bytes) => {
      h.update(bytes);
      return READY;
    },
    zeros: (count) => hashZeros(h, count),
    digest: () => Promise.resolve(h.digest()),
    drop: () => undefined,
  };
}

/** The pool's buffers hold a 1 MiB chunk and some; a larger chunk gets a buffer of its own. */
const POOLED_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * Bytes posted to the thread and not yet hashed, beyond which update() waits: the
 * main thread reads faster than MD5 runs, and what waits is memory (with the spare
 * buffers kept for them, twice this). 4 MiB is about 6 ms of MD5: 8 MiB had the same
 * speed and 8 MiB more resident (bench/README.md, step 11).
 */
const MAX_QUEUED = 4 * 1024 * 1024;

interface Pending {
  resolve: (digest: Buffer) => void;
  reject: (err: BurrowError) => void;
}

interface PendingSpans {
  resolve: (answer: { buffer: ArrayBuffer; digests: readonly Uint8Array[] }) => void;
  reject: (err: BurrowError) => void;
}

export class DigestThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private queued = 0;
  private readonly digests = new Map<number, Pending>();
  /** Batches of small files' spans out on the thread, by id. */
  private readonly spanBatches = new Map<number, PendingSpans>();
  private readonly failedIds = new Map<number, string>();
  private roomWaiters: Array<() => void> = [];
  /** Buffers back from the thread, for the next chunks. */
  private readonly free: ArrayBuffer[] = [];
  private reffed = false;

  /** A hasher for one file, computed on the thread. */
  open(name: SignatureName): StreamHasher {
    const id = this.nextId++;
    this.post({ op: 'open', id, name });
    return {
      update: (bytes) => this.update(id, bytes),
      zeros: (count) => {
        this.post({ op: 'zeros', id, count });
        return READY;
      },
      digest: () => this.digest(id),
      drop: () => {
        this.failedIds.delete(id);
        if (this.worker !== null) this.post({ op: 'drop', id });
      },
    };
  }

  /**
   * The digest of each span of `buffer` (handed over: it comes back with the digests),
   * computed on the thread: many small files for the price of one message each way.
   */
  hashSpans(buffer: ArrayBuffer, spans: readonly DigestSpan[]): Promise<{ buffer: ArrayBuffer; digests: readonly Uint8Array[] }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.spanBatches.set(id, { resolve, reject });
      this.started().postMessage({ op: 'spans', id, buffer, spans } satisfies ToDigestThread, [buffer]);
      this.busy();
    });
  }

  /** Stops the thread (a daemon's shutdown); digests still awaited fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.fail('closed');
    if (w !== null) await w.terminate();
  }

  private update(id: number, bytes: Buffer): Promise<void> {
    this.queued += bytes.length;
    const pooled = bytes.length <= POOLED_BYTES ? this.free.pop() ?? new ArrayBuffer(POOLED_BYTES) : new ArrayBuffer(bytes.length);
    bytes.copy(Buffer.from(pooled, 0, bytes.length));
    this.started().postMessage({ op: 'update', id, buffer: pooled, length: bytes.length } satisfies ToDigestThread, [pooled]);
    this.busy();
    if (this.queued <= MAX_QUEUED) return READY;
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  private digest(id: number): Promise<Buffer> {
    const failed = this.failedIds.get(id);
    if (failed !== undefined) {
      this.failedIds.delete(id);
      return Promise.reject(new BurrowError('INTERNAL', `digest thread: ${failed}`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.digests.set(id, { resolve, reject });
      this.post({ op: 'digest', id });
      this.busy();
    });
  }

  private post(m: ToDigestThread): void {
    this.started().postMessage(m);
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(new URL('./thread-worker.js', import.meta.url));
    w.on('message', (m: FromDigestThread) => this.onMessage(m));
    w.on('error', (err) => this.fail(`stopped: ${describeError(err)}`));
    w.on('exit', (code) => this.fail(`exited with code ${code}`));
    // Idle, the thread must not keep the process alive; busy() refs it while work is out.
    w.unref();
    this.worker = w;
    return w;
  }

  /** Keeps the process alive exactly while updates or digests are outstanding. */
  private busy(): void {
    const out = this.queued > 0 || this.digests.size > 0 || this.spanBatches.size > 0;
    if (out === this.reffed || this.worker === null) return;
    this.reffed = out;
    if (out) this.worker.ref();
    else this.worker.unref();
  }

  private onMessage(m: FromDigestThread): void {
    if (m.op === 'taken') {
      this.queued -= m.length;
      if (m.buffer.byteLength === POOLED_BYTES && this.free.length < MAX_QUEUED / POOLED_BYTES + 2) this.free.push(m.buffer);
      if (this.queued <= MAX_QUEUED) for (const wake of this.roomWaiters.splice(0)) wake();
      this.busy();
      return;
    }
    const batch = this.spanBatches.get(m.id);
    if (batch !== undefined) {
      this.spanBatches.delete(m.id);
      this.busy();
      if (m.op === 'spans') batch.resolve({ buffer: m.buffer, digests: m.digests });
      else batch.reject(new BurrowError('INTERNAL', `digest thread: ${m.op === 'failed' ? m.message : 'unexpected answer'}`));
      return;
    }
    const pending = this.digests.get(m.id);
    this.digests.delete(m.id);
    this.busy();
    if (m.op === 'spans') return; // a batch nobody waits for any more (the thread was restarted)
    if (m.op === 'digest') {
      pending?.resolve(Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength));
    } else if (pending !== undefined) {
      pending.reject(new BurrowError('INTERNAL', `digest thread: ${m.message}`));
    } else {
      this.failedIds.set(m.id, m.message);
    }
  }

  /** The worker is gone: everything awaited fails, and the next open starts a new one. */
  private fail(why: string): void {
    if (this.worker === null) return;
    this.worker = null;
    this.reffed = false;
    this.queued = 0;
    for (const wake of this.roomWaiters.splice(0)) wake();
    const err = new BurrowError('INTERNAL', `digest thread ${why}`);
    for (const p of this.digests.values()) p.reject(err);
    this.digests.clear();
    for (const b of this.spanBatches.values()) b.reject(err);
    this.spanBatches.clear();
  }
}
