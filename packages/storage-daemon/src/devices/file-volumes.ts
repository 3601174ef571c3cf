/**
 * The two ways a random-access volume (a file, or one in memory) is held open: for
 * reading (any block by address) and for appending (blocks added at the end, one at a
 * time, shared by concurrent sessions).
 */
import type { ByteHandle } from './volume-store.js';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import { BLOCK_FLAG_LABEL, isLabelBlock, sealBlock } from '../volume/block.js';
import { checkVolumeLabel, decodeLabelPayload } from '../volume/labels.js';
import {
  DiskFull, volumeFiles, type AppendOptions, type AppendVolume, type BlockRead, type BlockToWrite, type ReadVolume, type WriteBlockOptions, type WrittenBlock,
} from './drive.js';
import { blockEndingAt, findNextBlock, readBlockAt, SMALL_BLOCK_BYTES } from './file-blocks.js';
import { BlockBuffers } from './block-buffers.js';
import { SerialQueue } from './serial-queue.js';

/**
 * A volume's pages are dropped from the page cache every this many bytes written back
 * or read (drop-behind), so the next ones reuse them. A volume is seldom read again
 * soon after it was written or read, and fresh pages are dear: reading 2 GiB into new
 * pages took 2 s of system time on a VM whose host takes free memory back, 0.15 s with
 * drop-behind; writing took 1.8 ms/MiB in the pool threads, and evicted everything else.
 */
export const DROP_BEHIND_BYTES = 64 * 1024 * 1024;

export class FileReadVolume implements ReadVolume {
  private closed = false;
  /** Up to where this handle's reads have dropped the cached pages (see DROP_BEHIND_BYTES). */
  private droppedTo = 0;

  constructor(
    readonly volumeName: string,
    readonly label: burrow.VolumeLabel,
    private readonly fh: ByteHandle,
    /** Called once, when this handle closes. */
    private readonly onClosed: () => void = () => undefined,
  ) {}

  firstAddress(): number {
    return 0;
  }

  /** The block after the last one read, already being read: volumes are mostly read in order. */
  private ahead: { addr: number; read: Promise<BlockRead> } | undefined;
  /** Bytes of the largest block read so far (at least a small one whole): the size of the next first read. */
  private expect = SMALL_BLOCK_BYTES;
  /** What the blocks are read into (block-buffers.ts): each comes back once its records were written. */
  private readonly buffers = new BlockBuffers();

  async readBlock(addr: number, signal?: AbortSignal): Promise<BlockRead> {
    signal?.throwIfAborted();
    const ahead = this.ahead;
    this.ahead = undefined;
    let read: BlockRead | undefined;
    if (ahead?.addr === addr) read = await ahead.read;
    else if (ahead !== undefined) forget(ahead.read);
    // Anything but a whole block is read again: the volume may have grown since (a job appending).
    const block = read?.kind === 'block' ? read : await readBlockAt(this.fh, addr, this.expect, true, this.buffers);
    if (block.kind === 'block') {
      this.expect = Math.max(this.expect, block.nextAddr - block.addr);
      this.dropBehind(block.addr);
    }
    return block;
  }

  /** Drops the pages before `addr` once a stretch of them was read; a read further back starts the count again. */
  private dropBehind(addr: number): void {
    if (addr < this.droppedTo) this.droppedTo = addr;
    if (addr - this.droppedTo < DROP_BEHIND_BYTES) return;
    this.fh.dropCached?.(this.droppedTo, addr - this.droppedTo);
    this.droppedTo = addr;
  }

  readAhead(addr: number): void {
    if (this.ahead?.addr === addr) return;
    if (this.ahead !== undefined) forget(this.ahead.read);
    const read = readBlockAt(this.fh, addr, this.expect, true, this.buffers);
    read.catch(() => undefined); // used or dropped by the next readBlock; never unhandled meanwhile
    this.ahead = { addr, read };
  }

  findNextBlock(addr: number, signal?: AbortSignal): Promise<number | null> {
    return findNextBlock(this.fh, addr, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ahead !== undefined) forget(this.ahead.read);
    this.ahead = undefined;
    try {
      await this.fh.close();
    } finally {
      this.onClosed();
    }
  }
}

/** A block read that nobody will take: its buffer serves again once the read is over (never while the file still reads into it). */
function forget(read: Promise<BlockRead>): void {
  read.then((r) => { if (r.kind === 'block') r.lent?.letGo(); }, () => undefined);
}

/** Where appending starts, as found by the File device when it opened the volume. */
export interface AppendPosition {
  end: number;
  nextBlockNumber: number;
  /** The volume holds something besides its label (see WriteBlockOptions.limit). */
  hasData: boolean;
}

export interface FileAppendOptions {
  volumeName: string;
  label: burrow.VolumeLabel;
  fh: ByteHandle;
  position: AppendPosition;
  maxVolumeBytes: number;
  /** Bytes between background syncs; WRITE_BEHIND_BYTES unless given (tests). */
  syncEveryBytes?: number;
  /** Called when the last handle closes, after the file is synced and closed. */
  onClosed: () => void;
}

/**
 * Bytes written between two syncs started in the background. The volume is synced when
 * its last handle closes, so that a job ends only once its data is on the disk; left to
 * that moment, a job's gigabytes would all be written out then, the job waiting (0.6-0.7 s
 * for 2 GiB here). A sync started every WRITE_BEHIND_BYTES runs on libuv's pool while the
 * next blocks are written, and the last one finds little left.
 */
const WRITE_BEHIND_BYTES = 64 * 1024 * 1024;

/** The shared state of one volume open for append; handles count its users. */
export class FileAppendState {
  private readonly queue = new SerialQueue();
  /** The volume's end when the last background sync started (its start: none yet). */
  private syncedFrom: number;
  /** Up to where synced pages were dropped from the cache (see DROP_BEHIND_BYTES). */
  private droppedTo: number;
  /** The background sync running, if any (awaited before the volume's final sync). */
  private syncing: Promise<void> | null = null;
  /** A background sync failed: data written is lost, which the next sync would not report again. */
  private syncFailure: BurrowError | undefined;
  private end: number;
  private nextBlockNumber: number;
  private hasData: boolean;
  private full = false;
  private broken: BurrowError | undefined;
  private users = 0;

  constructor(private readonly opts: FileAppendOptions) {
    this.end = opts.position.end;
    this.syncedFrom = opts.position.end;
    this.droppedTo = opts.position.end;
    this.nextBlockNumber = opts.position.nextBlockNumber;
    this.hasData = opts.position.hasData;
  }

  get volumeName(): string { return this.opts.volumeName; }
  get label(): burrow.VolumeLabel { return this.opts.label; }
  endAddress(): number { return this.end; }
  volBlocks(): number { return this.nextBlockNumber; }
  isFull(): boolean { return this.full; }

  /** A new user handle on this volume. */
  handle(): AppendVolume {
    this.users += 1;
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await this.release();
    };
    return {
      volumeName: this.volumeName,
      label: this.label,
      endAddress: () => this.end,
      filesAtOpen: volumeFiles({ endAddr: this.end }),
      volBytes: () => this.end,
      volBlocks: () => this.nextBlockNumber,
      isFull: () => this.full,
      writeBlock: (block, options) => {
        if (closed) return Promise.reject(new BurrowError('INTERNAL', 'write on a closed volume handle'));
        return this.queue.run(() => this.write(block, options));
      },
      flush: () => this.queue.run(() => this.durable()),
      close,
    };
  }

  private limitFor(options: WriteBlockOptions | undefined): number {
    const limits = [this.opts.maxVolumeBytes, options?.limit ?? 0].filter((n) => n > 0);
    return limits.length === 0 ? 0 : Math.min(...limits);
  }

  private async write(block: BlockToWrite, options?: WriteBlockOptions): Promise<WrittenBlock> {
    if (this.broken) throw this.broken;
    const label = (block.flags & BLOCK_FLAG_LABEL) !== 0;
    const size = block.block.length;
    const limit = this.limitFor(options);
    if (!label && this.hasData && (this.full || (limit > 0 && this.end + size > limit))) {
      this.full = true;
      throw new BurrowError('VOLUME_FULL', `volume ${this.volumeName} is full (${this.end} bytes)`);
    }
    const buf = sealBlock(block.block, { ...block, blockNumber: this.nextBlockNumber });
    const addr = this.end;
    try {
      let done = 0;
      while (done < buf.length) {
        const { bytesWritten } = await this.opts.fh.write(buf, done, buf.length - done, addr + done);
        done += bytesWritten;
      }
    } catch (err) {
      await this.undoPartialWrite(addr, err);
    }
    this.end = addr + buf.length;
    this.nextBlockNumber += 1;
    if (!label) this.hasData = true;
    if (this.end - this.syncedFrom >= (this.opts.syncEveryBytes ?? WRITE_BEHIND_BYTES) && this.syncing === null) this.syncBehind();
    return { addr, blockNumber: this.nextBlockNumber - 1, endAddr: this.end, volBytes: this.end };
  }

  /**
   * Starts a sync without waiting for it. Its failure breaks the volume: the kernel
   * reports a failed write-back once, so the final sync would no longer see it.
   */
  private syncBehind(): void {
    const upTo = this.syncedFrom = this.end;
    this.syncing = this.opts.fh.sync().then(
      () => {
        this.syncing = null;
        this.opts.fh.dropCached?.(this.droppedTo, upTo - this.droppedTo);
        this.droppedTo = upTo;
      },
    ).catch(
      // A failed sync, or a descriptor the drop found gone: either way the volume is not trusted.
      (err: unknown) => {
        this.syncing = null;
        this.syncFailure = new BurrowError('DEVICE', `volume ${this.volumeName}: writing to the disk failed`, { cause: err });
        this.broken ??= this.syncFailure;
      },
    );
  }

  /** Makes everything written so far durable (after any background sync), or throws. */
  private async durable(): Promise<void> {
    await this.syncing;
    if (this.syncFailure) throw this.syncFailure;
    await this.opts.fh.sync();
  }

  /** Cuts a half-written block off again so the volume stays readable, then rethrows. */
  private async undoPartialWrite(addr: number, err: unknown): Promise<never> {
    try {
      await this.opts.fh.truncate(addr);
    } catch (truncErr) {
      this.broken = new BurrowError('DEVICE', `volume ${this.volumeName}: cannot undo a failed write`, { cause: truncErr });
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC' && !this.broken) {
      // A disk too full for a volume's first data block: the disk is full, not the volume;
      // calling it full would have the job label one empty volume after another.
      if (!this.hasData) {
        throw new DiskFull(this.volumeName, { cause: err });
      }
      // A disk that fills up ends the volume the way Maximum Volume Bytes does.
      this.full = true;
      throw new BurrowError('VOLUME_FULL', `volume ${this.volumeName}: no space left on the disk`, { cause: err });
    }
    this.broken ??= new BurrowError('DEVICE', `volume ${this.volumeName}: write failed`, { cause: err });
    throw this.broken;
  }

  private async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0) {
      await this.queue.run(() => this.durable());
      return;
    }
    this.opts.onClosed();
    await this.queue.drain();
    try {
      await this.durable();
    } finally {
      await this.opts.fh.close();
    }
  }
}

/** Block 0 must verify and hold a Burrow volume label naming this volume; anything else is not ours. */
export async function readVolumeLabel(fh: ByteHandle, where: string, volumeName: string): Promise<{ label: burrow.VolumeLabel; labelEnd: number }> {
  const first = await readBlockAt(fh, 0);
  return { label: volumeLabelOf(first, where, volumeName), labelEnd: first.kind === 'block' ? first.nextAddr : 0 };
}

/**
 * The volume label in a volume's first block, checked: it must verify, hold a Burrow
 * volume label and name `volumeName` (or any name when it is null). Used by every
 * drive type: a file's block at offset 0, a tape's first record.
 */
export function volumeLabelOf(first: BlockRead, where: string, volumeName: string | null): burrow.VolumeLabel {
  const notOurs = new BurrowError('VOLUME_FORMAT', `${where} is not a Burrow volume`);
  if (first.kind !== 'block' || !isLabelBlock(first.header) || first.header.sessionId !== 0) throw notOurs;
  let decoded;
  try {
    decoded = decodeLabelPayload(first.payload);
  } catch (err) {
    throw new BurrowError('VOLUME_FORMAT', `${where} is not a Burrow volume`, { cause: err });
  }
  if (decoded.kind !== 'volume') throw notOurs;
  checkVolumeLabel(decoded.label, where);
  if (volumeName !== null && decoded.label.volumeName !== volumeName) {
    throw new BurrowError('VOLUME_FORMAT', `${where} is labelled ${JSON.stringify(decoded.label.volumeName)}, not ${JSON.stringify(volumeName)}`);
  }
  return decoded.label;
}

/**
 * Scans forward from a verified starting point to the end of the last block that
 * verifies. Damage followed by good blocks is skipped (that data stays readable);
 * damage with nothing good after it is a dead writer's tail and is cut off.
 */
export async function findAppendPosition(fh: ByteHandle, labelEnd: number, options: AppendOptions): Promise<AppendPosition> {
  let pos = labelEnd;
  let lastNumber = 0;
  const hint = options.endHint;
  if (hint !== undefined && hint > labelEnd) {
    const number = await blockEndingAt(fh, hint);
    if (number !== null) {
      pos = hint;
      lastNumber = number;
    }
  }
  for (;;) {
    options.signal?.throwIfAborted();
    const read = await readBlockAt(fh, pos);
    if (read.kind === 'block') {
      pos = read.nextAddr;
      lastNumber = read.header.blockNumber;
      continue;
    }
    if (read.kind === 'end') break;
    const next = await findNextBlock(fh, pos, options.signal);
    if (next === null) {
      await fh.truncate(pos);
      await fh.sync();
      break;
    }
    pos = next;
  }
  return { end: pos, nextBlockNumber: lastNumber + 1, hasData: pos > labelEnd };
}
