/**
 * A tape volume open for appending (tape-drive.ts's openAppend): its handles share one
 * end of data; tape files end at Maximum File Size, the volume at early warning.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { BLOCK_FLAG_LABEL, sealBlock } from '../../volume/block.js';
import {
  smallerLimit, type AppendVolume, type BlockRead, type BlockToWrite, type DeviceNote, type MountedVolume, type WriteBlockOptions, type WrittenBlock,
} from '../drive.js';
import { isTapeError, type RawTape } from './raw-tape.js';
import { tapeAddress, type TapeHead } from './tape-head.js';
import { blockOfRecord, tapeFailure, type TapeDriveAccess } from './tape-records.js';

export interface TapeAppendOptions extends MountedVolume {
  volBytes: number;
  /** The tape file appending starts in (at its block 0). */
  file: number;
  nextBlockNumber: number;
  maxVolumeBytes: number;
  onClosed: () => void;
}

/** A tape volume open for appending; its handles share one end of data. */
export class TapeAppendState {
  private file: number;
  private block = 0;
  private fileBytes = 0;
  private volBytes: number;
  private nextBlockNumber: number;
  private hasData: boolean;
  private full = false;
  private wrote = false;
  private broken: BurrowError | undefined;
  private users = 0;
  /** How the volume ended at the end of medium, for the job's log. */
  private readonly notes: DeviceNote[] = [];

  constructor(private readonly drive: TapeDriveAccess, private readonly opts: TapeAppendOptions) {
    this.file = opts.file;
    this.volBytes = opts.volBytes;
    this.nextBlockNumber = opts.nextBlockNumber;
    this.hasData = opts.nextBlockNumber > 1;
  }

  private end(): number {
    return tapeAddress(this.file, this.block);
  }

  handle(): AppendVolume {
    this.users += 1;
    let closed = false;
    return {
      volumeName: this.opts.volumeName,
      label: this.opts.label,
      endAddress: () => this.end(),
      filesAtOpen: this.opts.file,
      volBytes: () => this.volBytes,
      volBlocks: () => this.nextBlockNumber,
      isFull: () => this.full,
      endNotes: () => this.notes,
      writeBlock: (block, options) => {
        if (closed) return Promise.reject(new BurrowError('INTERNAL', 'write on a closed volume handle'));
        return this.drive.run((raw, head) => this.write(raw, head, block, options));
      },
      // MTWEOF with a count of 0 empties the drive's buffer onto the tape.
      flush: () => this.drive.run((raw) => raw.weof(0)),
      close: async () => {
        if (closed) return;
        closed = true;
        await this.release();
      },
    };
  }

  private async write(raw: RawTape, head: TapeHead, block: BlockToWrite, options?: WriteBlockOptions): Promise<WrittenBlock> {
    if (this.broken) throw this.broken;
    const { settings, printName } = this.drive;
    const label = (block.flags & BLOCK_FLAG_LABEL) !== 0;
    const limit = smallerLimit(this.opts.maxVolumeBytes, options?.limit ?? 0);
    const size = this.drive.record(block.block).length;
    if (!label && this.hasData && (this.full || (limit > 0 && this.volBytes + size > limit))) {
      this.full = true;
      throw new BurrowError('VOLUME_FULL', `Volume "${this.opts.volumeName}" is full (${this.volBytes} bytes)`);
    }
    try {
      if (this.drive.owner !== this && !(await head.goTo(this.file, this.block))) {
        throw new BurrowError('DEVICE', `Device ${printName}: the end of the data of Volume "${this.opts.volumeName}" at ${this.file}:${this.block} is gone`);
      }
      this.drive.owner = this;
      // Maximum File Size: a filemark, and the block starts the next tape file.
      if (settings.maximumFileSize > 0 && this.fileBytes > 0 && this.fileBytes + size > settings.maximumFileSize) {
        await raw.weof(1);
        this.file += 1;
        this.block = 0;
        this.fileBytes = 0;
      }
      const record = this.drive.record(sealBlock(block.block, { ...block, blockNumber: this.nextBlockNumber }));
      await this.writeRecord(raw, record, label);
    } catch (err) {
      if (err instanceof BurrowError && (err.code === 'VOLUME_FULL' || err.code === 'DEVICE')) throw err;
      this.broken = tapeFailure(printName, `cannot write Volume "${this.opts.volumeName}"`, err);
      throw this.broken;
    }
    const addr = this.end();
    this.block += 1;
    this.fileBytes += size;
    this.volBytes += size;
    this.nextBlockNumber += 1;
    this.wrote = true;
    if (!label) this.hasData = true;
    return { addr, blockNumber: this.nextBlockNumber - 1, endAddr: this.end(), volBytes: this.volBytes, tapeFile: this.file };
  }

  /**
   * ENOSPC is the end of the medium (the early warning, or the physical end): the block
   * counts as not written and the volume is full, as in Bareos. A label block (a session
   * must be able to end) is tried once more: st lets the write after a refused one through.
   */
  private async writeRecord(raw: RawTape, record: Buffer, label: boolean): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await raw.write(record);
        return;
      } catch (err) {
        if (!isTapeError(err, 'ENOSPC')) throw err;
        this.full = true;
        if (!label || attempt > 1) {
          const eom = `End of medium on Volume "${this.opts.volumeName}" Bytes=${this.volBytes} Blocks=${this.nextBlockNumber} at ${this.file}:${this.block}.`;
          if (this.notes.length === 0) this.notes.push({ level: 'info', text: eom }, await this.rereadLastBlock(raw));
          throw new BurrowError('VOLUME_FULL', eom, { cause: err });
        }
      }
    }
  }

  /**
   * Bareos's re-read of the last block at the end of medium: the refused block counts as
   * not written, so the one before it ends the data. The data is ended with its
   * filemark(s) first (st would write one before backspacing anyway), then the head goes
   * back over them and the last block, reads it, and checks its block number. A drive
   * that lost blocks near the end of the tape (a wrong block size or buffering setting)
   * shows here, before the job goes on to the next cartridge. The head is left after the
   * last block, where the closing filemarks are written again.
   */
  private async rereadLastBlock(raw: RawTape): Promise<DeviceNote> {
    const want = this.nextBlockNumber - 1;
    // Nothing written yet in this tape file: its last block is behind a filemark, which a write would have followed.
    if (this.block === 0) return { level: 'info', text: 'Re-read of last block skipped: the tape file at the end of medium holds no block yet.' };
    let read: BlockRead;
    try {
      const marks = this.drive.settings.twoEof ? 2 : 1;
      await raw.weof(marks);
      await raw.bsf(marks);
      await raw.bsr(1);
      const buffer = this.drive.recordBuffer();
      const n = await raw.read(buffer);
      read = blockOfRecord(buffer.subarray(0, n), 0, 1);
    } catch (err) {
      return { level: 'error', text: `Re-read last block at EOT failed. ERR=${(err as Error).message}` };
    }
    if (read.kind !== 'block') return { level: 'error', text: `Re-read last block at EOT failed. ERR=${'problem' in read ? read.problem : 'no block'}` };
    const got = read.header.blockNumber;
    if (got === want) return { level: 'info', text: 'Re-read of last block succeeded.' };
    return want > got + 1
      ? { level: 'fatal', text: `Re-read of last block: block numbers differ by more than one.\nProbable tape misconfiguration and data loss. Read block=${got} Want block=${want}.` }
      : { level: 'error', text: `Re-read of last block OK, but block numbers differ. Read block=${got} Want block=${want}.` };
  }

  private async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0) return;
    this.opts.onClosed();
    // The data ends with a filemark (two with Two EOF); an append that wrote nothing adds none.
    await this.drive.run(async (raw) => {
      if (this.wrote && !this.broken) await raw.weof(this.drive.settings.twoEof ? 2 : 1);
      this.drive.owner = null;
    });
  }
}
