/**
 * Volumes kept in memory: the store behind the memory drive, which unit tests use where
 * a disk would only make them slower (reservations, sessions). It behaves as the file
 * store does, byte for byte: the same names are refused and a volume grows and shrinks
 * as a file would.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { ByteHandle, VolumeStore } from './volume-store.js';
import { checkVolumeName } from './volume-name.js';

/** One volume's bytes; `data` is replaced as it grows, `length` is its size. */
interface MemoryVolume {
  data: Buffer;
  length: number;
}

export class MemoryStore implements VolumeStore {
  readonly location = 'memory';
  private readonly volumes = new Map<string, MemoryVolume>();

  where(volumeName: string): string {
    checkVolumeName(volumeName);
    return `memory:${volumeName}`;
  }

  async size(volumeName: string): Promise<number | null> {
    checkVolumeName(volumeName);
    return this.volumes.get(volumeName)?.length ?? null;
  }

  async open(volumeName: string, mode: 'read' | 'write'): Promise<ByteHandle> {
    checkVolumeName(volumeName);
    const volume = this.volumes.get(volumeName);
    if (!volume) throw new BurrowError('NOT_FOUND', `volume ${volumeName} not found in memory`);
    return new MemoryHandle(volume, mode === 'write');
  }

  async create(volumeName: string): Promise<ByteHandle> {
    checkVolumeName(volumeName);
    const volume = { data: Buffer.alloc(0), length: 0 };
    this.volumes.set(volumeName, volume);
    return new MemoryHandle(volume, true);
  }

  async rename(from: string, to: string): Promise<void> {
    checkVolumeName(from);
    checkVolumeName(to);
    const volume = this.volumes.get(from);
    if (!volume) throw new BurrowError('NOT_FOUND', `volume ${from} not found in memory`);
    if (this.volumes.has(to)) throw new BurrowError('VOLUME_FORMAT', `memory:${to} exists already; refusing to rename memory:${from} over it`);
    this.volumes.delete(from);
    this.volumes.set(to, volume);
  }

  async remove(volumeName: string): Promise<void> {
    checkVolumeName(volumeName);
    this.volumes.delete(volumeName);
  }

  async freeBytes(): Promise<number | null> {
    return null;
  }

  async syncEntries(): Promise<void> {}

  /** A copy of a volume's bytes (tests look at and damage volumes through these two). */
  bytes(volumeName: string): Buffer | undefined {
    const v = this.volumes.get(volumeName);
    return v ? Buffer.from(v.data.subarray(0, v.length)) : undefined;
  }

  /** Puts bytes in place of a volume, as a file written by someone else would be. */
  put(volumeName: string, bytes: Buffer): void {
    checkVolumeName(volumeName);
    this.volumes.set(volumeName, { data: Buffer.from(bytes), length: bytes.length });
  }
}

class MemoryHandle implements ByteHandle {
  private closed = false;

  constructor(private readonly volume: MemoryVolume, private readonly writable: boolean) {}

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    this.checkOpen();
    const { data, length: size } = this.volume;
    const n = Math.max(0, Math.min(length, size - position));
    data.copy(buffer, offset, position, position + n);
    return { bytesRead: n };
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }> {
    this.checkWritable();
    const end = position + length;
    if (end > this.volume.data.length) {
      const grown = Buffer.alloc(Math.max(end, this.volume.data.length * 2));
      this.volume.data.copy(grown, 0, 0, this.volume.length);
      this.volume.data = grown;
    }
    // A write past the end leaves a hole of zeros, as a file does.
    if (position > this.volume.length) this.volume.data.fill(0, this.volume.length, position);
    buffer.copy(this.volume.data, position, offset, offset + length);
    this.volume.length = Math.max(this.volume.length, end);
    return { bytesWritten: length };
  }

  async truncate(length: number): Promise<void> {
    this.checkWritable();
    if (length > this.volume.length) {
      await this.write(Buffer.alloc(length - this.volume.length), 0, length - this.volume.length, this.volume.length);
    }
    this.volume.length = length;
  }

  async sync(): Promise<void> {
    this.checkOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new BurrowError('INTERNAL', 'memory volume handle used after close');
  }

  private checkWritable(): void {
    this.checkOpen();
    if (!this.writable) throw new BurrowError('DEVICE', 'memory volume opened for reading is written to');
  }
}
