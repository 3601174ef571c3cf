/**
 * The narrow device interface the rest of the Storage daemon sees (STYLE.md habit 3):
 * a place holding named volumes that can be labelled, appended to block by block and
 * read back by address. The File device implements it on a directory; a tape device
 * can stand in later, with its own addresses (file number × 2^32 + block number).
 */
import type { burrow } from '@burrow/common/proto/generated';
import type { BlockHeader } from '../volume/block.js';
import type { VolumeLabelInfo } from '../volume/labels.js';

/** A block position on a volume (docs/volume-format.md, "Addresses"). */
export type BlockAddress = number;

export interface LabelOptions {
  /** Relabel a volume that already holds a Burrow label (its data is lost). */
  overwrite?: boolean;
  signal?: AbortSignal;
}

export interface AppendOptions {
  /**
   * Where the catalog believes the volume ends. It is verified (a block must really end
   * there) and saves scanning the whole volume; a wrong hint falls back to a full scan.
   */
  endHint?: BlockAddress;
  /** Maximum Volume Bytes for this volume; 0 or absent: no limit. */
  maxVolumeBytes?: number;
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
  volBytes(): number;
  /** Blocks on the volume, the label block included. */
  volBlocks(): number;
  /** True once a block was refused for lack of room; every later data block is refused too. */
  isFull(): boolean;
  writeBlock(block: BlockToWrite, options?: WriteBlockOptions): Promise<WrittenBlock>;
  /** Makes every block written so far durable. */
  flush(): Promise<void>;
  /** Flushes and releases this handle; the volume closes when its last handle does. */
  close(): Promise<void>;
}

export type BlockRead =
  | { kind: 'block'; addr: BlockAddress; nextAddr: BlockAddress; header: BlockHeader; payload: Buffer }
  /** The bytes at addr are not a valid block (bad magic, version, length or CRC). */
  | { kind: 'corrupt'; addr: BlockAddress; problem: string }
  /** The volume ends inside the block at addr: a writer died, the readable data ends here. */
  | { kind: 'truncated'; addr: BlockAddress; problem: string }
  | { kind: 'end'; addr: BlockAddress };

export interface ReadVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
  /** The address of block 0 (the volume label). */
  firstAddress(): BlockAddress;
  readBlock(addr: BlockAddress, signal?: AbortSignal): Promise<BlockRead>;
  /** The first address after `addr` where a block verifies, or null when none is left. */
  findNextBlock(addr: BlockAddress, signal?: AbortSignal): Promise<BlockAddress | null>;
  close(): Promise<void>;
}

export interface Device {
  /** The Device resource's name, for messages. */
  readonly name: string;
  /**
   * Label Media: a job may label a new volume here by itself (the pool's Label Format
   * names it). Without it only the operator's `label` command labels, as in Bareos.
   */
  readonly labelMedia: boolean;
  /** The Device resource's Media Type ('' when not known, as for the offline tools). */
  readonly mediaType: string;
  exists(volumeName: string): Promise<boolean>;
  /**
   * Writes a fresh volume holding only its label. Refuses (VOLUME_FORMAT) to replace
   * an existing volume unless `overwrite`, and never replaces a volume open on this device.
   */
  label(volumeName: string, info: VolumeLabelInfo, options?: LabelOptions): Promise<burrow.VolumeLabel>;
  readLabel(volumeName: string, signal?: AbortSignal): Promise<burrow.VolumeLabel>;
  openForAppend(volumeName: string, options?: AppendOptions): Promise<AppendVolume>;
  openForRead(volumeName: string, signal?: AbortSignal): Promise<ReadVolume>;
}
