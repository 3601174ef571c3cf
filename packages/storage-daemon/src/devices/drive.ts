/**
 * The narrow drive interface the rest of the Storage daemon sees (STYLE.md habit 3), cut
 * as Bareos's dev.h cuts a device: a drive holds at most one mounted volume at a time;
 * it mounts a volume (reading its label), labels one, appends at the end of the mounted
 * volume's data, reads blocks of it by address (a position: file and block on a tape,
 * a byte offset on disk; docs/volume-format.md "Addresses"), and unmounts it.
 *
 * Terms: the *archive* is what a drive reaches without anyone's help (a file drive:
 * every volume file of its Archive Device directory; a tape drive: the cartridge put in
 * it). A *handle* is an open AppendVolume or ReadVolume; a drive with handles open is
 * busy and keeps its volume mounted. Who may use a drive, and when, is decided above
 * this interface (the reservations of reservations/); a drive only refuses what would
 * damage a volume.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/generated';
import type { BlockHeader } from '../volume/block.js';
import type { VolumeLabelInfo } from '../volume/labels.js';
import type { LentBlock } from './block-buffers.js';

/**
 * The disk under a volume has no room for the volume's first data block (ENOSPC): the
 * volume is not full, it took no data, and a next volume on the same disk would fare no
 * better. The block was not written (the volume still ends where it did); the session
 * may wait for space and write it again.
 */
export class DiskFull extends BurrowError {
  constructor(readonly volumeName: string, options?: { cause?: unknown }) {
    super('DEVICE', `volume ${volumeName}: no space left on the disk, not even for its first data block: free space on the disk, or give the Device another Archive Device`, options);
  }
}

/**
 * The disk under the volumes has no room for a new volume's label (ENOSPC while
 * labelling). The volume file is removed again, so no empty or half-labelled volume is
 * left for a later mount to refuse, and the catalog never hears of it; once there is
 * space the same label can be written. `freeBytes`: what the file system said was
 * free after the failure (null when it could not say).
 */
export class NoRoomForLabel extends BurrowError {
  constructor(readonly volumeName: string, readonly device: string, readonly freeBytes: number | null, options?: { cause?: unknown }) {
    super('DEVICE', `No space left on the disk of Device ${device} for new Volume "${volumeName}": its label does not fit (${freeSpaceWords(freeBytes)}).`, options);
  }
}

/** "12,288 bytes free", for messages about a full disk. */
export function freeSpaceWords(freeBytes: number | null): string {
  return freeBytes === null ? 'free space unknown' : `${freeBytes.toLocaleString('en-US')} bytes free`;
}

/** A block position on a volume (docs/volume-format.md, "Addresses"). */
export type BlockAddress = number;

/** A volume's data after its next write position was set (Drive.setNextWrite). */
export interface NextWritePoint {
  /** Bytes of every record left on the volume, its label included. */
  volBytes: number;
  /** The number of the last block left (the next append writes the one after); -1 none but the label. */
  lastBlockNumber: number;
  /** Tape files holding the data left. */
  files: number;
}

export interface AppendOptions {
  /**
   * Where the catalog believes the volume ends. It is verified (a block must really end
   * there) and saves scanning the whole volume; a wrong hint falls back to a full scan.
   */
  endHint?: BlockAddress;
  /** Maximum Volume Bytes for this volume; 0 or absent: no limit. */
  maxVolumeBytes?: number;
  /**
   * The catalog's VolFiles (volumeFiles below). A tape whose data ends in fewer files
   * has lost data the catalog counts: openAppend refuses it (FilesMismatch), as
   * Bareos's is_eod_valid does. Absent or 0: nothing to check.
   */
  catalogFiles?: number;
  signal?: AbortSignal;
}

/**
 * What writeBlock needs; the volume assigns the block number. `block` is
 * BLOCK_HEADER_SIZE bytes of room for the header (the volume fills it in, CRC
 * included), then the payload: see withHeaderRoom. The buffer is the caller's again
 * once writeBlock resolves, so a writer may reuse it for its next block.
 */
export interface BlockToWrite {
  flags: number;
  sessionId: number;
  sessionBlockNumber: number;
  block: Buffer;
}

export interface WriteBlockOptions {
  /**
   * A further byte limit from the writer (0: none). A data block that would take the
   * volume past this or the volume's own limit is refused with VOLUME_FULL, unless the
   * volume holds no data block yet (every volume takes at least one, so a tiny limit
   * still makes progress). Label blocks are never refused: a session must be able to
   * close, and a label is small.
   */
  limit?: number;
}

export interface WrittenBlock {
  addr: BlockAddress;
  blockNumber: number;
  /** The append address after this block. */
  endAddr: BlockAddress;
  /** Volume size in bytes after this block. */
  volBytes: number;
  /**
   * Tape only: the tape file the block is in. A block in a new one (a filemark written
   * at Maximum File Size) starts a new JobMedia row, as in Bareos.
   */
  tapeFile?: number;
}

/**
 * A volume's files, the catalog's VolFiles, in Bareos's meaning: on tape the filemarks
 * before the end of its data (the label's tape file included), which is the tape file
 * the next append starts in; on disk the file part of its end address (byte offset /
 * 2^32, 0 below 4 GiB). After `written`, its data ended there (on tape by the filemark
 * that closes the block's tape file).
 */
export function volumeFiles(written: Pick<WrittenBlock, 'tapeFile' | 'endAddr'>): number {
  return written.tapeFile !== undefined ? written.tapeFile + 1 : Math.floor(written.endAddr / 2 ** 32);
}

/**
 * A tape's data ends in fewer tape files than the catalog counts (Bareos's "number of
 * files mismatch"): data the catalog holds is gone, so nothing is appended; the
 * Director marks the volume in Error and the job takes another. `update volume=
 * nextwrite=` repairs it (docs/cartridges.md).
 */
export class FilesMismatch extends BurrowError {
  constructor(readonly volumeName: string, readonly onVolume: number, readonly inCatalog: number, printName: string) {
    super('VOLUME_FORMAT', `Device ${printName}: the number of files mismatch! Volume=${onVolume} Catalog=${inCatalog}: the data of Volume "${volumeName}" ends in tape file ${onVolume}, before data the catalog counts (update volume=${volumeName} nextwrite= repairs it)`);
  }
}

/** A line a device has for the job's log (Bareos's Jmsg in the SD), at its level: `fatal` fails the job. */
export interface DeviceNote {
  readonly level: 'info' | 'error' | 'fatal';
  readonly text: string;
}

/**
 * A volume open for appending. Several sessions may share one: writeBlock calls are
 * serialised, each block gets its own address, and blocks land in call order.
 */
export interface AppendVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
  /** Where the next block will go. */
  endAddress(): BlockAddress;
  /** VolFiles (volumeFiles) when appending began: on tape, what its end of data was found after. */
  readonly filesAtOpen: number;
  volBytes(): number;
  /** Blocks on the volume, the label block included. */
  volBlocks(): number;
  /** True once a block was refused for lack of room; every later data block is refused too. */
  isFull(): boolean;
  /**
   * What the device has to tell the job of how the volume ended, once full (a tape: its
   * end of medium and the re-read of its last block, Bareos's lines); none otherwise.
   */
  endNotes?(): readonly DeviceNote[];
  writeBlock(block: BlockToWrite, options?: WriteBlockOptions): Promise<WrittenBlock>;
  /** Makes every block written so far durable. */
  flush(): Promise<void>;
  /** Flushes and releases this handle; the volume closes when its last handle does. */
  close(): Promise<void>;
}

export type BlockRead =
  /** `repaired`: one flipped bit was found and undone (volume/block.ts checkBlock), said for the job log. */
  /**
   * `lent`: the payload lies in a buffer lent by the volume (devices/block-buffers.ts), held
   * once for whoever asked: let go of it (`letGo`) once done with the block, and `hold` it
   * for each view that outlives that (a record yet to be written); absent: a buffer of its own.
   */
  | { kind: 'block'; addr: BlockAddress; nextAddr: BlockAddress; header: BlockHeader; payload: Buffer; repaired?: string | undefined; lent?: LentBlock | undefined }
  /** The bytes at addr are not a valid block (bad magic, version, length or CRC). */
  | { kind: 'corrupt'; addr: BlockAddress; problem: string }
  /** The volume ends inside the block at addr: a writer died, the readable data ends here. */
  | { kind: 'truncated'; addr: BlockAddress; problem: string }
  | { kind: 'end'; addr: BlockAddress };

export interface ReadVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
  /** A tape's: addresses are tape file × 2^32 + block, and a tape file ends with a filemark. */
  readonly tape?: boolean;
  /** The address of block 0 (the volume label). */
  firstAddress(): BlockAddress;
  /** A block's payload is the caller's alone: no one else reads its memory (the reader overwrites record headers it has decoded). */
  readBlock(addr: BlockAddress, signal?: AbortSignal): Promise<BlockRead>;
  /**
   * The reader will ask for the block at `addr` next: a volume that can starts reading
   * it now, while the reader sends the current one on. Only a hint.
   */
  readAhead?(addr: BlockAddress): void;
  /** The first address after `addr` where a block verifies, or null when none is left. */
  findNextBlock(addr: BlockAddress, signal?: AbortSignal): Promise<BlockAddress | null>;
  close(): Promise<void>;
}

/** What a drive can do besides the common operations; the reservations plan with it. */
export interface DriveCapabilities {
  /**
   * Any volume of the archive can be mounted at once, by name, with no operator and no
   * changer (a file drive: a volume is a file). A drive without it (a tape drive) mounts
   * only the medium put in it, so a job that wants another one must ask for it.
   */
  readonly mountsByName: boolean;
  /**
   * A volume appended to on one drive may be mounted for reading on another drive of the
   * same archive at the same time (files: the reader opens the file on its own). Never
   * for a tape, whose cartridge sits in one drive.
   */
  readonly sharedReads: boolean;
}

/** The volume mounted on a drive: its name and the label read from it. */
export interface MountedVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
}

/** A volume just labelled: as mounted, and its size in bytes (the catalog's VolBytes). */
export interface LabelledVolume extends MountedVolume {
  readonly volBytes: number;
  /** Its VolFiles (volumeFiles): 1 on tape (the label's tape file and its filemark), 0 on disk. */
  readonly volFiles: number;
}

/** Handles open on a drive now. */
export interface DriveActivity {
  /** Append handles on the mounted volume (sessions writing). */
  appending: number;
  /** Read handles on the mounted volume (a restore, a verify). */
  reading: number;
}

export interface LabelOptions {
  /**
   * Label anew a volume that already holds a Burrow label: every block on it is lost
   * (Bareos's relabel and its recycling, "all previous data lost"). Without it an
   * existing volume is never overwritten. A file that is not a Burrow volume is never
   * overwritten, whatever this says.
   */
  relabel?: boolean;
  /**
   * Bareos's `relabel oldvolume= volume=`: the volume now called `renameFrom` (it must
   * hold our label of that name) gets the new name and a fresh label; every block on
   * it is lost. The new name must not be taken. A file drive renames the volume file;
   * a tape drive writes the new label on the cartridge that holds the old one.
   */
  renameFrom?: string;
  signal?: AbortSignal;
}

export interface Drive {
  /** The drive's name: its Device resource's, or with Count, `<Name>0001`, `<Name>0002`... */
  readonly name: string;
  /** How Bareos names a device in messages: `"FileStorage0001" (/var/lib/burrow/storage)`. */
  readonly printName: string;
  /** Bareos's word for the kind of device in messages ("File device ... is always mounted"). */
  readonly typeName: string;
  readonly capabilities: DriveCapabilities;
  /**
   * The largest block, header included, the drive writes (a tape's Maximum Block Size);
   * writers cut their blocks no larger. Absent: any size up to the format's limit.
   */
  readonly maximumBlockSize?: number;
  /**
   * Only a drive in an autochanger: its Drive Index, the changer's number for it (from
   * 0). The operator's drive= names it, as in Bareos, whatever the order of the Devices.
   */
  readonly driveIndex?: number;
  /** The volume mounted now, or null. */
  mounted(): MountedVolume | null;
  activity(): DriveActivity;
  /**
   * Mounts `volumeName` and reads its label. The volume already mounted is kept when it
   * is the one asked for; another one is first unmounted, which is refused (DEVICE) while
   * it has handles open. NOT_FOUND: no such volume; VOLUME_FORMAT: not a Burrow volume,
   * or labelled with another name; HOSTILE_PATH: a name that could leave the archive.
   */
  mount(volumeName: string, signal?: AbortSignal): Promise<MountedVolume>;
  /**
   * Writes a fresh volume holding only its label and mounts it. Never replaces a volume
   * that has handles open on any drive of the archive (DEVICE), nor an existing one
   * without `relabel` (VOLUME_FORMAT). A drive that mounts by name and is busy labels the
   * new volume beside the one it keeps mounted; one that does not refuses while busy.
   */
  label(volumeName: string, info: VolumeLabelInfo, options?: LabelOptions): Promise<LabelledVolume>;
  /**
   * The mounted volume, positioned at the end of its data (the end of the last block
   * that verifies; a half-written block a dead writer left is cut off). Handles share
   * one position: concurrent sessions interleave whole blocks. DEVICE when nothing is
   * mounted or the volume is being appended to on another drive.
   */
  openAppend(options?: AppendOptions): Promise<AppendVolume>;
  /** The mounted volume, for reading blocks by address. DEVICE when nothing is mounted. */
  openRead(signal?: AbortSignal): Promise<ReadVolume>;
  /** Forgets the mounted volume. Refused (DEVICE) while handles are open; nothing mounted is fine. */
  unmount(): Promise<void>;
  /**
   * Only a drive in an autochanger (changers/changer-drive.ts): has the changer load the
   * cartridge of `slot`, unloading what the drive holds (DEVICE while it is in use;
   * NOT_FOUND for an empty slot). The operator's `label slot=` and `mount slot=`.
   * Resolves with the cartridge's barcode, or null when it has none.
   */
  loadSlot?(slot: number): Promise<string | null>;
  /**
   * Only a drive in an autochanger: the home slot of the cartridge it loaded, 0 when it
   * holds none it knows of. The Director keeps a volume's Slot with it.
   */
  loadedSlot?(): number;
  /**
   * Only a tape drive (afbackup's cartis; the operator's `update volume nextwrite=`):
   * mounts `volumeName`, checks on the medium that `address` is a block boundary inside
   * its data, after the label, and makes it the end of the data (everything after is
   * erased), so the next append writes there. BAD_REQUEST with why for a point that is
   * not one; DEVICE while the drive is in use.
   */
  setNextWrite?(volumeName: string, address: BlockAddress): Promise<NextWritePoint>;
  /**
   * Only a drive in an autochanger (Bareos's readlabel, for update slots scan): loads the
   * cartridge of `slot` as loadSlot does, reads its label whatever its name, and puts it
   * back in its slot. The volume name, or null with why (a blank or foreign cartridge).
   */
  readSlotLabel?(slot: number): Promise<SlotLabel>;
}

/** What a cartridge's label says: our volume's name, or why there is none. */
export type SlotLabel = { readonly volumeName: string } | { readonly volumeName: null; readonly why: string };

/** The handle, with `after` run once when it closes (whether or not its own close succeeds). */
export function afterClose(handle: AppendVolume, after: () => void): AppendVolume {
  let closed = false;
  return {
    ...handle,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await handle.close();
      } finally {
        after();
      }
    },
  };
}

/** The tighter of two byte limits, 0 meaning none (a pool's and a device's Maximum Volume Bytes). */
export function smallerLimit(a: number, b: number): number {
  if (a > 0 && b > 0) return Math.min(a, b);
  return a > 0 ? a : b;
}
