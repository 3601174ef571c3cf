/**
 * Writes one job session onto volumes: records are packed into the session's own
 * blocks (split into fragments where a block fills up), framed by a start-of-session
 * label on each volume and an end-of-session label at the end. When a volume is full
 * the session moves on to the next one the caller hands it, and a record in flight
 * simply continues there.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { burrow, timestampFromMs } from '@burrow/common/proto/index';
import { DiskFull, type AppendVolume, type DeviceNote, type WrittenBlock } from '../devices/drive.js';
import { BLOCK_FLAG_LABEL, BLOCK_HEADER_SIZE, MAX_BLOCK_PAYLOAD, withHeaderRoom } from './block.js';
import { sessionLabelPayload } from './labels.js';
import { RECORD_CONTINUED, RECORD_CONTINUES, RECORD_HEADER_SIZE, writeFragment } from './record.js';
import { VolumeUsageTracker, type VolumeUsage } from './volume-usage.js';

export type { VolumeUsage } from './volume-usage.js';

/**
 * 1 MiB blocks, header included, Bareos's default since it moved from 64 KiB: a block's
 * fixed costs (a write, a CRC, a header, the records cut at its end) come once a MiB.
 * Volumes of 64 KiB blocks (Burrow before 0.2) read as they always did.
 */
export const DEFAULT_BLOCK_PAYLOAD = 1024 * 1024 - BLOCK_HEADER_SIZE;

export interface SessionWriterOptions {
  /** The job id; it owns every block this writer writes. */
  sessionId: number;
  /** Job details copied into every session label (job id, name, client, level...). */
  sessionLabel: burrow.SessionLabel.$Properties;
  /**
   * Details only the start-of-session labels carry (one on each volume the session
   * reaches): what bscan needs to create the job's rows, kept off the end labels so
   * small jobs on small volumes do not pay for them twice.
   */
  startLabel?: burrow.SessionLabel.$Properties;
  /** Payload bytes per block. */
  blockSize?: number;
  /** Maximum Volume Bytes; 0 or absent: no limit beyond the volume's own. */
  maxVolumeBytes?: number;
  /** The first volume. The writer owns the handle and closes it when done with it. */
  openVolume: () => Promise<AppendVolume>;
  /** The next volume after `previous` filled up; owned by the writer like the first. */
  nextVolume: (previous: VolumeUsage) => Promise<AppendVolume>;
  /** A file's attributes record starts in the block at `addr`, now written. */
  onFileStart?: (fileIndex: number, volumeName: string, addr: number) => void;
  /** The session left a volume or closed: one JobMedia row. Awaited before going on. */
  onVolumeUsage?: (usage: VolumeUsage) => void | Promise<void>;
  /** What the device said of how a full volume ended (AppendVolume.endNotes), before its usage. */
  onDeviceNote?: (note: DeviceNote) => void | Promise<void>;
  /**
   * The disk under the volume has no room even for its first data block (DiskFull):
   * resolves when the block should be tried again (the operator may have freed space),
   * rejects when the job must end. Without it, or once the session is ending in
   * failure, the error ends the session.
   */
  waitForSpace?: (volumeName: string) => Promise<void>;
  /** A block waited for by waitForSpace is written: the job runs again. */
  onSpaceAgain?: (volumeName: string) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface SessionRecord {
  fileIndex: number;
  stream: number;
  data: Buffer;
}

export interface SessionStats {
  records: number;
  files: number;
  /** Record data bytes written (headers not counted). */
  bytes: number;
  volumes: number;
}

export class SessionWriter {
  private readonly blockSize: number;
  private volume: AppendVolume | undefined;
  private usage: VolumeUsageTracker | undefined;
  private volumeIndex = 0;
  /** JobMedia rows begun: one per volume, and on tape one more per tape file. */
  private parts = 0;
  private sessionBlockNumber = 0;
  /**
   * Two buffers for the whole session, used in turn: while one block is being written
   * (`writing`), the next is filled in the other, so the records keep coming in from
   * the network while the disk works (one block's wait per MiB otherwise, and a paused
   * socket whose buffered chunks outlive young collections). The volume is done with a
   * buffer once its write resolves; `writing` always settles before a buffer is reused.
   * The second is made when the first block is written, not before: a job of a few
   * small files (and the SD serves many at once) never needs it.
   */
  private readonly buffers: [Buffer, Buffer | undefined];
  /** Which of `buffers` is being filled: header room, then `used` payload bytes. */
  private filling = 0;
  private used = 0;
  /** The write of the block before, with its bookkeeping; awaited before the next starts. */
  private writing: Promise<void> | undefined;
  private fileStarts: number[] = [];
  private blockIndexes: number[] = [];
  private closed = false;
  /** A full disk is waited out (waitForSpace) unless the session is closing in failure. */
  private waitsForSpace = true;
  private readonly counts = { records: 0, files: 0, bytes: 0 };

  constructor(private readonly opts: SessionWriterOptions) {
    this.blockSize = opts.blockSize ?? DEFAULT_BLOCK_PAYLOAD;
    if (!Number.isInteger(this.blockSize) || this.blockSize <= RECORD_HEADER_SIZE || this.blockSize > MAX_BLOCK_PAYLOAD) {
      throw new BurrowError('BAD_REQUEST', `block size ${this.blockSize} is outside ${RECORD_HEADER_SIZE + 1}..${MAX_BLOCK_PAYLOAD}`);
    }
    this.buffers = [Buffer.allocUnsafe(BLOCK_HEADER_SIZE + this.blockSize), undefined];
  }

  private get block(): Buffer {
    return (this.buffers[this.filling] ??= Buffer.allocUnsafe(BLOCK_HEADER_SIZE + this.blockSize));
  }

  stats(): SessionStats {
    return { ...this.counts, volumes: this.volumeIndex };
  }

  /** Adds one record; resolves once it is buffered (and any blocks it filled are written). One call at a time. */
  async writeRecord(record: SessionRecord): Promise<void> {
    this.checkOpen();
    if (!Number.isInteger(record.fileIndex) || record.fileIndex < 1 || record.fileIndex > 0x7fffffff) {
      throw new BurrowError('BAD_REQUEST', `file index ${record.fileIndex} is not a positive 32-bit integer`);
    }
    if (!Number.isInteger(record.stream) || record.stream < 1 || record.stream > 0xffffffff) {
      throw new BurrowError('BAD_REQUEST', `stream ${record.stream} is not a record stream`);
    }
    const { data } = record;
    let offset = 0;
    let first = true;
    do {
      this.opts.signal?.throwIfAborted();
      const room = this.blockSize - this.used;
      // Never leave a header without data when data remains: start a fresh block instead.
      if (room < RECORD_HEADER_SIZE + (data.length > offset ? 1 : 0)) {
        await this.flushBlock();
        continue;
      }
      const take = Math.min(room - RECORD_HEADER_SIZE, data.length - offset);
      const more = offset + take < data.length;
      const flags = (first ? 0 : RECORD_CONTINUED) | (more ? RECORD_CONTINUES : 0);
      this.used = writeFragment(this.block, BLOCK_HEADER_SIZE + this.used, {
        fileIndex: record.fileIndex, stream: record.stream, flags, data: data.subarray(offset, offset + take),
      }) - BLOCK_HEADER_SIZE;
      if (first && record.stream === burrow.Stream.STREAM_ATTRIBUTES) this.fileStarts.push(record.fileIndex);
      this.blockIndexes.push(record.fileIndex);
      offset += take;
      first = false;
      if (more) await this.flushBlock();
    } while (offset < data.length);
    this.counts.records += 1;
    this.counts.bytes += data.length;
    if (record.stream === burrow.Stream.STREAM_ATTRIBUTES) this.counts.files += 1;
  }

  /**
   * Writes what is buffered and the end-of-session label, reports the last volume's
   * usage, makes it durable and closes the handle. `eos` adds files, bytes, status.
   */
  async close(eos: burrow.SessionLabel.$Properties = {}): Promise<SessionStats> {
    this.checkOpen();
    this.closed = true;
    // A block write that failed after its writeRecord had returned: a caller closing as
    // though all went well has not seen it. The end label then says the session failed
    // (E), and the failure is thrown once the label is on the volume. A caller already
    // ending in error (status E or A) has its own failure to report, and so has one
    // whose signal was aborted (the next writeRecord would have thrown); this one goes.
    let unseen: unknown;
    try {
      await this.settled();
    } catch (err) {
      if (this.opts.signal?.aborted !== true) unseen = err;
    }
    const believedOk = (eos.status ?? 'T') === 'T';
    // A session ending in failure does not hold its drive for the operator to free space.
    this.waitsForSpace = believedOk && unseen === undefined;
    try {
      await this.flushBlock();
      await this.settled();
      await this.ensureVolume();
      await this.writeLabel('session-end', unseen !== undefined && believedOk ? { ...eos, status: 'E' } : eos);
      await this.leaveVolume(false);
    } finally {
      await this.release();
    }
    if (unseen !== undefined && believedOk) throw unseen;
    return this.stats();
  }

  /**
   * Opens the session's volume now, if none is open (its start label goes on), and
   * names it: a spooling job says which volume it commits its spool to.
   */
  async volumeNow(): Promise<string> {
    this.checkOpen();
    return (await this.ensureVolume()).volumeName;
  }

  /**
   * Leaves the volume for now: writes the block being filled, reports the session's use
   * of the volume (a JobMedia row) and closes the handle, so the drive may go to another
   * volume meanwhile. The next record opens a volume again (the one the drive has, as a
   * rule) with a continued start label. A spooling job does this after each despool.
   */
  async park(): Promise<void> {
    this.checkOpen();
    await this.flushBlock();
    await this.settled();
    if (this.volume === undefined) return;
    await this.leaveVolume(false);
    const volume = this.volume;
    this.volume = undefined;
    await volume.close();
  }

  /** Gives up without an end label (the device failed): closes the handle only. */
  async release(): Promise<void> {
    this.closed = true;
    // A block still being written goes on using the handle: let it end (its error, if any, was or will be the caller's).
    await this.writing?.catch(() => undefined);
    const volume = this.volume;
    this.volume = undefined;
    await volume?.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new BurrowError('INTERNAL', `session ${this.opts.sessionId} is closed`);
  }

  private async ensureVolume(): Promise<AppendVolume> {
    if (this.volume === undefined) {
      this.volume = await this.opts.openVolume();
      await this.startVolume();
    }
    return this.volume;
  }

  private async startVolume(): Promise<void> {
    this.volumeIndex += 1;
    this.sessionBlockNumber = 0;
    this.usage = undefined;
    await this.writeLabel('session-start', {});
  }

  private async writeLabel(kind: 'session-start' | 'session-end', extra: burrow.SessionLabel.$Properties): Promise<void> {
    const label: burrow.SessionLabel.$Properties = {
      ...this.opts.sessionLabel, ...(kind === 'session-start' ? this.opts.startLabel : {}), ...extra,
      time: timestampFromMs(Date.now()),
      volumeIndex: this.volumeIndex,
      continued: kind === 'session-start' && this.volumeIndex > 1,
    };
    await this.writeBlock(BLOCK_FLAG_LABEL, withHeaderRoom(sessionLabelPayload(kind, label)));
  }

  /**
   * Writes the block being filled now, short: a caller that must learn where the files
   * in it are (the catalog batch) need not wait for a MiB of tiny files.
   */
  async flush(): Promise<void> {
    this.checkOpen();
    await this.flushBlock();
    await this.settled();
  }

  /** Resolves once the blocks handed to the volume so far are written (the one being filled stays); a failed write is thrown here. */
  written(): Promise<void> {
    this.checkOpen();
    return this.settled();
  }

  /** Waits for the block being written, if any; its failure is thrown here. */
  private async settled(): Promise<void> {
    const writing = this.writing;
    this.writing = undefined;
    await writing;
  }

  /**
   * A checkpoint: writes the block being filled, makes the volume durable and returns
   * the session's use of it so far (undefined before anything was written). Every record
   * given so far is then on the volume; the session goes on.
   */
  async checkpoint(): Promise<VolumeUsage | undefined> {
    this.checkOpen();
    // The block handed over last may still be in flight (two buffers): it must be on the
    // volume, and its files located, before the volume is made durable and they are named.
    await this.flushBlock();
    await this.settled();
    const volume = this.volume;
    if (volume === undefined || this.usage === undefined) return undefined;
    await volume.flush();
    return this.usage.finish(false);
  }

  /** Files whose attributes are in the block being filled (their address is not known yet). */
  get filesWaiting(): number {
    return this.fileStarts.length;
  }

  /**
   * Starts writing the block being filled, once the block before it is written, and
   * returns without waiting for this one: the next block fills in the other buffer
   * meanwhile. A failed write is thrown by the next flushBlock, flush or close.
   */
  private async flushBlock(): Promise<void> {
    if (this.used === 0) return;
    await this.settled();
    const block = this.block.subarray(0, BLOCK_HEADER_SIZE + this.used);
    // Dropped if the write fails: the session ends then, and close() must not retry it.
    this.used = 0;
    this.filling = 1 - this.filling;
    const indexes = this.blockIndexes;
    const starts = this.fileStarts;
    this.blockIndexes = [];
    this.fileStarts = [];
    const writing = this.writeDataBlock(block).then((written) => {
      this.usage?.addIndexes(indexes);
      const name = this.volume?.volumeName ?? '';
      for (const fileIndex of starts) this.opts.onFileStart?.(fileIndex, name, written.addr);
    });
    writing.catch(() => undefined); // awaited by settled(); never unhandled meanwhile
    this.writing = writing;
  }

  private async writeDataBlock(block: Buffer): Promise<WrittenBlock> {
    for (;;) {
      // Closing writes what is buffered even after an abort (a killed peer, a cancel):
      // the records in it are whole, and the end label that follows tells readers the
      // session ended rather than broke off.
      if (!this.closed) this.opts.signal?.throwIfAborted();
      await this.ensureVolume();
      try {
        return await this.writeBlock(0, block);
      } catch (err) {
        if (!(err instanceof BurrowError) || err.code !== 'VOLUME_FULL') throw err;
        const previous = await this.leaveVolume(true);
        const old = this.volume;
        this.volume = undefined;
        await old?.close();
        if (previous === undefined) throw new BurrowError('INTERNAL', 'left a volume the session never wrote on');
        this.volume = await this.opts.nextVolume(previous);
        await this.startVolume();
      }
    }
  }

  /**
   * `block`: header room, then the payload (BlockToWrite). On a disk too full for the
   * volume's first data block the session waits for space and writes the block again
   * (nothing of it stayed on the volume).
   */
  private async writeBlock(flags: number, block: Buffer): Promise<WrittenBlock> {
    const volume = this.volume;
    if (volume === undefined) throw new BurrowError('INTERNAL', 'no volume to write on');
    let waited = false;
    let written: WrittenBlock;
    for (;;) {
      try {
        written = await volume.writeBlock(
          { flags, sessionId: this.opts.sessionId, sessionBlockNumber: this.sessionBlockNumber, block },
          { limit: this.opts.maxVolumeBytes ?? 0 },
        );
        break;
      } catch (err) {
        const wait = this.opts.waitForSpace;
        if (!(err instanceof DiskFull) || wait === undefined || !this.waitsForSpace) throw err;
        waited = true;
        await wait(volume.volumeName);
      }
    }
    if (waited) await this.opts.onSpaceAgain?.(volume.volumeName);
    this.sessionBlockNumber += 1;
    if (this.usage !== undefined && written.tapeFile !== undefined && written.tapeFile !== this.usage.tapeFile) await this.endPart(volume);
    this.usage ??= new VolumeUsageTracker(volume.volumeName, ++this.parts, written.addr, written.tapeFile);
    this.usage.addBlock(written);
    return written;
  }

  /**
   * The block just written began a new tape file (a filemark at Maximum File Size): the
   * session's blocks in the tape file before are a JobMedia row of their own, so the
   * catalog says which piece of the tape holds which files, as Bareos's rows do.
   */
  private async endPart(volume: AppendVolume): Promise<void> {
    const usage = this.usage;
    this.usage = undefined;
    if (usage === undefined) return;
    await volume.flush();
    await this.opts.onVolumeUsage?.(usage.finish(false));
  }

  /** Reports the session's use of the current volume (a JobMedia row). */
  private async leaveVolume(full: boolean): Promise<VolumeUsage | undefined> {
    const volume = this.volume;
    if (volume === undefined || this.usage === undefined) return undefined;
    await volume.flush();
    if (full) for (const note of volume.endNotes?.() ?? []) await this.opts.onDeviceNote?.(note);
    const usage = this.usage.finish(full || volume.isFull());
    await this.opts.onVolumeUsage?.(usage);
    return usage;
  }
}
