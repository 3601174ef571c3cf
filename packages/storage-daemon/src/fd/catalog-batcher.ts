/**
 * Gathers what the catalog needs of each file — attributes, digest, and the address
 * of the block holding its attribute record — and sends complete files to the
 * Director in batches: when a batch is full, and as soon as a block reached the volume,
 * so the catalog (and the job's progress in `status dir`) moves with the data even
 * while the client sends nothing (it waits on a FIFO, a slow disk, a script).
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
  /** A batch is to leave once the block being located is done (a microtask). */
  private sendScheduled = false;
  /** A batch sent on its own failed: thrown by the next call the session awaits. */
  private failure: unknown;
  files = 0;
  /**
   * The highest file index complete (the next file began) and located: once the blocks
   * written so far are durable, every file up to it is whole on the volume (a checkpoint).
   */
  completeIndex = 0;

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
    this.release(fileIndex, e);
    this.sendSoon();
  }

  /**
   * Called from the writer's completion of a block (which may come long after the last
   * record): the files it located leave in one batch once all of them are located. The
   * channel orders messages by their send call, so this batch cannot pass another.
   */
  private sendSoon(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    queueMicrotask(() => {
      this.sendScheduled = false;
      this.flush().catch((err: unknown) => { this.failure ??= err; });
    });
  }

  /** Sends a batch when one is full (waiting for the channel then: the backpressure of a session of tiny files). */
  async sendFull(): Promise<void> {
    if (this.ready.length >= BATCH_FILES) await this.flush();
    else if (this.failure !== undefined) throw this.failure;
  }

  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
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
    if (fileIndex > this.completeIndex) this.completeIndex = fileIndex;
    this.ready.push(e.file);
  }
}
