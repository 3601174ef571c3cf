/**
 * The File device: volumes are files `<ArchiveDevice>/<VolumeName>` in one directory.
 * Opening a volume for append finds the end of its last complete block, cutting off a
 * block a dead writer left half-written; a file that does not start with a Burrow
 * volume label is refused and never touched.
 */
import { constants as fsc } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import { encodeBlock, isLabelBlock } from '../volume/block.js';
import { checkVolumeLabel, decodeLabelPayload, makeVolumeLabel, volumeLabelBlock, type VolumeLabelInfo } from '../volume/labels.js';
import type { AppendOptions, AppendVolume, Device, LabelOptions, ReadVolume } from './device.js';
import { blockEndingAt, findNextBlock, readBlockAt } from './file-blocks.js';
import { FileAppendState, FileReadVolume, type AppendPosition } from './file-volumes.js';
import { checkVolumeName } from './volume-name.js';

export interface FileDeviceOptions {
  /** The Device resource's name. */
  name: string;
  /** The Archive Device directory. */
  archiveDevice: string;
  /** Label Media: whether the SD may label a new volume here by itself (default no, as in Bareos). */
  labelMedia?: boolean;
  /** The Device resource's Media Type; a Director asking for another one is refused. */
  mediaType?: string;
  /** The device's Maximum Volume Size in bytes (0 or absent: none); the smaller of it and the pool's limit applies. */
  maximumVolumeSize?: number;
}

export class FileDevice implements Device {
  readonly name: string;
  readonly labelMedia: boolean;
  readonly mediaType: string;
  private readonly maximumVolumeSize: number;
  private readonly dir: string;
  /** Volumes open for append on this device, shared by the sessions writing them. */
  private readonly appending = new Map<string, Promise<FileAppendState>>();

  constructor(options: FileDeviceOptions) {
    this.name = options.name;
    this.labelMedia = options.labelMedia ?? false;
    this.maximumVolumeSize = options.maximumVolumeSize ?? 0;
    this.mediaType = options.mediaType ?? '';
    this.dir = options.archiveDevice;
  }

  /** The volume's file; the name is checked first so it cannot leave the directory. */
  volumePath(volumeName: string): string {
    checkVolumeName(volumeName);
    return join(this.dir, volumeName);
  }

  async exists(volumeName: string): Promise<boolean> {
    try {
      return (await stat(this.volumePath(volumeName))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw deviceError(this.name, `cannot look at volume ${volumeName}`, err);
    }
  }

  async label(volumeName: string, info: VolumeLabelInfo, options: LabelOptions = {}): Promise<burrow.VolumeLabel> {
    const path = this.volumePath(volumeName);
    options.signal?.throwIfAborted();
    if (this.appending.has(volumeName)) {
      throw new BurrowError('DEVICE', `volume ${volumeName} is in use on device ${this.name}`);
    }
    if (!options.overwrite && (await this.exists(volumeName)) && (await stat(path)).size > 0) {
      const burrowVolume = await this.readLabel(volumeName).then(() => true, () => false);
      throw new BurrowError('VOLUME_FORMAT', burrowVolume
        ? `volume ${volumeName} is already labelled; relabel it explicitly to overwrite`
        : `${path} exists and is not a Burrow volume; refusing to overwrite it`);
    }
    const label = makeVolumeLabel(volumeName, info);
    const flags = options.overwrite ? 'w' : fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC | fsc.O_NOFOLLOW;
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, flags, 0o640);
      await fh.write(encodeBlock(volumeLabelBlock(label)), 0, undefined, 0);
      await fh.sync();
    } catch (err) {
      throw deviceError(this.name, `cannot label volume ${volumeName}`, err);
    } finally {
      await fh?.close();
    }
    await syncDir(this.dir);
    return this.readLabel(volumeName, options.signal);
  }

  async readLabel(volumeName: string, signal?: AbortSignal): Promise<burrow.VolumeLabel> {
    const vol = await this.openForRead(volumeName, signal);
    await vol.close();
    return vol.label;
  }

  async openForRead(volumeName: string, signal?: AbortSignal): Promise<ReadVolume> {
    const fh = await this.openFile(volumeName, 'r');
    try {
      signal?.throwIfAborted();
      const { label } = await readVolumeLabel(fh, this.volumePath(volumeName), volumeName);
      return new FileReadVolume(volumeName, label, fh);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async openForAppend(volumeName: string, options: AppendOptions = {}): Promise<AppendVolume> {
    checkVolumeName(volumeName);
    let pending = this.appending.get(volumeName);
    if (pending === undefined) {
      pending = this.openAppendState(volumeName, options);
      this.appending.set(volumeName, pending);
      pending.catch(() => this.appending.delete(volumeName));
    }
    return (await pending).handle();
  }

  private async openAppendState(volumeName: string, options: AppendOptions): Promise<FileAppendState> {
    const fh = await this.openFile(volumeName, 'r+');
    try {
      const { label, labelEnd } = await readVolumeLabel(fh, this.volumePath(volumeName), volumeName);
      const position = await findAppendPosition(fh, labelEnd, options);
      return new FileAppendState({
        volumeName, label, fh, position,
        maxVolumeBytes: smallerLimit(options.maxVolumeBytes ?? 0, this.maximumVolumeSize),
        onClosed: () => this.appending.delete(volumeName),
      });
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  private async openFile(volumeName: string, flags: 'r' | 'r+'): Promise<FileHandle> {
    const path = this.volumePath(volumeName);
    try {
      return await open(path, flags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new BurrowError('NOT_FOUND', `volume ${volumeName} not found on device ${this.name} (${path})`, { cause: err });
      }
      throw deviceError(this.name, `cannot open volume ${volumeName}`, err);
    }
  }
}

function deviceError(device: string, what: string, err: unknown): BurrowError {
  if (err instanceof BurrowError) return err;
  return new BurrowError('DEVICE', `device ${device}: ${what}: ${(err as Error).message}`, { cause: err });
}

/** Block 0 must verify and hold a Burrow volume label; anything else is not ours. */
async function readVolumeLabel(fh: FileHandle, path: string, volumeName: string): Promise<{ label: burrow.VolumeLabel; labelEnd: number }> {
  const first = await readBlockAt(fh, 0);
  const notOurs = new BurrowError('VOLUME_FORMAT', `${path} is not a Burrow volume`);
  if (first.kind !== 'block' || !isLabelBlock(first.header) || first.header.sessionId !== 0) throw notOurs;
  let decoded;
  try {
    decoded = decodeLabelPayload(first.payload);
  } catch (err) {
    throw new BurrowError('VOLUME_FORMAT', `${path} is not a Burrow volume`, { cause: err });
  }
  if (decoded.kind !== 'volume') throw notOurs;
  checkVolumeLabel(decoded.label, path);
  if (decoded.label.volumeName !== volumeName) {
    throw new BurrowError('VOLUME_FORMAT', `${path} is labelled ${JSON.stringify(decoded.label.volumeName)}, not ${JSON.stringify(volumeName)}`);
  }
  return { label: decoded.label, labelEnd: first.nextAddr };
}

/**
 * Scans forward from a verified starting point to the end of the last block that
 * verifies. Damage followed by good blocks is skipped (that data stays readable);
 * damage with nothing good after it is a dead writer's tail and is cut off.
 */
async function findAppendPosition(fh: FileHandle, labelEnd: number, options: AppendOptions): Promise<AppendPosition> {
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

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The tighter of two byte limits, 0 meaning none. */
function smallerLimit(a: number, b: number): number {
  if (a > 0 && b > 0) return Math.min(a, b);
  return a > 0 ? a : b;
}
