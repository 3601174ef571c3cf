/**
 * One regular file being restored: written under a temporary name in its final
 * directory, attributes applied through the open handle, then renamed into place,
 * so a failed file never leaves a half file under the real name. The data is hashed
 * as it arrives so the saved DIGEST can be checked without reading the file again.
 */
import { createHash, type Hash } from 'node:crypto';
import { rename, unlink, type FileHandle, open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { hashName, readDataPayload } from '../backup/index.js';
import { applyToHandle } from './apply.js';
import { int64 } from './numbers.js';

const gunzipAsync = promisify(gunzip);
const ZEROS = Buffer.alloc(64 * 1024);

export class PendingFile {
  private end = 0;
  private hashed = 0;
  private hash: Hash | null = null;
  private expected: burrow.FileDigest | null = null;

  /**
   * `guess` is the digest algorithm of the job's previous file: the data is hashed
   * with it as it streams by. Should the DIGEST record name another one, the file is
   * read back once to check it.
   */
  private constructor(
    private readonly handle: FileHandle,
    private readonly tmpPath: Buffer,
    readonly finalPath: Buffer,
    private readonly attrs: burrow.FileAttributes.$Properties,
    private readonly guess: burrow.DigestAlgorithm | null,
  ) {
    const name = guess === null ? undefined : hashName(guess);
    if (name !== undefined) this.hash = createHash(name);
  }

  static async create(
    tmpPath: Buffer,
    finalPath: Buffer,
    attrs: burrow.FileAttributes.$Properties,
    guess: burrow.DigestAlgorithm | null,
  ): Promise<PendingFile> {
    // 'wx+' = O_RDWR|O_CREAT|O_EXCL: never opens an existing file or follows a planted symlink.
    const handle = await open(tmpPath, 'wx+', 0o600);
    return new PendingFile(handle, tmpPath, finalPath, attrs, guess);
  }

  private hashUpdate(bytes: Buffer): void {
    this.hash?.update(bytes);
  }

  /** Writes one DATA / GZIP_DATA payload at its offset; returns the file bytes written. */
  async write(stream: burrow.Stream, payload: Buffer): Promise<number> {
    const { offset, body } = readDataPayload(payload);
    let bytes = body;
    if (stream === burrow.Stream.STREAM_GZIP_DATA) {
      try {
        bytes = await gunzipAsync(body);
      } catch (err) {
        throw new BurrowError('VOLUME_FORMAT', 'a compressed data chunk does not decompress', { cause: err });
      }
    }
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, offset + done);
      done += bytesWritten;
    }
    // Holes (absent chunks) hash as zeros, as they read back; overlaps cannot be checked.
    if (offset < this.hashed) this.hash = null;
    while (this.hash !== null && this.hashed < offset) {
      const n = Math.min(ZEROS.length, offset - this.hashed);
      this.hashUpdate(ZEROS.subarray(0, n));
      this.hashed += n;
    }
    if (this.hash !== null) {
      this.hashUpdate(bytes);
      this.hashed += bytes.length;
    }
    this.end = Math.max(this.end, offset + bytes.length);
    return bytes.length;
  }

  setDigest(d: burrow.FileDigest): void {
    this.expected = d;
  }

  /**
   * Finishes the file: size, digest check, attributes, rename into place. Returns a
   * problem with the size or digest (the file stays restored: it is the best copy there is)
   * or null.
   */
  async commit(): Promise<string | null> {
    const size = int64(this.attrs.size);
    // A file ending in a hole (sparse) has its last bytes absent from the data.
    if (this.end < size && this.attrs.sparse === true) await this.handle.truncate(size);
    // Without holes every byte must have come: a shortfall means data lost on the volume.
    const short = this.end !== size && this.attrs.sparse !== true
      ? `restored ${this.end} of ${size} bytes: the rest is missing from the volume`
      : null;
    const problem = short ?? await this.checkDigest();
    await applyToHandle(this.handle, this.attrs);
    await this.handle.close();
    await rename(this.tmpPath, this.finalPath);
    return problem;
  }

  private async checkDigest(): Promise<string | null> {
    if (this.expected === null) return null;
    const alg = this.expected.algorithm;
    const name = hashName(alg);
    if (name === undefined) return `digest algorithm ${alg} is not known; not verified`;
    const got = this.hash !== null && this.guess === alg ? this.hash.digest() : await this.rehash(name);
    const want = Buffer.from(this.expected.value);
    if (got.equals(want)) return null;
    return `digest mismatch: saved ${want.toString('hex')}, restored ${got.toString('hex')}`;
  }

  private async rehash(name: string): Promise<Buffer> {
    const h = createHash(name);
    const buf = Buffer.allocUnsafe(ZEROS.length);
    for (let pos = 0; ; ) {
      const { bytesRead } = await this.handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return h.digest();
  }

  /** Drops the temporary file after a failure. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.tmpPath).catch(() => undefined);
  }
}
