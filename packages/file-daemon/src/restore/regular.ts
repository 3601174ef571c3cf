/**
 * One regular file being restored: written under a temporary name in its final
 * directory, attributes applied through its open descriptor, then renamed into place,
 * so a failed file never leaves a half file under the real name. The data is hashed
 * as it arrives so the saved DIGEST can be checked without reading the file again.
 */
import { constants, ftruncate, read, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { closeFd, openAt, renameAt, unlinkAt, type Fd } from '@burrow/fsx';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { readDataPayload } from '../backup/index.js';
import type { Hasher, Hashers } from '../digest/hashers.js';
import type { StreamHasher } from '../digest/thread.js';
import { decodeChunk } from '../backup/codec.js';
import { applyAt } from './apply.js';

const writeAsync = promisify(write);
const readAsync = promisify(read);
const ftruncateAsync = promisify(ftruncate);
// O_EXCL|O_NOFOLLOW: never opens an existing file or follows a planted symlink.
const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const SELF = Buffer.alloc(0);
/**
 * Writes up to this many bytes are made right here, not on libuv's pool: as for the
 * backup's reads (backup/reader.ts), a small file's write costs less than the trip to
 * a pool thread and back, and most files of a tree are small.
 */
const WRITE_INLINE_BELOW = 64 * 1024;

/** What commit() found: a size or digest problem (an error), and attributes that could not be set (warnings). */
export interface CommitResult {
  readonly error: string | null;
  readonly warnings: string[];
}
const READ_BACK = 64 * 1024;

/**
 * How a restored file's data is hashed as it streams by: with the digest algorithm of
 * the job's previous file (`guess`; null for the first), from the job's hashers.
 */
export interface DigestGuess {
  readonly hashers: Hashers;
  readonly guess: burrow.DigestAlgorithm | null;
}

export class PendingFile {
  /** Written with the bytes, and the digest thread has its own copy. */
  readonly doneWithPayload = true;
  private open = true;
  private end = 0;
  private hashed = 0;
  private hash: StreamHasher | null;
  private expected: burrow.FileDigest | null = null;

  /**
   * `guess` is the digest algorithm of the job's previous file: the data is hashed
   * with it as it streams by. Should the DIGEST record name another one, the file is
   * read back once to check it.
   */
  private constructor(
    /**
     * The directory the file goes in, borrowed from the restore target, not owned: the
     * writer commits or abandons a file before it resolves the next file's directory
     * (which may close this one). Opening a descriptor of its own per file cost a
     * restore of many small files about 5% of its CPU.
     */
    private readonly dir: Fd,
    private readonly fd: Fd,
    private readonly tmpName: Buffer,
    private readonly finalName: Buffer,
    private readonly attrs: burrow.FileAttributes,
    private readonly digest: DigestGuess,
  ) {
    // A large file's data is hashed on the digest thread while the next record is written.
    this.hash = digest.hashers.stream(digest.guess, Number(attrs.size)) ?? null;
  }

  /**
   * Creates `tmpName` in the open directory `parent`, to become `finalName` there on
   * commit; `parent` must stay open until then (see `dir`).
   */
  static create(
    parent: Fd,
    names: { readonly tmp: Buffer; readonly final: Buffer },
    attrs: burrow.FileAttributes,
    digest: DigestGuess,
  ): PendingFile {
    const fd = openAt(parent, names.tmp, CREATE_FLAGS, 0o600);
    return new PendingFile(parent, fd, names.tmp, names.final, attrs, digest);
  }

  /** Writes one data payload (raw or compressed) at its offset; returns the file bytes written. */
  async write(stream: burrow.Stream, payload: Buffer): Promise<number> {
    const { offset, body } = readDataPayload(payload);
    const bytes = await decodeChunk(stream, body);
    // Hashed first: on the digest thread it runs while the bytes are written.
    // Holes (absent chunks) hash as zeros, as they read back; overlaps cannot be checked.
    if (offset < this.hashed) this.dropHash();
    if (this.hash !== null && this.hashed < offset) {
      await this.hash.zeros(offset - this.hashed);
      this.hashed = offset;
    }
    if (this.hash !== null) {
      await this.hash.update(bytes);
      this.hashed += bytes.length;
    }
    let done = 0;
    while (done < bytes.length) {
      const left = bytes.length - done;
      done += left <= WRITE_INLINE_BELOW
        ? writeSync(this.fd, bytes, done, left, offset + done)
        : (await writeAsync(this.fd, bytes, done, left, offset + done)).bytesWritten;
    }
    this.end = Math.max(this.end, offset + bytes.length);
    return bytes.length;
  }

  setDigest(d: burrow.FileDigest): void {
    this.expected = d;
  }

  /**
   * Finishes the file: size, digest check, attributes, rename into place. A size or
   * digest problem leaves the file restored (it is the best copy there is).
   */
  async commit(): Promise<CommitResult> {
    const { size } = this.attrs;
    // A file ending in a hole (sparse) has its last bytes absent from the data.
    if (this.end < size && this.attrs.sparse === true) {
      await ftruncateAsync(this.fd, size);
      if (this.hash !== null && this.hashed === this.end) {
        await this.hash.zeros(size - this.end);
        this.hashed = size;
      }
    }
    // Without holes every byte must have come: a shortfall means data lost on the volume.
    // Streamed data (a FIFO, a command's output) had no size to compare with.
    const short = this.end !== size && this.attrs.sparse !== true && this.attrs.streamed !== true
      ? `restored ${this.end} of ${size} bytes: the rest is missing from the volume`
      : null;
    const error = short ?? await this.checkDigest();
    this.dropHash(); // not asked for (no DIGEST record, or data missing): forget it
    const warnings = applyAt(this.fd, SELF, this.attrs, false);
    renameAt(this.dir, this.tmpName, this.dir, this.finalName);
    this.close();
    return { error, warnings };
  }

  private async checkDigest(): Promise<string | null> {
    if (this.expected === null) return null;
    const alg = this.expected.algorithm;
    const streamed = this.hash !== null && this.digest.guess === alg ? this.hash : null;
    if (streamed === null) this.dropHash();
    this.hash = null; // spent either way
    const fresh = streamed === null ? this.digest.hashers.open(alg) : undefined;
    if (streamed === null && fresh === undefined) return `digest algorithm ${alg} is not known; not verified`;
    const got = streamed !== null ? await streamed.digest() : await this.rehash(fresh!);
    const want = Buffer.from(this.expected.value);
    if (got.equals(want)) return null;
    return `digest mismatch: saved ${want.toString('hex')}, restored ${got.toString('hex')}`;
  }

  private async rehash(h: Hasher): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(READ_BACK);
    for (let pos = 0; ; ) {
      const { bytesRead } = await readAsync(this.fd, buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return h.digest();
  }

  /** The streamed digest is of no use (overlapping data, another algorithm): forget it. */
  private dropHash(): void {
    this.hash?.drop();
    this.hash = null;
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    closeFd(this.fd);
  }

  /** Drops the temporary file after a failure (or does nothing once committed). */
  abandon(): void {
    this.dropHash();
    if (!this.open) return;
    try {
      unlinkAt(this.dir, this.tmpName);
    } catch {
      // Already gone: nothing more to tidy.
    }
    this.close();
  }
}
