/**
 * File digests on the client: one `Hasher` per file, whatever the algorithm, by the
 * protocol's algorithm number (burrow.DigestAlgorithm, Bareos's crypto_digest_t).
 * The hashers themselves are named.ts's; large files' digests go to the digest
 * thread (thread.ts).
 */
import { digestKind } from '@burrow/common/fileset/digests';
import type { burrow } from '@burrow/common/proto/index';
import { inlineHasher, type DigestThread, type StreamHasher } from './thread.js';
import { BatchedDigests, type BatchedStreamHasher } from './batched.js';
import type { Hasher } from './hasher.js';
import { NamedHashers } from './named.js';

export type { Hasher } from './hasher.js';

/**
 * Files from this size on are hashed on the digest thread (when the job has one):
 * below it, hashing here costs less than the messages (8 KiB of MD5: ~11 µs).
 */
export const THREAD_FROM_BYTES = 256 * 1024;

/** Makes the hashers of one job. */
export class Hashers {
  /** Small files' digests batched to the thread (streamDeferred()), made on first use. */
  private batched: BatchedDigests | null = null;

  private constructor(private readonly named: NamedHashers, private readonly thread: DigestThread | null) {}

  /** `thread`: the daemon's digest thread, for large files (stream()); none: every digest is computed here. */
  static async create(thread: DigestThread | null = null): Promise<Hashers> {
    return new Hashers(await NamedHashers.create(), thread);
  }

  /**
   * One file's digest as its data streams by, for a file of about `size` bytes (null:
   * unknown): on the digest thread from THREAD_FROM_BYTES on, else here. Undefined
   * for NONE or an algorithm this build does not know.
   */
  stream(algorithm: burrow.DigestAlgorithm | null | undefined, size: number | null): StreamHasher | undefined {
    const kind = digestKind(algorithm);
    if (kind === undefined || !this.named.computes(kind.name)) return undefined;
    if (this.thread !== null && size !== null && size >= THREAD_FROM_BYTES) return this.thread.open(kind.name);
    const here = this.open(algorithm);
    return here === undefined ? undefined : inlineHasher(here);
  }

  /**
   * As stream(), but a small file's digest is computed on the thread in a batch with
   * others, and known only once flushDeferred() (or a full batch) sent it: for a
   * restore, which checks those digests after the fact. Such a hasher says `deferred`.
   */
  streamDeferred(algorithm: burrow.DigestAlgorithm | null | undefined, size: number): StreamHasher | BatchedStreamHasher | undefined {
    const kind = digestKind(algorithm);
    if (this.thread === null || size >= THREAD_FROM_BYTES || kind === undefined || !this.named.computes(kind.name)) return this.stream(algorithm, size);
    this.batched ??= new BatchedDigests(this.thread, (name) => this.named.open(name));
    return this.batched.open(kind.name, size);
  }

  /** Sends the small files' digests waiting in a batch (streamDeferred()) to the thread. */
  flushDeferred(): void {
    this.batched?.flush();
  }

  /** A hasher for `algorithm`; undefined for NONE or an algorithm this build does not know. */
  open(algorithm: burrow.DigestAlgorithm | null | undefined): Hasher | undefined {
    const kind = digestKind(algorithm);
    return kind === undefined ? undefined : this.named.open(kind.name);
  }
}
