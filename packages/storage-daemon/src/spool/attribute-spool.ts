/**
 * Bareos's attribute spooling: the catalog entries of a spooling job's files (what
 * the catalog batch would send the Director at once) are kept in a file in the
 * Storage daemon's Working Directory and sent at the end of the job, once all its data
 * is on the volume. A job that fails leaves no catalog entries pointing at data that
 * never reached a volume, and the Director's inserts do not hold up the data.
 *
 * The file holds the batches as they came, each an SdCatalogBatch message after its
 * 4-byte little-endian length; memory holds one batch at a time.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/index';

export class AttributeSpool {
  private bytes = 0;
  private files = 0;

  private constructor(readonly path: string, private readonly file: FileHandle) {}

  static async create(path: string): Promise<AttributeSpool> {
    try {
      return new AttributeSpool(path, await open(path, 'w+', 0o600));
    } catch (err) {
      throw new BurrowError('DEVICE', `cannot create the attribute spool file ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Bytes in the file. */
  get size(): number {
    return this.bytes;
  }

  /** Files whose entries are spooled. */
  get count(): number {
    return this.files;
  }

  /** Keeps one batch of catalog entries. A full disk fails the job (Bareos cancels it too). */
  async add(files: burrow.ICatalogFile[]): Promise<void> {
    if (files.length === 0) return;
    const body = burrow.SdCatalogBatch.encode({ files }).finish();
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32LE(body.length, 0);
    // The batch's place is taken before the write is awaited: the catalog batcher may
    // send a batch while an earlier one is still being written (a block's completion
    // beside a full batch), and both would otherwise be written at the same offset.
    const at = this.bytes;
    this.bytes += 4 + body.length;
    this.files += files.length;
    try {
      const { bytesWritten } = await this.file.writev([head, Buffer.from(body.buffer, body.byteOffset, body.length)], at);
      if (bytesWritten !== 4 + body.length) throw Object.assign(new Error('short write: no space left on device'), { code: 'ENOSPC' });
    } catch (err) {
      throw new BurrowError('DEVICE', `cannot write the attribute spool file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Sends every batch kept, in order, through `send` (the Director's sdCatalog). */
  async despool(send: (files: burrow.ICatalogFile[]) => Promise<void>, signal?: AbortSignal): Promise<void> {
    let pos = 0;
    const head = Buffer.allocUnsafe(4);
    while (pos < this.bytes) {
      signal?.throwIfAborted();
      await this.readExactly(head, pos);
      const body = Buffer.allocUnsafe(head.readUInt32LE(0));
      await this.readExactly(body, pos + 4);
      pos += 4 + body.length;
      await send(burrow.SdCatalogBatch.decode(body).files);
    }
  }

  /** Closes and deletes the file; twice is harmless. */
  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  private async readExactly(into: Buffer, at: number): Promise<void> {
    const { bytesRead } = await this.file.read(into, 0, into.length, at);
    if (bytesRead !== into.length) throw new BurrowError('DEVICE', `attribute spool file ${this.path} ends early at ${at + bytesRead}`);
  }
}
