/**
 * Gathers what the catalog needs of each file — attributes, digest, and the address
 * of the block holding its attribute record — and sends complete files to the
 * Director in batches: when a batch is full, and after each block that reached the
 * volume, so the catalog (and the job's progress in `status dir`) moves with the data.
 * A file is complete once the next file has begun (its digest can no longer come) and
 * its block is on the volume (its address is known).
 */
import type { burrow } from '@burrow/common/proto/index';

/** Files per catalog batch: large enough for fast inserts, small enough to bound memory. */
const BATCH_FILES = 1000;

interface Entry {
  fileIndex: number;
  file: burrow.ICatalogFile;
  complete: boolean;
  located: boolean;
}

export class CatalogBatcher {
  private readonly open = new Map<number, Entry>();
  private ready: burrow.ICatalogFile[] = [];
  private current: Entry | undefined;
  /** A block reached the volume since the last batch left. */
  private blockWritten = false;
  files = 0;

  constructor(private readonly send: (files: burrow.ICatalogFile[]) => Promise<void>) {}

  /** `attributes`: the file's FileAttributes record, kept as it is (copy it if its memory is reused). */
  begin(fileIndex: number, attributes: Uint8Array): void {
    this.completeCurrent();
    const entry: Entry = { fileIndex, file: { fileIndex, attributes }, complete: false, located: false };
    this.open.set(fileIndex, entry);
    this.current = entry;
    this.files++;
  }

  digest(fileIndex: number, digest: burrow.IFileDigest): void {
    const e = this.open.get(fileIndex);
    if (e) e.file.digest = digest;
  }

  located(fileIndex: number, volumeName: string, addr: number): void {
    const e = this.open.get(fileIndex);
    if (!e) return;
    e.file.volumeName = volumeName;
    e.file.addr = addr;
    e.located = true;
    this.blockWritten = true;
    this.release(fileIndex, e);
  }

  /** Sends a batch when one is full, or a block reached the volume since the last. */
  async sendFull(): Promise<void> {
    if (this.ready.length >= BATCH_FILES || (this.blockWritten && this.ready.length > 0)) await this.flush();
  }

  async flush(): Promise<void> {
    this.blockWritten = false;
    if (this.ready.length === 0) return;
    const batch = this.ready;
    this.ready = [];
    await this.send(batch);
  }

  /** The session is over: the last file is complete; send everything located. */
  async finish(): Promise<void> {
    this.completeCurrent();
    await this.flush();
  }

  private completeCurrent(): void {
    const c = this.current;
    if (!c) return;
    c.complete = true;
    this.current = undefined;
    this.release(c.fileIndex, c);
  }

  private release(fileIndex: number, e: Entry): void {
    if (!e.complete || !e.located) return;
    this.open.delete(fileIndex);
    this.ready.push(e.file);
  }
}
