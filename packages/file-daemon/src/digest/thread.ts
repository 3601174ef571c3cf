/**
 * File digests off the main thread. MD5 costs about 1.4 ms of CPU per MiB here, as
 * much as everything else the File daemon does to a byte together; computed on the
 * main thread it caps a backup at one core's worth while the second core waits. The
 * digest thread (one worker for the daemon, started on first use) hashes the chunks
 * the main thread reads, reading them in place from shared memory, while the main
 * thread sends them.
 *
 * A StreamHasher is one file's digest either way: `inlineHasher` computes it here
 * (small files: a message to the thread costs more than hashing a few KiB), the
 * thread's `open` there. Chunks given to a threaded hasher best be `sharedChunk`s,
 * read in place; others (a restore's arrive in the socket's buffers) are copied into a
 * buffer of their own that is handed over to the thread.
 */
import { Worker } from 'node:worker_threads';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/index';
import type { Hasher } from './hasher.js';
import { hashZeros } from './zeros.js';
import type { FromDigestThread, ToDigestThread } from './thread-messages.js';

/** One file's digest as its bytes go by, in order. */
export interface StreamHasher {
  /** Whether chunks had better be `sharedChunk`s (else update copies them). */
  readonly wantsShared: boolean;
  /** Hashes the next bytes; resolves when more may be given. The bytes must not change afterwards. */
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
    wantsShared: false,
    update: (bytes) => {
      h.update(bytes);
      return READY;
    },
    zeros: (count) => hashZeros(h, count),
    digest: () => Promise.resolve(h.digest()),
    drop: () => undefined,
  };
}

/** A buffer of `size` bytes in shared memory: the digest thread reads it where it is. */
export function sharedChunk(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

function isShared(b: Buffer): boolean {
  return b.buffer instanceof SharedArrayBuffer;
}

/**
 * Bytes posted to the thread and not yet hashed, beyond which update() waits: the
 * main thread reads faster than MD5 runs, and what waits is memory.
 */
const MAX_QUEUED = 8 * 1024 * 1024;

interface Pending {
  resolve: (digest: Buffer) => void;
  reject: (err: BurrowError) => void;
}

export class DigestThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private queued = 0;
  private readonly digests = new Map<number, Pending>();
  private readonly failedIds = new Map<number, string>();
  private roomWaiters: Array<() => void> = [];
  private reffed = false;

  /** A hasher for one file, computed on the thread. */
  open(algorithm: burrow.DigestAlgorithm): StreamHasher {
    const id = this.nextId++;
    this.post({ op: 'open', id, algorithm });
    return {
      wantsShared: true,
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

  /** Stops the thread (a daemon's shutdown); digests still awaited fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.fail('closed');
    if (w !== null) await w.terminate();
  }

  private update(id: number, bytes: Buffer): Promise<void> {
    this.queued += bytes.length;
    if (isShared(bytes)) {
      this.post({ op: 'update', id, bytes });
    } else {
      // A copy of its own, handed over whole (transferred, not copied again): copying
      // into shared memory would take V8's relaxed-atomic copy, several times slower
      // than this plain one (measured: 6-8% of a restore's CPU).
      const own = Buffer.allocUnsafeSlow(bytes.length);
      bytes.copy(own);
      this.started().postMessage({ op: 'update', id, bytes: own } satisfies ToDigestThread, [own.buffer]);
    }
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
    const out = this.queued > 0 || this.digests.size > 0;
    if (out === this.reffed || this.worker === null) return;
    this.reffed = out;
    if (out) this.worker.ref();
    else this.worker.unref();
  }

  private onMessage(m: FromDigestThread): void {
    if (m.op === 'taken') {
      this.queued -= m.bytes;
      if (this.queued <= MAX_QUEUED) for (const wake of this.roomWaiters.splice(0)) wake();
      this.busy();
      return;
    }
    const pending = this.digests.get(m.id);
    this.digests.delete(m.id);
    this.busy();
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
  }
}
