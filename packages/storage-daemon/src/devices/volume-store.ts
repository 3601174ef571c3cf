/**
 * Where a random-access drive keeps its volumes: named byte stores that can be read and
 * written at any offset. The file store keeps each volume as a file of the Archive
 * Device directory; the memory store keeps them in memory, for fast unit tests. The
 * block logic on top (file-blocks.ts, file-volumes.ts, random-access-drive.ts) is the
 * same for both, so what the tests show of one holds for the other.
 */

/** An open volume, read and written by offset (the part of node's FileHandle Burrow uses). */
export interface ByteHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  /** Makes everything written so far durable. */
  sync(): Promise<void>;
  /**
   * Lets the system drop its cached pages of a range that was synced or read (drop-behind:
   * later reads and writes reuse those pages); absent where nothing is cached (memory).
   */
  dropCached?(position: number, length: number): void;
  close(): Promise<void>;
}

export interface VolumeStore {
  /** Where the volumes are, for messages: the Archive Device directory, or "memory". */
  readonly location: string;
  /** One volume, for messages: its file's path, or "memory:NAME". The name is checked first. */
  where(volumeName: string): string;
  /** The byte size of a volume, or null when there is none by that name. */
  size(volumeName: string): Promise<number | null>;
  /** Opens an existing volume; NOT_FOUND when there is none. */
  open(volumeName: string, mode: 'read' | 'write'): Promise<ByteHandle>;
  /** Makes the volume empty, creating it if needed, for a label to be written (never through a link). */
  create(volumeName: string): Promise<ByteHandle>;
  /**
   * Gives volume `from` the name `to` (Bareos's relabel of a file volume). Never
   * replaces anything: VOLUME_FORMAT when something of the new name exists already,
   * NOT_FOUND when there is no `from`. The caller makes it durable with syncEntries.
   */
  rename(from: string, to: string): Promise<void>;
  /** Removes a volume that holds nothing (a label that did not fit); none by that name is no error. */
  remove(volumeName: string): Promise<void>;
  /** Bytes free for volumes to grow into (the file system's, for an unprivileged writer); null when unknown. */
  freeBytes(): Promise<number | null>;
  /** Makes a volume just created or renamed durable as an entry of the archive (a directory fsync for files). */
  syncEntries(): Promise<void>;
}

/**
 * Who uses which volume of one archive, across the drives that share it: a volume is
 * appended to through one drive at a time (two drives with their own end-of-data would
 * write over each other's blocks), and a volume being read or written is never labelled
 * anew. Single-threaded bookkeeping: claims are taken and given back synchronously.
 */
export class VolumeClaims {
  private readonly appenders = new Map<string, string>();
  private readonly readers = new Map<string, number>();

  /** The drive appending to `volumeName`, if any. */
  appender(volumeName: string): string | undefined {
    return this.appenders.get(volumeName);
  }

  inUse(volumeName: string): boolean {
    return this.appenders.has(volumeName) || (this.readers.get(volumeName) ?? 0) > 0;
  }

  claimAppend(volumeName: string, drive: string): void {
    this.appenders.set(volumeName, drive);
  }

  releaseAppend(volumeName: string, drive: string): void {
    if (this.appenders.get(volumeName) === drive) this.appenders.delete(volumeName);
  }

  addReader(volumeName: string): void {
    this.readers.set(volumeName, (this.readers.get(volumeName) ?? 0) + 1);
  }

  removeReader(volumeName: string): void {
    const n = (this.readers.get(volumeName) ?? 0) - 1;
    if (n > 0) this.readers.set(volumeName, n);
    else this.readers.delete(volumeName);
  }
}

/** What the drives of one Device share: its volumes and who uses them. */
export interface Archive {
  readonly store: VolumeStore;
  readonly claims: VolumeClaims;
}

export function archiveOf(store: VolumeStore): Archive {
  return { store, claims: new VolumeClaims() };
}
