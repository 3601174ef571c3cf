/**
 * A restored file's digest, computed as its data streams by and checked against the
 * DIGEST record saved with it. The data is hashed with the algorithm the job's previous
 * file named (`guess`); should the record name another, the caller's `rehash` computes
 * it from the restored bytes. A small file's digest may be checked after the fact (its
 * batch is hashed on the digest thread, digest/batched.ts).
 */
import { burrow } from '@burrow/common/proto/generated';
import type { Hasher, Hashers } from '../digest/hashers.js';
import type { StreamHasher } from '../digest/thread.js';
import { digestProblem, type BatchedStreamHasher } from '../digest/batched.js';

/**
 * How a restored file's data is hashed as it streams by: with the digest algorithm of
 * the job's previous file (`guess`; null for the first), from the job's hashers.
 */
export interface DigestGuess {
  readonly hashers: Hashers;
  readonly guess: burrow.DigestAlgorithm | null;
}

/** A digest check made after the fact: calls `done` with the problem, or null, once known. */
export type LaterCheck = (done: (problem: string | null) => void) => void;

export class StreamedDigest {
  private hash: StreamHasher | BatchedStreamHasher | null;
  /** Bytes from 0 hashed so far (holes as zeros). */
  private hashed = 0;
  private expected: burrow.FileDigest | null = null;

  /** For a file of about `size` bytes. */
  constructor(private readonly digest: DigestGuess, size: number) {
    // A large file's data is hashed on the digest thread while the next record is written;
    // a small one's in a batch with others, checked after the fact.
    this.hash = digest.hashers.streamDeferred(digest.guess, size) ?? null;
  }

  /** Hashes `bytes` found at `offset`; holes (absent chunks) hash as zeros, as they read back; overlaps cannot be checked. */
  async add(offset: number, bytes: Buffer): Promise<void> {
    if (offset < this.hashed) this.drop();
    if (this.hash === null) return;
    if (this.hashed < offset) {
      await this.hash.zeros(offset - this.hashed);
      this.hashed = offset;
    }
    await this.hash.update(bytes);
    this.hashed += bytes.length;
  }

  /** A file ending in a hole: its last bytes, absent from the data (hashed up to `end`), are zeros up to `size`. */
  async zerosAfter(end: number, size: number): Promise<void> {
    if (this.hash === null || this.hashed !== end) return;
    await this.hash.zeros(size - end);
    this.hashed = size;
  }

  expect(d: burrow.FileDigest): void {
    this.expected = d;
  }

  /**
   * The check after the fact of a file hashed in a batch (a deferred hasher of the right
   * algorithm), taking the hash; null otherwise (then check() says it).
   */
  later(): LaterCheck | null {
    const hash = this.hash;
    if (this.expected === null || hash === null || !('deferred' in hash) || this.digest.guess !== this.expected.algorithm) return null;
    this.hash = null; // spent
    const want = Buffer.from(this.expected.value);
    return (done) => hash.check(want, done);
  }

  /**
   * The problem with the file's digest, or null (none expected, or it matches). When the
   * data was hashed with another algorithm, `rehash` computes the right one from the
   * restored bytes.
   */
  async check(rehash: (h: Hasher) => Promise<Buffer>): Promise<string | null> {
    if (this.expected === null) return null;
    const alg = this.expected.algorithm;
    const streamed = this.hash !== null && this.digest.guess === alg ? this.hash : null;
    if (streamed === null) this.drop();
    this.hash = null; // spent either way
    const fresh = streamed === null ? this.digest.hashers.open(alg) : undefined;
    if (streamed === null && fresh === undefined) return `digest algorithm ${alg} is not known; not verified`;
    const got = streamed !== null ? await streamed.digest() : await rehash(fresh!);
    return digestProblem(Buffer.from(this.expected.value), got);
  }

  /** The streamed digest is of no use (overlapping data, another algorithm, a failed file): forget it. */
  drop(): void {
    this.hash?.drop();
    this.hash = null;
  }
}
