/**
 * What one session did on one part of a volume: the data of a JobMedia row and of the
 * Media row's counters, gathered block by block as the session writes. A part is the
 * session's stay on a volume or, on tape, in one tape file of it (Bareos writes a
 * JobMedia row per filemark too, so a row never spans a Maximum File Size piece).
 */
import { volumeFiles, type WrittenBlock } from '../devices/drive.js';

export interface VolumeUsage {
  volumeName: string;
  /** Lowest and highest file index with a record on this volume; 0 when none. */
  firstIndex: number;
  lastIndex: number;
  /** Address of the session's first block here (its start-of-session label). */
  startAddr: number;
  /** Address of the session's last block here (inclusive, like Bareos's EndBlock). */
  endAddr: number;
  /** The volume's size and block count after the session's last block. */
  volBytes: number;
  volBlocks: number;
  /** Its files (the catalog's VolFiles, devices/drive.ts volumeFiles) with its data ended after that block. */
  volFiles: number;
  /** The session left the volume because it was full. */
  full: boolean;
  /** The row's VolIndex: 1 for the session's first part, 2 for the next... */
  volumeIndex: number;
}

export class VolumeUsageTracker {
  private firstIndex = 0;
  private lastIndex = 0;
  private endAddr: number;
  private volBytes = 0;
  private volBlocks = 0;
  private volFiles = 0;

  constructor(
    private readonly volumeName: string,
    private readonly volumeIndex: number,
    private readonly startAddr: number,
    /** The tape file of the part's blocks (tape only). */
    readonly tapeFile?: number,
  ) {
    this.endAddr = startAddr;
  }

  addBlock(written: WrittenBlock): void {
    this.endAddr = written.addr;
    this.volBytes = written.volBytes;
    this.volBlocks = written.blockNumber + 1;
    this.volFiles = volumeFiles(written);
  }

  addIndexes(indexes: readonly number[]): void {
    for (const index of indexes) {
      if (this.firstIndex === 0 || index < this.firstIndex) this.firstIndex = index;
      if (index > this.lastIndex) this.lastIndex = index;
    }
  }

  finish(full: boolean): VolumeUsage {
    return {
      volumeName: this.volumeName,
      firstIndex: this.firstIndex,
      lastIndex: this.lastIndex,
      startAddr: this.startAddr,
      endAddr: this.endAddr,
      volBytes: this.volBytes,
      volBlocks: this.volBlocks,
      volFiles: this.volFiles,
      full,
      volumeIndex: this.volumeIndex,
    };
  }
}
