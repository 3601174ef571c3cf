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
import { setTimeout } from 'node:timers/promises';
import { cutTapeAt } from './tape-next-write.js';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import { encodeBlock } from '../../volume/block.js';
import { makeVolumeLabel, volumeLabelBlock, type VolumeLabelInfo } from '../../volume/labels.js';
import {
  afterClose, FilesMismatch, smallerLimit, type AppendOptions, type AppendVolume, type Drive, type DriveActivity,
  type DriveCapabilities, type LabelledVolume, type LabelOptions, type MountedVolume, type ReadVolume, type SlotLabel,
  type BlockAddress, type NextWritePoint,
} from '../drive.js';
import { volumeLabelOf } from '../file-volumes.js';
import { SerialQueue } from '../serial-queue.js';
import { checkVolumeName } from '../volume-name.js';
import { isTapeError, type RawTape, type RawTapeOpener } from './raw-tape.js';
import { TapeHead } from './tape-head.js';
import { TapeAppendState } from './tape-append.js';
import { TapeReadVolume } from './tape-read.js';
import { blockOfRecord, MAX_RECORD, MAX_RECORDS_SEARCHED, tapeFailure, type TapeDriveAccess } from './tape-records.js';
import { DEFAULT_TAPE_SETTINGS, type TapeSettings } from './tape-settings.js';

export { DEFAULT_TAPE_SETTINGS, type TapeSettings } from './tape-settings.js';

export interface TapeDriveOptions {
  name: string;
  /** Bareos's word for the device type: VTape, Tape. */
  typeName: string;
  /** The device's path, for messages. */
  device: string;
  /** Opens the drive with whatever cartridge is in it now. */
  open: RawTapeOpener;
  settings?: Partial<TapeSettings>;
  /** Waits between tries of a drive another program has open (tests pass their own). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Bareos tries a busy drive again every 5 s (dev.cc's open loop), up to Maximum Open Wait. */
const OPEN_RETRY_MS = 5000;

const CAPABILITIES: DriveCapabilities = { mountsByName: false, sharedReads: false };

type FirstRecord = { kind: 'blank' } | { kind: 'label'; label: burrow.VolumeLabel } | { kind: 'foreign'; problem: string };

export class TapeDrive implements Drive, TapeDriveAccess {
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
      const raw = await this.reopen(signal);
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

  /** Reads the label of the cartridge in the drive, whatever its name, and mounts it; a blank or foreign one is said so. */
  async readLabel(): Promise<SlotLabel> {
    if (this.busy()) throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; it cannot read another label now`);
    return this.queue.run(async () => {
      this.current = null;
      const first = await this.firstRecord(await this.reopen());
      if (first.kind === 'blank') return { volumeName: null, why: 'the cartridge is blank' };
      if (first.kind === 'foreign') return { volumeName: null, why: `the cartridge is not a Burrow volume (${first.problem})` };
      this.current = { volumeName: first.label.volumeName, label: first.label };
      return { volumeName: first.label.volumeName };
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
      return { ...this.current, volBytes: block.length, volFiles: 1 };
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

  private async reopen(signal?: AbortSignal): Promise<RawTape> {
    await this.closeRaw(false);
    const raw = await this.openWaiting(signal);
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

  /**
   * Opens the drive; one another program has open (EBUSY: another Storage daemon,
   * burrow-btape, mt) is tried again every 5 s up to Maximum Open Wait, as Bareos does,
   * then refused with who holds it.
   */
  private async openWaiting(signal?: AbortSignal): Promise<RawTape> {
    const sleep = this.opts.sleep ?? ((ms: number, s?: AbortSignal) => setTimeout(ms, undefined, { signal: s }));
    let waitLeft = this.settings.maximumOpenWait * 1000;
    for (;;) {
      try {
        return await this.opts.open();
      } catch (err) {
        if (!isTapeError(err, 'EBUSY') || waitLeft <= 0) {
          const waited = isTapeError(err, 'EBUSY') && this.settings.maximumOpenWait > 0 ? ` (tried for Maximum Open Wait = ${this.settings.maximumOpenWait} s)` : '';
          throw tapeFailure(this.printName, `cannot open the drive${waited}`, err);
        }
      }
      const ms = Math.min(OPEN_RETRY_MS, waitLeft);
      waitLeft -= ms;
      await sleep(ms, signal);
    }
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
      // Bareos's is_eod_valid: fewer tape files than the catalog counts is data lost (more only corrects the catalog).
      const catalogFiles = options.catalogFiles ?? 0;
      if (end.file < catalogFiles) throw new FilesMismatch(mounted.volumeName, end.file, catalogFiles, this.printName);
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

  async setNextWrite(volumeName: string, address: BlockAddress): Promise<NextWritePoint> {
    await this.mount(volumeName);
    if (this.busy()) throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${volumeName}"; its next write position cannot be set now`);
    return this.run((raw, head) => cutTapeAt({
      raw, head, volumeName, printName: this.printName, recordBuffer: () => this.recordBuffer(), countBytes: (r) => this.countBytes(r),
    }, address));
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

export { blockOfRecord } from './tape-records.js';
