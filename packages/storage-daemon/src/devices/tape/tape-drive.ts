/**
 * The tape drive: the Drive of drive.ts over a raw tape (raw-tape.ts), for the virtual
 * tape and the Linux tape alike. A tape drive mounts only the cartridge put in it (by
 * an operator, later a changer), and a cartridge sits in one drive, so it neither
 * mounts by name nor shares reads.
 *
 * On tape a Burrow volume is: the volume label block as the first record, a filemark,
 * then each append (a job, or jobs sharing the volume) in tape files of its own, every
 * block one record, a filemark after the last. `Maximum File Size` ends a tape file
 * with a filemark every N bytes, so a file's catalog address (tape file, block) is
 * reached with fsf and fsr without reading what comes before it. Addresses are
 * `file × 2^32 + block` (docs/volume-format.md).
 *
 * One serial queue orders every raw operation: appends and reads each position the
 * tape themselves (a reader never finds the head where the writer left it).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import {
  BLOCK_FLAG_LABEL, BLOCK_HEADER_SIZE, encodeBlock, MAX_BLOCK_PAYLOAD, parseBlockHeader, sealBlock, verifyBlock,
} from '../../volume/block.js';
import { makeVolumeLabel, volumeLabelBlock, type VolumeLabelInfo } from '../../volume/labels.js';
import {
  afterClose, smallerLimit, type AppendOptions, type AppendVolume, type BlockRead, type BlockToWrite, type Drive, type DriveActivity,
  type DriveCapabilities, type LabelledVolume, type LabelOptions, type MountedVolume, type ReadVolume, type WriteBlockOptions,
  type WrittenBlock,
} from '../drive.js';
import { volumeLabelOf } from '../file-volumes.js';
import { SerialQueue } from '../serial-queue.js';
import { checkVolumeName } from '../volume-name.js';
import { isTapeError, type RawTape, type RawTapeOpener } from './raw-tape.js';
import { splitAddress, tapeAddress, TapeHead } from './tape-head.js';

/** Bareos's tape directives, as the tape drive applies them (see tape-head.ts for positioning). */
export interface TapeSettings {
  /** Minimum Block Size: shorter blocks are padded; equal to the maximum, fixed-block mode. */
  minimumBlockSize: number;
  /** Maximum Block Size: 0 for none. */
  maximumBlockSize: number;
  /** Maximum File Size: a filemark every this many bytes; 0 for none. */
  maximumFileSize: number;
  /** Maximum Volume Size of the device; 0 for none. */
  maximumVolumeSize: number;
  hardwareEndOfMedium: boolean;
  fastForwardSpaceFile: boolean;
  bsfAtEom: boolean;
  /** Two EOF: two filemarks end the data, one after every other append. */
  twoEof: boolean;
  /** Offline On Unmount: an unmount ejects the cartridge. */
  offlineOnUnmount: boolean;
}

export const DEFAULT_TAPE_SETTINGS: TapeSettings = {
  // Maximum File Size: Bareos's default, 1 GB (a filemark per GB lets a restore skip to within one).
  minimumBlockSize: 0, maximumBlockSize: 0, maximumFileSize: 1_000_000_000, maximumVolumeSize: 0,
  hardwareEndOfMedium: true, fastForwardSpaceFile: true, bsfAtEom: false, twoEof: false, offlineOnUnmount: false,
};

export interface TapeDriveOptions {
  name: string;
  /** Bareos's word for the device type: VTape, Tape. */
  typeName: string;
  /** The device's path, for messages. */
  device: string;
  /** Opens the drive with whatever cartridge is in it now. */
  open: RawTapeOpener;
  settings?: Partial<TapeSettings>;
}

const CAPABILITIES: DriveCapabilities = { mountsByName: false, sharedReads: false };
/** The largest record a Burrow volume holds: a block of the largest payload. */
const MAX_RECORD = BLOCK_HEADER_SIZE + MAX_BLOCK_PAYLOAD;
/** Records read back when looking for the last good block or the next one after damage. */
const MAX_RECORDS_SEARCHED = 10_000;

type FirstRecord = { kind: 'blank' } | { kind: 'label'; label: burrow.VolumeLabel } | { kind: 'foreign'; problem: string };

export class TapeDrive implements Drive {
  readonly name: string;
  readonly printName: string;
  readonly typeName: string;
  readonly capabilities = CAPABILITIES;
  readonly settings: TapeSettings;
  readonly maximumBlockSize: number | undefined;
  private readonly queue = new SerialQueue();
  private raw: RawTape | null = null;
  private head: TapeHead | null = null;
  private current: MountedVolume | null = null;
  private appendState: Promise<TapeAppendState> | undefined;
  private readonly active: DriveActivity = { appending: 0, reading: 0 };
  private buffer: Buffer | undefined;
  /** Who moved the head last: an append state finds its end again after a reader. */
  owner: object | null = null;

  constructor(private readonly opts: TapeDriveOptions) {
    this.name = opts.name;
    this.typeName = opts.typeName;
    this.printName = `"${opts.name}" (${opts.device})`;
    this.settings = { ...DEFAULT_TAPE_SETTINGS, ...opts.settings };
    const { minimumBlockSize: min, maximumBlockSize: max } = this.settings;
    if (max > 0 && min > max) throw new BurrowError('CONFIG_INVALID', `Device ${this.printName}: Minimum Block Size ${min} is above Maximum Block Size ${max}`);
    this.maximumBlockSize = max > 0 ? max : undefined;
  }

  /** Fixed-block mode: Minimum Block Size = Maximum Block Size (Bareos). */
  private get fixedBlockSize(): number {
    const { minimumBlockSize: min, maximumBlockSize: max } = this.settings;
    return min > 0 && min === max ? min : 0;
  }

  mounted(): MountedVolume | null {
    return this.current;
  }

  activity(): DriveActivity {
    return { ...this.active };
  }

  private busy(): boolean {
    return this.active.appending > 0 || this.active.reading > 0;
  }

  /** The raw tape and its head, for the append and read states; only inside the queue. */
  run<T>(task: (raw: RawTape, head: TapeHead) => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (!this.raw || !this.head) throw new BurrowError('DEVICE', `Device ${this.printName} is not open`);
      return task(this.raw, this.head);
    });
  }

  /** A buffer for one record of any size Burrow writes (a fixed block when in fixed mode). */
  recordBuffer(): Buffer {
    const size = this.fixedBlockSize || MAX_RECORD;
    if (this.buffer?.length !== size) this.buffer = Buffer.allocUnsafe(size);
    return this.buffer;
  }

  async mount(volumeName: string, signal?: AbortSignal): Promise<MountedVolume> {
    checkVolumeName(volumeName);
    if (this.current?.volumeName === volumeName && this.busy()) return this.current;
    if (this.busy()) {
      throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; Volume "${volumeName}" cannot be mounted now`);
    }
    signal?.throwIfAborted();
    return this.queue.run(async () => {
      if (this.busy() && this.current?.volumeName === volumeName) return this.current;
      this.current = null;
      // Opened afresh: the cartridge may have been changed since.
      const raw = await this.reopen();
      const first = await this.firstRecord(raw);
      if (first.kind === 'blank') throw new BurrowError('NOT_FOUND', `Volume "${volumeName}" is not in Device ${this.printName}: the cartridge in it is blank`);
      if (first.kind === 'foreign') throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is not a Burrow volume (${first.problem})`);
      if (first.label.volumeName !== volumeName) {
        throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is labelled ${JSON.stringify(first.label.volumeName)}, not ${JSON.stringify(volumeName)}`);
      }
      this.current = { volumeName, label: first.label };
      return this.current;
    });
  }

  async label(volumeName: string, info: VolumeLabelInfo, options: LabelOptions = {}): Promise<LabelledVolume> {
    checkVolumeName(volumeName);
    options.signal?.throwIfAborted();
    if (this.busy()) throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; it cannot label now`);
    return this.queue.run(async () => {
      this.current = null;
      const raw = await this.reopen();
      const first = await this.firstRecord(raw);
      if (first.kind === 'foreign') {
        throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is not a Burrow volume (${first.problem}); refusing to overwrite it`);
      }
      const { renameFrom } = options;
      if (renameFrom !== undefined) {
        // relabel oldvolume=: the cartridge in the drive must be that volume.
        checkVolumeName(renameFrom);
        if (first.kind === 'blank') throw new BurrowError('NOT_FOUND', `Volume "${renameFrom}" is not in Device ${this.printName}: the cartridge in it is blank`);
        if (first.label.volumeName !== renameFrom) {
          throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is labelled ${JSON.stringify(first.label.volumeName)}, not ${JSON.stringify(renameFrom)}`);
        }
      } else if (first.kind === 'label') {
        const name = first.label.volumeName;
        if (!options.relabel) throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is already labelled ${JSON.stringify(name)}; relabel it explicitly to overwrite`);
        if (name !== volumeName) throw new BurrowError('VOLUME_FORMAT', `the cartridge in Device ${this.printName} is labelled ${JSON.stringify(name)}, not ${JSON.stringify(volumeName)}`);
      }
      const block = this.record(encodeBlock(volumeLabelBlock(makeVolumeLabel(volumeName, info))));
      try {
        await raw.rewind();
        await raw.write(block);
        await raw.weof(1);
        this.owner = null;
      } catch (err) {
        throw tapeFailure(this.printName, `cannot label Volume "${volumeName}"`, err);
      }
      const written = await this.firstRecord(raw);
      if (written.kind !== 'label') throw new BurrowError('DEVICE', `Device ${this.printName}: the label just written on Volume "${volumeName}" does not read back`);
      this.current = { volumeName, label: written.label };
      return { ...this.current, volBytes: block.length };
    });
  }

  /** A block as the record written for it: padded to the minimum (or fixed) block size. */
  record(block: Buffer): Buffer {
    const { minimumBlockSize: min, maximumBlockSize: max } = this.settings;
    if (max > 0 && block.length > max) {
      throw new BurrowError('DEVICE', `Device ${this.printName}: a block of ${block.length} bytes is larger than its Maximum Block Size ${max}`);
    }
    if (block.length >= min) return block;
    const padded = Buffer.alloc(min);
    block.copy(padded);
    return padded;
  }

  private async reopen(): Promise<RawTape> {
    await this.closeRaw(false);
    let raw: RawTape;
    try {
      raw = await this.opts.open();
    } catch (err) {
      throw tapeFailure(this.printName, 'cannot open the drive', err);
    }
    try {
      const status = await raw.status();
      if (!status.online) throw new BurrowError('NOT_FOUND', `no cartridge in Device ${this.printName}`);
      await raw.setBlockSize(this.fixedBlockSize);
    } catch (err) {
      await raw.close().catch(() => undefined);
      throw tapeFailure(this.printName, 'cannot use the drive', err);
    }
    this.raw = raw;
    this.head = new TapeHead(raw, this.settings, () => this.recordBuffer());
    this.owner = null;
    return raw;
  }

  private async closeRaw(offline: boolean): Promise<void> {
    const raw = this.raw;
    this.raw = null;
    this.head = null;
    this.owner = null;
    if (!raw) return;
    if (offline) await raw.offline();
    else await raw.close();
  }

  /** Rewinds and reads the first record: nothing (a blank tape), our label, or something else. */
  private async firstRecord(raw: RawTape): Promise<FirstRecord> {
    this.owner = null;
    let n: number;
    try {
      await raw.rewind();
      n = await raw.read(this.recordBuffer());
    } catch (err) {
      if (isTapeError(err, 'EIO')) {
        // EIO on a blank tape (nothing at BOT), else a first record this drive cannot read as a block.
        const s = await raw.status();
        if (s.eod && s.file === 0 && s.block <= 0) return { kind: 'blank' };
        return { kind: 'foreign', problem: err.message };
      }
      if (isTapeError(err, 'ENOMEM')) return { kind: 'foreign', problem: 'its first record is larger than any Burrow block' };
      throw tapeFailure(this.printName, 'cannot read the label', err);
    }
    if (n === 0) {
      const s = await raw.status();
      return s.file === 0 ? { kind: 'blank' } : { kind: 'foreign', problem: 'it begins with a filemark' };
    }
    const block = blockOfRecord(this.recordBuffer().subarray(0, n), 0, 1);
    try {
      return { kind: 'label', label: volumeLabelOf(block, `the cartridge in Device ${this.printName}`, null) };
    } catch (err) {
      return { kind: 'foreign', problem: (err as Error).message.replace(/^.* is not a Burrow volume: ?/, '') || 'no Burrow volume label' };
    }
  }

  async openAppend(options: AppendOptions = {}): Promise<AppendVolume> {
    const mounted = this.requireMounted();
    this.active.appending += 1;
    try {
      this.appendState ??= this.newAppendState(mounted, options);
      const state = await this.appendState;
      return afterClose(state.handle(), () => { this.active.appending -= 1; });
    } catch (err) {
      this.active.appending -= 1;
      if (this.active.appending === 0) this.appendState = undefined;
      throw err;
    }
  }

  private newAppendState(mounted: MountedVolume, options: AppendOptions): Promise<TapeAppendState> {
    const pending = this.run(async (raw, head) => {
      // The catalog's VolBytes (the Director's end hint) saves reading the whole tape to count them.
      const volBytes = options.endHint !== undefined && options.endHint > 0 ? options.endHint : await this.countBytes(raw);
      const end = await this.findEnd(raw, head);
      return new TapeAppendState(this, {
        ...mounted, volBytes, ...end,
        maxVolumeBytes: smallerLimit(options.maxVolumeBytes ?? 0, this.settings.maximumVolumeSize),
        onClosed: () => {
          if (this.appendState === pending) this.appendState = undefined;
        },
      });
    });
    return pending;
  }

  /** The bytes of every record on the tape, read from BOT (only when the catalog gives no count). */
  private async countBytes(raw: RawTape): Promise<number> {
    await raw.rewind();
    this.owner = null;
    let bytes = 0;
    let zeros = 0;
    for (let records = 0; records < Number.MAX_SAFE_INTEGER && zeros < 2; records += 1) {
      const n = await raw.read(this.recordBuffer()).catch((err: unknown) => {
        if (isTapeError(err, 'EIO')) return -1;
        throw err;
      });
      if (n < 0) break;
      zeros = n === 0 ? zeros + 1 : 0;
      bytes += n;
    }
    return bytes;
  }

  /**
   * Positions at the start of a new tape file after the last block that verifies, as
   * Bareos's eod() with the check of the last block (RereadLastBlock): to the end of
   * data, back over the filemarks that end it and over the last record, which is read;
   * a block a writer left unfinished is cut off (written over by a filemark).
   */
  private async findEnd(raw: RawTape, head: TapeHead): Promise<{ file: number; nextBlockNumber: number }> {
    this.owner = null;
    await head.endOfData();
    let marks = 0;
    let cut = false;
    for (let tries = 0; tries < MAX_RECORDS_SEARCHED; tries += 1) {
      try {
        await raw.bsr(1);
      } catch (err) {
        if (!isTapeError(err, 'EIO')) throw tapeFailure(this.printName, 'cannot find the end of the data', err);
        if ((await raw.status()).bot) break;
        marks += 1;  // backspaced over a filemark
        continue;
      }
      const n = await raw.read(this.recordBuffer()).catch(() => 0);
      const last = n > 0 ? blockOfRecord(this.recordBuffer().subarray(0, n), 0, 1) : undefined;
      if (last?.kind === 'block') {
        // After the last good block: over the filemark after it, or one written now when a block was cut.
        if (cut || marks === 0) await raw.weof(1);
        else await head.fsf(1);
        const { file } = await head.where();
        return { file, nextBlockNumber: last.header.blockNumber + 1 };
      }
      await raw.bsr(1);
      cut = true;
      marks = 0;
    }
    throw new BurrowError('VOLUME_FORMAT', `Device ${this.printName}: no block of Volume "${this.current?.volumeName}" verifies near the end of its data`);
  }

  async openRead(signal?: AbortSignal): Promise<ReadVolume> {
    const mounted = this.requireMounted();
    signal?.throwIfAborted();
    this.active.reading += 1;
    return new TapeReadVolume(this, mounted, () => { this.active.reading -= 1; });
  }

  async unmount(): Promise<void> {
    if (this.busy()) {
      throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; it cannot be unmounted now`);
    }
    await this.queue.run(async () => {
      this.current = null;
      await this.closeRaw(this.settings.offlineOnUnmount).catch((err: unknown) => {
        throw tapeFailure(this.printName, 'cannot release the drive', err);
      });
    });
  }

  private requireMounted(): MountedVolume {
    if (!this.current) throw new BurrowError('DEVICE', `no Volume is mounted on Device ${this.printName}`);
    return this.current;
  }
}

interface TapeAppendOptions extends MountedVolume {
  volBytes: number;
  /** The tape file appending starts in (at its block 0). */
  file: number;
  nextBlockNumber: number;
  maxVolumeBytes: number;
  onClosed: () => void;
}

/** A tape volume open for appending; its handles share one end of data. */
class TapeAppendState {
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

  constructor(private readonly drive: TapeDrive, private readonly opts: TapeAppendOptions) {
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
      volBytes: () => this.volBytes,
      volBlocks: () => this.nextBlockNumber,
      isFull: () => this.full,
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
    return { addr, blockNumber: this.nextBlockNumber - 1, endAddr: this.end(), volBytes: this.volBytes };
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
          throw new BurrowError('VOLUME_FULL', `End of medium on Volume "${this.opts.volumeName}" Bytes=${this.volBytes} Blocks=${this.nextBlockNumber} at ${this.file}:${this.block}`, { cause: err });
        }
      }
    }
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

/** A tape volume open for reading: each read positions the tape unless it is already there. */
class TapeReadVolume implements ReadVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
  private closed = false;
  /** Where the head is after this volume's last read. */
  private next: number | null = null;

  constructor(private readonly drive: TapeDrive, mounted: MountedVolume, private readonly onClosed: () => void) {
    this.volumeName = mounted.volumeName;
    this.label = mounted.label;
  }

  firstAddress(): number {
    return 0;
  }

  readBlock(addr: number, signal?: AbortSignal): Promise<BlockRead> {
    signal?.throwIfAborted();
    return this.drive.run(async (raw, head) => {
      if (this.drive.owner !== this || this.next !== addr) {
        const { file, block } = splitAddress(addr);
        this.drive.owner = this;
        if (!(await head.goTo(file, block))) {
          this.next = null;
          return { kind: 'end', addr };
        }
      }
      return this.readHere(raw, addr);
    });
  }

  /** Reads the record at the head, which is at `addr`; a filemark leads on to the next file. */
  private async readHere(raw: RawTape, addr: number): Promise<BlockRead> {
    const buffer = this.drive.recordBuffer();
    let at = addr;
    for (let marks = 0; ; ) {
      let n: number;
      try {
        n = await raw.read(buffer);
      } catch (err) {
        this.next = null;
        if (isTapeError(err, 'EIO')) {
          // After a zero read, the end of the data; else a record this drive could not read
          // (passed): cut short when it was the last one, damaged otherwise.
          if (marks > 0) return { kind: 'end', addr: at };
          const s = await raw.status();
          return { kind: s.eod ? 'truncated' : 'corrupt', addr: at, problem: err.message };
        }
        throw tapeFailure(this.drive.printName, `cannot read Volume "${this.volumeName}"`, err);
      }
      if (n > 0) {
        const read = blockOfRecord(buffer.subarray(0, n), at, at + 1);
        this.next = at + 1;
        // The reader keeps what it wants of a block; the drive's buffer is read into again.
        return read.kind === 'block' ? { ...read, payload: Buffer.from(read.payload) } : read;
      }
      marks += 1;
      const { file } = splitAddress(at);
      at = tapeAddress(file + 1, 0);
      this.next = at;
      // Two zero reads in a row: the end of the data.
      if (marks > 1) return { kind: 'end', addr: at };
    }
  }

  findNextBlock(addr: number, signal?: AbortSignal): Promise<number | null> {
    return this.drive.run(async (raw, head) => {
      const { file, block } = splitAddress(addr);
      this.drive.owner = this;
      this.next = null;
      if (!(await head.goTo(file, block + 1))) {
        if (!(await head.goTo(file + 1, 0))) return null;
      }
      let at = (await head.where()).file === file ? addr + 1 : tapeAddress(file + 1, 0);
      for (let records = 0; records < MAX_RECORDS_SEARCHED; records += 1) {
        signal?.throwIfAborted();
        const read = await this.readHere(raw, at);
        if (read.kind === 'end') return null;
        if (read.kind === 'block') {
          this.next = null;  // the reader reads it again from its address
          return read.addr;
        }
        at = this.next ?? read.addr + 1;
      }
      return null;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.drive.owner === this) this.drive.owner = null;
    this.onClosed();
  }
}

/** A record read from tape as a block: it holds the block (and any padding after it). */
export function blockOfRecord(record: Buffer, addr: number, nextAddr: number): BlockRead {
  const parsed = parseBlockHeader(record);
  if (!parsed.ok) return { kind: 'corrupt', addr, problem: parsed.problem };
  const end = BLOCK_HEADER_SIZE + parsed.header.payloadLength;
  if (record.length < end) return { kind: 'truncated', addr, problem: `the record holds ${record.length - BLOCK_HEADER_SIZE} of ${parsed.header.payloadLength} payload bytes` };
  const payload = record.subarray(BLOCK_HEADER_SIZE, end);
  if (!verifyBlock(record, payload)) return { kind: 'corrupt', addr, problem: 'CRC mismatch' };
  return { kind: 'block', addr, nextAddr, header: parsed.header, payload };
}

function tapeFailure(printName: string, what: string, err: unknown): BurrowError {
  if (err instanceof BurrowError) return err;
  if (isTapeError(err, 'ENOMEDIUM')) return new BurrowError('NOT_FOUND', `no cartridge in Device ${printName}`, { cause: err });
  if (isTapeError(err, 'EACCES')) return new BurrowError('DEVICE', `Device ${printName}: ${what}: the cartridge is write-protected`, { cause: err });
  return new BurrowError('DEVICE', `Device ${printName}: ${what}: ${(err as Error).message}`, { cause: err });
}
