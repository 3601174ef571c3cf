/**
 * Volumes as files `<ArchiveDevice>/<VolumeName>` in one directory. Names are checked
 * before any path is built (volume-name.ts), and a label is never written through a
 * symbolic link planted where a volume would go.
 */
import { constants as fsc } from 'node:fs';
import { link, open, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { dropCachedPages } from '@burrow/fsx';
import type { ByteHandle, VolumeStore } from './volume-store.js';
import { checkVolumeName } from './volume-name.js';

/** A volume file's handle, which can drop the cached pages of what it synced or read (file-volumes.ts). */
function withDropBehind(fh: FileHandle): ByteHandle {
  return Object.assign(fh, {
    dropCached(position: number, length: number): void {
      dropCachedPages(fh.fd, position, length);
    },
  });
}

export class FileStore implements VolumeStore {
  constructor(readonly location: string) {}

  /** The volume's file; the name is checked first so it cannot leave the directory. */
  path(volumeName: string): string {
    checkVolumeName(volumeName);
    return join(this.location, volumeName);
  }

  where(volumeName: string): string {
    return this.path(volumeName);
  }

  async size(volumeName: string): Promise<number | null> {
    const path = this.path(volumeName);
    try {
      const st = await stat(path);
      return st.isFile() ? st.size : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw storeError(`cannot look at ${path}`, err);
    }
  }

  async open(volumeName: string, mode: 'read' | 'write'): Promise<ByteHandle> {
    const path = this.path(volumeName);
    try {
      return withDropBehind(await open(path, mode === 'read' ? 'r' : 'r+'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new BurrowError('NOT_FOUND', `volume ${volumeName} not found: there is no ${path}`, { cause: err });
      }
      throw storeError(`cannot open ${path}`, err);
    }
  }

  async create(volumeName: string): Promise<ByteHandle> {
    const path = this.path(volumeName);
    try {
      return withDropBehind(await open(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC | fsc.O_NOFOLLOW, 0o640));
    } catch (err) {
      throw storeError(`cannot create ${path}`, err);
    }
  }

  /**
   * A hard link to the new name, then the old name removed: link(2) fails when the new
   * name exists (rename(2) would replace it silently), so nothing is ever overwritten.
   */
  async rename(from: string, to: string): Promise<void> {
    const source = this.path(from);
    const target = this.path(to);
    try {
      await link(source, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new BurrowError('NOT_FOUND', `volume ${from} not found: there is no ${source}`, { cause: err });
      if (code === 'EEXIST') throw new BurrowError('VOLUME_FORMAT', `${target} exists already; refusing to rename ${source} over it`, { cause: err });
      throw storeError(`cannot rename ${source} to ${target}`, err);
    }
    try {
      await unlink(source);
    } catch (err) {
      throw storeError(`cannot remove ${source} after linking it as ${target}`, err);
    }
  }

  async remove(volumeName: string): Promise<void> {
    const path = this.path(volumeName);
    try {
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storeError(`cannot remove ${path}`, err);
    }
  }

  async freeBytes(): Promise<number | null> {
    try {
      const fs = await statfs(this.location);
      return fs.bavail * fs.bsize;
    } catch {
      return null; // only for messages: a disk that cannot be asked says so by null
    }
  }

  async syncEntries(): Promise<void> {
    let fh: FileHandle | undefined;
    try {
      fh = await open(this.location, 'r');
      await fh.sync();
    } catch (err) {
      throw storeError(`cannot sync ${this.location}`, err);
    } finally {
      await fh?.close();
    }
  }
}

function storeError(what: string, err: unknown): BurrowError {
  if (err instanceof BurrowError) return err;
  return new BurrowError('DEVICE', `${what}: ${(err as Error).message}`, { cause: err });
}
