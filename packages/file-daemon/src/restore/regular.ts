/**
 * One regular file being restored, attributes applied through its open descriptor.
 * Where its name is free it is created under that name (O_EXCL), as tar and Bacula do:
 * a temporary name and a rename cost a restore of small files a sixth of the File
 * daemon's time (a lookup of the free name, a longer create, the rename's journal
 * work), for nothing, since nothing is there to keep. Where a file of that name
 * exists and is to be replaced, the new one is written under a temporary name and
 * renamed over it once complete, so a failed restore never leaves a half file where
 * the old one was. A failed file is unlinked either way. The data is hashed as it
 * arrives so the saved DIGEST can be checked without reading the file again.
 */
import { constants, fdatasync, ftruncate, read, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { closeFd, dropCachedPages, openAt, renameAt, unlinkAt, type Fd } from '@burrow/fsx';
import { burrow } from '@burrow/common/proto/generated';
import { readDataPayload } from '../backup/index.js';
import type { Hasher } from '../digest/hashers.js';
import { decodeChunk } from '../backup/codec.js';
import { applyAt } from './apply.js';
import type { LaterCheck, StreamedDigest } from './streamed-digest.js';

export type { DigestGuess } from './streamed-digest.js';

const writeAsync = promisify(write);
const readAsync = promisify(read);
const ftruncateAsync = promisify(ftruncate);
const fdatasyncAsync = promisify(fdatasync);
// O_EXCL|O_NOFOLLOW: never opens an existing file or follows a planted symlink.
const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const SELF = Buffer.alloc(0);
/**
 * Writes up to this many bytes are made right here, not on libuv's pool: as for the
 * backup's reads (backup/reader.ts), a small file's write costs less than the trip to
 * a pool thread and back, and most files of a tree are small.
 */
const WRITE_INLINE_BELOW = 64 * 1024;
/**
 * Bytes of a file's larger writes that may be on libuv's pool at once. One write at a
 * time left the pool thread's copy into the page cache (1-3 ms/MiB on a VM that must
 * fault fresh pages in) in series with the main thread's TLS and record work: a 2 GiB
 * restore kept no thread busy more than a third of the time. Writes go to explicit
 * offsets, so several may run at once; the bound keeps the frames they hold small.
 */
export const WRITES_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/**
 * A large file's data is written back and dropped from the page cache every this many
 * bytes (drop-behind), so its next writes reuse those pages. Fresh pages are what a
 * large restore paid most for: on a VM whose host takes free memory back, the write
 * calls of a 2 GiB restore took 2.8 ms/MiB of system time, against 0.3 with
 * drop-behind; and a restore no longer pushes everything else out of the cache.
 */
const DROP_BEHIND_BYTES = 64 * 1024 * 1024;

/** What commit() found: a size or digest problem (an error), and attributes that could not be set (warnings). */
export interface CommitResult {
  readonly error: string | null;
  readonly warnings: string[];
  /**
   * A small file's digest, checked after the fact (its batch is hashed on the digest
   * thread, digest/batched.ts): calls `done` with the problem, or null, once known. The
   * restore reports it then and waits for all of them before it ends.
   */
  readonly checkLater?: LaterCheck;
}
const READ_BACK = 64 * 1024;

/**
 * What is wrong with a file that got data up to `end`, or null: without holes every
 * byte must have come, and a shortfall means data lost on the volume. Streamed data
 * (a FIFO, a command's output) had no size to compare with.
 */
export function shortfall(end: number, attrs: burrow.FileAttributes): string | null {
  return end !== attrs.size && attrs.sparse !== true && attrs.streamed !== true
    ? `restored ${end} of ${attrs.size} bytes: the rest is missing from the volume`
    : null;
}

/** Writes `bytes` at `offset` whole (a regular file's write may be short only on error, but then says so). */
async function writeFully(fd: Fd, bytes: Buffer, offset: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    done += (await writeAsync(fd, bytes, done, bytes.length - done, offset + done)).bytesWritten;
  }
}

interface WriteInFlight {
  readonly bytes: number;
  /** Settles when the write has ended; never rejects (the failure is kept in `failure`). */
  readonly ended: Promise<void>;
}

export class PendingFile {
  private open = true;
  /** Larger writes on libuv's pool, oldest first (see WRITES_IN_FLIGHT_BYTES). */
  private readonly inFlight: WriteInFlight[] = [];
  private inFlightBytes = 0;
  /** The first failed write: the file is lost, the next write() or commit() says why. */
  private failure: unknown = null;
  /** Bytes from 0 already written back and dropped, and the drop-behind running, if any. */
  private droppedTo = 0;
  private dropping: Promise<void> | null = null;
  private end = 0;

  /**
   * The data is hashed by `digest` as it streams by. Should the DIGEST record name
   * another algorithm than the one it guessed, the file is read back once to check it.
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
    /** The name written under: `finalName`, or a temporary one renamed to it on commit. */
    private readonly writtenName: Buffer,
    private readonly finalName: Buffer,
    private readonly attrs: burrow.FileAttributes,
    private readonly digest: StreamedDigest,
  ) {}

  /**
   * Creates `tmp` in the open directory `parent`, to become `final` there on commit
   * (replacing what has that name then); `parent` must stay open until then (see `dir`).
   */
  static create(
    parent: Fd,
    names: { readonly tmp: Buffer; readonly final: Buffer },
    attrs: burrow.FileAttributes,
    digest: StreamedDigest,
  ): PendingFile {
    const fd = openAt(parent, names.tmp, CREATE_FLAGS, 0o600);
    return new PendingFile(parent, fd, names.tmp, names.final, attrs, digest);
  }

  /**
   * Creates `name` in the open directory `parent` and writes it there, or returns null
   * when something already has that name (then the replace rules decide, and create()
   * writes beside it). `parent` must stay open until commit (see `dir`).
   */
  static createIfFree(parent: Fd, name: Buffer, attrs: burrow.FileAttributes, digest: StreamedDigest): PendingFile | null {
    let fd: Fd;
    try {
      fd = openAt(parent, name, CREATE_FLAGS, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw err;
    }
    return new PendingFile(parent, fd, name, name, attrs, digest);
  }

  /**
   * Writes one data payload (raw or compressed) at its offset; returns the file bytes
   * taken. A larger write may still be running when this resolves: `release` is called
   * once it has ended, and a failure is thrown by the next write() or commit().
   */
  async write(stream: burrow.Stream, payload: Buffer, release?: () => void): Promise<number> {
    if (this.failure !== null) throw this.failure;
    const { offset, body } = readDataPayload(payload);
    const bytes = await decodeChunk(stream, body);
    // Hashed first: on the digest thread it runs while the bytes are written.
    await this.digest.add(offset, bytes);
    return this.writeBytes(offset, bytes, release);
  }

  /**
   * Writes file bytes at `offset`, hashed already (by the caller, or by write()); as
   * write() for the rest. A small file the restore meant to make in a batch comes here
   * when it cannot be (small.ts).
   */
  async writeBytes(offset: number, bytes: Buffer, release?: () => void): Promise<number> {
    if (this.failure !== null) throw this.failure;
    // Data going back over written bytes must land after them: let those end first.
    if (offset < this.end) await this.settle(0);
    if (bytes.length <= WRITE_INLINE_BELOW) {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, offset + done);
      release?.();
    } else {
      await this.settle(WRITES_IN_FLIGHT_BYTES - bytes.length);
      const ended = writeFully(this.fd, bytes, offset).then(
        () => undefined,
        (err: unknown) => { this.failure ??= err; },
      ).finally(() => { this.inFlightBytes -= bytes.length; release?.(); });
      this.inFlight.push({ bytes: bytes.length, ended });
      this.inFlightBytes += bytes.length;
    }
    this.end = Math.max(this.end, offset + bytes.length);
    if (this.dropping === null && offset - this.droppedTo >= DROP_BEHIND_BYTES) this.dropBehind(offset);
    return bytes.length;
  }

  /** Writes back the bytes before `to` once their writes have ended, then drops them from the cache. */
  private dropBehind(to: number): void {
    const from = this.droppedTo;
    const writes = this.inFlight.map((w) => w.ended);
    this.droppedTo = to;
    this.dropping = (async () => {
      await Promise.all(writes);
      try {
        await fdatasyncAsync(this.fd);
        dropCachedPages(this.fd, from, to - from);
      } catch (err) {
        this.failure ??= err; // a lost write-back: the file is not what was sent
      }
    })().finally(() => { this.dropping = null; });
  }

  /** Waits for the oldest writes until at most `bytes` are in flight (none: the drop-behind too). */
  private async settle(bytes: number): Promise<void> {
    while (this.inFlight.length > 0 && this.inFlightBytes > Math.max(0, bytes)) await this.inFlight.shift()!.ended;
    if (bytes <= 0) await this.dropping;
  }

  setDigest(d: burrow.FileDigest): void {
    this.digest.expect(d);
  }

  /**
   * Finishes the file: size, digest check, attributes, rename into place. A size or
   * digest problem leaves the file restored (it is the best copy there is).
   */
  async commit(): Promise<CommitResult> {
    await this.settle(0);
    if (this.failure !== null) throw this.failure;
    const { size } = this.attrs;
    // A file ending in a hole (sparse) has its last bytes absent from the data.
    if (this.end < size && this.attrs.sparse === true) {
      await ftruncateAsync(this.fd, size);
      await this.digest.zerosAfter(this.end, size);
    }
    const short = shortfall(this.end, this.attrs);
    const checkLater = short === null ? this.digest.later() : null;
    const error = short ?? (checkLater !== null ? null : await this.digest.check((h) => this.rehash(h)));
    this.digest.drop(); // not asked for (no DIGEST record, or data missing): forget it
    const warnings = applyAt(this.fd, SELF, this.attrs, false);
    if (this.writtenName !== this.finalName) renameAt(this.dir, this.writtenName, this.dir, this.finalName);
    this.close();
    return checkLater === null ? { error, warnings } : { error, warnings, checkLater };
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

  private close(): void {
    if (!this.open) return;
    this.open = false;
    closeFd(this.fd);
  }

  /**
   * Drops the temporary file after a failure (or does nothing once committed). The name
   * goes at once; resolves once no write runs any more and the descriptor is closed:
   * writes still on the pool name it by number (closing it under them could send their
   * bytes into whatever file opens next with that number), and until it is closed the
   * file's blocks stay taken, which on a full disk the next file needs.
   */
  async abandon(): Promise<void> {
    this.digest.drop();
    if (!this.open) return;
    try {
      unlinkAt(this.dir, this.writtenName);
    } catch {
      // Already gone: nothing more to tidy.
    }
    await this.settle(0);
    this.close();
  }
}
