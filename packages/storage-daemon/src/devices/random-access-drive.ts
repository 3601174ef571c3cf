/**
 * A drive over a random-access volume store: the file drive (volumes as files of its
 * Archive Device directory) and the memory drive (for unit tests). Any volume of the
 * store can be mounted at once, by name. Mounting reads and checks the label and holds
 * nothing open; handles open the volume when asked and the drive counts them, so a busy
 * drive keeps its volume. A volume whose block 0 is not a Burrow volume label is
 * refused and never written to.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import { encodeBlock } from '../volume/block.js';
import { makeVolumeLabel, volumeLabelBlock, type VolumeLabelInfo } from '../volume/labels.js';
import { afterClose, freeSpaceWords, NoRoomForLabel, smallerLimit } from './drive.js';
import type {
  AppendOptions, AppendVolume, Drive, DriveActivity, DriveCapabilities, LabelledVolume, LabelOptions, MountedVolume, ReadVolume,
} from './drive.js';
import { FileAppendState, FileReadVolume, findAppendPosition, readVolumeLabel } from './file-volumes.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import { archiveOf, type Archive, type ByteHandle } from './volume-store.js';
import { checkVolumeName } from './volume-name.js';

export interface RandomAccessDriveOptions {
  /** The drive's name (Drive.name). */
  name: string;
  /** The store and the claims this drive shares with the other drives of its Device. */
  archive: Archive;
  /** Bareos's word for the device type, in messages: "File". */
  typeName: string;
  /** The device's Maximum Volume Size in bytes (0 or absent: none); the smaller of it and the pool's limit applies. */
  maximumVolumeSize?: number;
}

const CAPABILITIES: DriveCapabilities = { mountsByName: true, sharedReads: true };

export class RandomAccessDrive implements Drive {
  readonly name: string;
  readonly printName: string;
  readonly typeName: string;
  readonly capabilities = CAPABILITIES;
  private readonly archive: Archive;
  private readonly maximumVolumeSize: number;
  private current: MountedVolume | null = null;
  /** The mounted volume's append state, shared by the append handles, while any is open. */
  private appendState: Promise<FileAppendState> | undefined;
  private readonly active: DriveActivity = { appending: 0, reading: 0 };

  constructor(options: RandomAccessDriveOptions) {
    this.name = options.name;
    this.archive = options.archive;
    this.typeName = options.typeName;
    this.printName = `"${options.name}" (${options.archive.store.location})`;
    this.maximumVolumeSize = options.maximumVolumeSize ?? 0;
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

  async mount(volumeName: string, signal?: AbortSignal): Promise<MountedVolume> {
    checkVolumeName(volumeName);
    if (this.current?.volumeName === volumeName && this.busy()) return this.current;
    if (this.busy()) {
      throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; Volume "${volumeName}" cannot be mounted now`);
    }
    signal?.throwIfAborted();
    // Read again even when it is the volume mounted: another drive may have labelled it anew.
    const label = await this.readLabel(volumeName);
    if (this.busy()) {
      // A concurrent mount of the same volume won the race and is using it: that is this mount done.
      if (this.current?.volumeName === volumeName) return this.current;
      throw new BurrowError('DEVICE', `Device ${this.printName} became busy with Volume "${this.current?.volumeName}" while Volume "${volumeName}" was mounted`);
    }
    this.current = { volumeName, label };
    return this.current;
  }

  async label(volumeName: string, info: VolumeLabelInfo, options: LabelOptions = {}): Promise<LabelledVolume> {
    checkVolumeName(volumeName);
    const from = options.renameFrom;
    if (from !== undefined) checkVolumeName(from);
    options.signal?.throwIfAborted();
    const { claims, store } = this.archive;
    const names = from === undefined || from === volumeName ? [volumeName] : [from, volumeName];
    for (const name of names) {
      if (claims.inUse(name)) throw new BurrowError('DEVICE', `Volume "${name}" is in use; it cannot be labelled now`);
    }
    // Held while labelling, so no other drive appends to, reads or labels it meanwhile.
    for (const name of names) claims.claimAppend(name, this.name);
    try {
      if (from !== undefined && from !== volumeName) {
        await this.renameForRelabel(from, volumeName);
      } else {
        await this.checkMayLabel(volumeName, options.relabel === true || from !== undefined);
      }
      const block = encodeBlock(volumeLabelBlock(makeVolumeLabel(volumeName, info)));
      // Nothing of value under the name before (no file, or an empty one): a label that fails leaves nothing there either.
      const fresh = from === undefined && ((await store.size(volumeName)) ?? 0) === 0;
      const fh = await store.create(volumeName);
      let failed: { err: unknown } | undefined;
      try {
        await writeAll(fh, block, 0);
        await fh.sync();
      } catch (err) {
        failed = { err };
      } finally {
        await fh.close();
      }
      if (failed) throw await this.labelFailed(volumeName, fresh, failed.err);
      await store.syncEntries();
      const mounted = { volumeName, label: await this.readLabel(volumeName) };
      // A busy drive keeps its volume: the new one waits in the archive to be mounted.
      if (!this.busy()) this.current = mounted;
      return { ...mounted, volBytes: block.length, volFiles: 0 };
    } finally {
      for (const name of names) claims.releaseAppend(name, this.name);
    }
  }

  /**
   * The first half of a relabel: the old volume, which must be ours, takes the new
   * name (the label written next makes it that volume). Should the daemon die between
   * the two, the file of the new name still holds the old label: mounting it is
   * refused ("labelled with another name"), and the relabel can be run again.
   */
  private async renameForRelabel(from: string, to: string): Promise<void> {
    const { store } = this.archive;
    if ((await store.size(from)) === null) throw new BurrowError('NOT_FOUND', `volume ${from} not found: there is no ${this.where(from)}`);
    await this.readLabel(from);
    if ((await store.size(to)) !== null) throw new BurrowError('VOLUME_FORMAT', `${this.where(to)} exists already; Volume "${from}" cannot be relabelled with that name`);
    await store.rename(from, to);
    await store.syncEntries();
    if (this.current?.volumeName === from) this.current = null;
  }

  /**
   * A label write that failed. A full disk (ENOSPC) with a new volume: its file goes
   * again (NoRoomForLabel), so no empty volume is left behind and the label can be
   * tried again once there is space. A volume that held data before (a relabel or a
   * recycle) stays, emptied, as the label had already truncated it; the error says so.
   */
  private async labelFailed(volumeName: string, fresh: boolean, err: unknown): Promise<BurrowError> {
    const { store } = this.archive;
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') return driveError(this.printName, `cannot label Volume "${volumeName}"`, err);
    if (!fresh) {
      const free = freeSpaceWords(await store.freeBytes());
      return new BurrowError('DEVICE', `Device ${this.printName}: cannot label Volume "${volumeName}": no space left on the disk (${free}); the volume is left empty`, { cause: err });
    }
    await store.remove(volumeName);
    await store.syncEntries();
    return new NoRoomForLabel(volumeName, this.printName, await store.freeBytes(), { cause: err });
  }

  /** An existing volume is replaced only when asked to, and only if it is Burrow's. */
  private async checkMayLabel(volumeName: string, relabel: boolean): Promise<void> {
    const size = await this.archive.store.size(volumeName);
    if (size === null || size === 0) return;
    const ours = await this.readLabel(volumeName).then(() => true, () => false);
    const where = this.where(volumeName);
    if (!ours) throw new BurrowError('VOLUME_FORMAT', `${where} exists and is not a Burrow volume; refusing to overwrite it`);
    if (!relabel) throw new BurrowError('VOLUME_FORMAT', `${where} is already labelled; relabel it explicitly to overwrite`);
  }

  async openAppend(options: AppendOptions = {}): Promise<AppendVolume> {
    const { volumeName } = this.requireMounted();
    this.active.appending += 1;
    try {
      const state = await this.sharedAppendState(volumeName, options);
      return afterClose(state.handle(), () => { this.active.appending -= 1; });
    } catch (err) {
      this.active.appending -= 1;
      throw err;
    }
  }

  private sharedAppendState(volumeName: string, options: AppendOptions): Promise<FileAppendState> {
    if (this.appendState) return this.appendState;
    const { claims } = this.archive;
    const other = claims.appender(volumeName);
    if (other !== undefined && other !== this.name) {
      return Promise.reject(new BurrowError('DEVICE', `Volume "${volumeName}" is being written on Device "${other}"`));
    }
    claims.claimAppend(volumeName, this.name);
    const done = (): void => {
      if (this.appendState === pending) this.appendState = undefined;
      claims.releaseAppend(volumeName, this.name);
    };
    const pending = this.openAppendState(volumeName, options, done);
    this.appendState = pending;
    pending.catch(done);
    return pending;
  }

  private async openAppendState(volumeName: string, options: AppendOptions, onClosed: () => void): Promise<FileAppendState> {
    const fh = await this.archive.store.open(volumeName, 'write');
    try {
      const { label, labelEnd } = await readVolumeLabel(fh, this.where(volumeName), volumeName);
      const position = await findAppendPosition(fh, labelEnd, options);
      return new FileAppendState({
        volumeName, label, fh, position, onClosed,
        maxVolumeBytes: smallerLimit(options.maxVolumeBytes ?? 0, this.maximumVolumeSize),
      });
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async openRead(signal?: AbortSignal): Promise<ReadVolume> {
    const { volumeName } = this.requireMounted();
    signal?.throwIfAborted();
    const { claims, store } = this.archive;
    this.active.reading += 1;
    claims.addReader(volumeName);
    const closed = (): void => {
      this.active.reading -= 1;
      claims.removeReader(volumeName);
    };
    let fh: ByteHandle | undefined;
    try {
      fh = await store.open(volumeName, 'read');
      const { label } = await readVolumeLabel(fh, this.where(volumeName), volumeName);
      return new FileReadVolume(volumeName, label, fh, closed);
    } catch (err) {
      await fh?.close();
      closed();
      throw err;
    }
  }

  async unmount(): Promise<void> {
    if (this.busy()) {
      throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.current?.volumeName}"; it cannot be unmounted now`);
    }
    this.current = null;
  }

  private requireMounted(): MountedVolume {
    if (!this.current) throw new BurrowError('DEVICE', `no Volume is mounted on Device ${this.printName}`);
    return this.current;
  }

  private where(volumeName: string): string {
    return this.archive.store.where(volumeName);
  }

  private async readLabel(volumeName: string): Promise<burrow.VolumeLabel> {
    const fh = await this.archive.store.open(volumeName, 'read');
    try {
      return (await readVolumeLabel(fh, this.where(volumeName), volumeName)).label;
    } finally {
      await fh.close();
    }
  }
}

/** Drives over an Archive Device directory: the File device type. */
export function fileDrive(o: { name: string; archive: Archive; maximumVolumeSize?: number }): RandomAccessDrive {
  return new RandomAccessDrive({ ...o, typeName: 'File' });
}

/** A File archive (the store and its claims) for a directory; the drives of one Device share it. */
export function fileArchive(directory: string): Archive {
  return archiveOf(new FileStore(directory));
}

/** Drives over volumes kept in memory, for unit tests. */
export function memoryDrive(o: { name: string; archive: Archive; maximumVolumeSize?: number }): RandomAccessDrive {
  return new RandomAccessDrive({ ...o, typeName: 'Memory' });
}

export function memoryArchive(store = new MemoryStore()): Archive & { store: MemoryStore } {
  return { ...archiveOf(store), store };
}

function driveError(printName: string, what: string, err: unknown): BurrowError {
  if (err instanceof BurrowError) return err;
  return new BurrowError('DEVICE', `Device ${printName}: ${what}: ${(err as Error).message}`, { cause: err });
}

async function writeAll(fh: ByteHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}
