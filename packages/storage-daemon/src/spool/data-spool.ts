/**
 * One job's data spool file (Bareos's `<Working or Spool Directory>/<SD>.data.<JobId>.<Device>.spool`):
 * the records the File daemon sent, whole and in order, waiting to be written to the
 * volume in one stream. Its own simple layout — each record a 12-byte little-endian
 * header (file index, stream, data length) and its data — since it never outlives the
 * job and no other program reads it.
 *
 * Memory stays bounded: records are gathered in one buffer of CHUNK bytes and written
 * when it fills (a record larger than that goes straight to the file), and reading back
 * takes the file a CHUNK at a time. The file only ever holds whole records: a write
 * the disk refuses (ENOSPC) is cut back off, and the spool reports SpoolDiskFull with
 * everything given before still readable (the file, then what is buffered).
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { BurrowError } from '@burrow/common/errors/index';
import type { SessionRecord } from '../volume/session-writer.js';

const HEADER = 12;
/** The write buffer, and the read size when despooling: a MiB, a tape block's order of size. */
const CHUNK = 1024 * 1024;

/** The spool's disk has no room for the record just given (it was not added); what came before is intact. */
export class SpoolDiskFull extends BurrowError {
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super('DEVICE', `no space left on the spool disk for ${path}`, options);
  }
}

export class DataSpool {
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private buffered = 0;
  /** Bytes of whole records in the file. */
  private fileBytes = 0;
  private records = 0;

  private constructor(readonly path: string, private readonly file: FileHandle) {}

  /** Creates (or empties: a file left by a daemon that died is this job's own) the spool file at `path`. */
  static async create(path: string): Promise<DataSpool> {
    try {
      return new DataSpool(path, await open(path, 'w+', 0o600));
    } catch (err) {
      throw new BurrowError('DEVICE', `cannot create the spool file ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Bytes spooled (record headers included), in the file and buffered. */
  get size(): number {
    return this.fileBytes + this.buffered;
  }

  /** Records spooled since the last reset. */
  get count(): number {
    return this.records;
  }

  /** Adds one record; the caller may reuse `rec.data` once this resolves. SpoolDiskFull: not added. */
  async append(rec: SessionRecord): Promise<void> {
    const need = HEADER + rec.data.length;
    if (this.buffered + need > CHUNK) await this.writeBuffer();
    if (need > CHUNK) {
      const header = Buffer.allocUnsafe(HEADER);
      writeHeader(header, 0, rec);
      await this.writeAt(this.fileBytes, [header, rec.data]);
      this.fileBytes += need;
    } else {
      writeHeader(this.buffer, this.buffered, rec);
      rec.data.copy(this.buffer, this.buffered + HEADER);
      this.buffered += need;
    }
    this.records += 1;
  }

  /**
   * The records spooled, in order: the file's, then the buffered ones. A record's data
   * is a view of memory read for this replay alone (never reused), so the consumer may
   * keep it, as the catalog batch keeps digests.
   */
  async *replay(signal?: AbortSignal): AsyncGenerator<SessionRecord> {
    let pending = Buffer.alloc(0);
    let pos = 0;
    while (pos < this.fileBytes) {
      signal?.throwIfAborted();
      const want = Math.min(CHUNK, this.fileBytes - pos);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.file.read(chunk, 0, want, pos);
      if (bytesRead !== want) throw new BurrowError('DEVICE', `spool file ${this.path} ended at ${pos + bytesRead} of ${this.fileBytes} bytes`);
      pos += want;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let at = 0;
      for (;;) {
        const rec = readRecord(pending, at);
        if (rec === undefined) break;
        yield rec.record;
        at = rec.next;
      }
      pending = pending.subarray(at);
    }
    if (pending.length !== 0) throw new BurrowError('DEVICE', `spool file ${this.path} ends inside a record`);
    let at = 0;
    const tail = Buffer.from(this.buffer.subarray(0, this.buffered));
    for (;;) {
      const rec = readRecord(tail, at);
      if (rec === undefined) break;
      yield rec.record;
      at = rec.next;
    }
  }

  /** Forgets every record (they are on the volume): the file is emptied, its space given back. */
  async reset(): Promise<void> {
    this.buffered = 0;
    this.fileBytes = 0;
    this.records = 0;
    // Only to give the space back: the next records are written from 0 whatever the file holds.
    await this.file.truncate(0).catch(() => undefined);
  }

  /** Closes and deletes the file; twice is harmless. */
  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  private async writeBuffer(): Promise<void> {
    if (this.buffered === 0) return;
    await this.writeAt(this.fileBytes, [this.buffer.subarray(0, this.buffered)]);
    this.fileBytes += this.buffered;
    this.buffered = 0;
  }

  /** Writes `parts` at `at`; on failure the file is cut back to `at`, so it holds whole records only. */
  private async writeAt(at: number, parts: Buffer[]): Promise<void> {
    try {
      const total = parts.reduce((n, p) => n + p.length, 0);
      let done = 0;
      // A regular file takes a short write only when the disk is nearly full: the rest is tried again (and refused).
      while (done < total) {
        const { bytesWritten } = await this.file.writev(rest(parts, done), at + done);
        done += bytesWritten;
      }
    } catch (err) {
      await this.file.truncate(at).catch(() => undefined);
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new SpoolDiskFull(this.path, { cause: err });
      throw new BurrowError('DEVICE', `cannot write the spool file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** `parts` without their first `skip` bytes. */
function rest(parts: Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  for (const p of parts) {
    if (skip >= p.length) { skip -= p.length; continue; }
    out.push(skip > 0 ? p.subarray(skip) : p);
    skip = 0;
  }
  return out;
}

function writeHeader(to: Buffer, at: number, rec: SessionRecord): void {
  to.writeUInt32LE(rec.fileIndex, at);
  to.writeUInt32LE(rec.stream, at + 4);
  to.writeUInt32LE(rec.data.length, at + 8);
}

function readRecord(buf: Buffer, at: number): { record: SessionRecord; next: number } | undefined {
  if (buf.length - at < HEADER) return undefined;
  const length = buf.readUInt32LE(at + 8);
  if (buf.length - at - HEADER < length) return undefined;
  const start = at + HEADER;
  return {
    record: { fileIndex: buf.readUInt32LE(at), stream: buf.readUInt32LE(at + 4), data: buf.subarray(start, start + length) },
    next: start + length,
  };
}
