/**
 * Applies saved attributes to a restored entry: owner first (lchown), then mode
 * (chmod afterwards, since a chown clears setuid/setgid), then times. xattrs and
 * ACLs will follow the times as further steps here (DESIGN.md lessons).
 */
import type { FileHandle } from 'node:fs/promises';
import { chmod, lchown, lutimes } from 'node:fs/promises';
import { burrow } from '@burrow/common/proto/generated';
import { int64, timestamp } from './numbers.js';

type Attrs = burrow.FileAttributes.$Properties;

/**
 * Timestamp -> the seconds number Node's utimes takes. Node truncates to whole
 * microseconds, so aim at the middle of the wanted microsecond: the double's error
 * (~0.24 µs near 2023) then cannot push it into the neighbour. Sub-microsecond
 * digits are lost — Node has no nanosecond utimes.
 */
export function toNodeTime(ts: burrow.Timestamp.$Properties | null | undefined): number {
  const { sec, nsec } = timestamp(ts);
  const usec = Math.floor(nsec / 1000);
  return sec + (usec + 0.5) / 1e6;
}

const canChown = process.getuid?.() === 0;

/** Owner, mode, times through an open file (no path lookup, so no race on the name). */
export async function applyToHandle(handle: FileHandle, attrs: Attrs): Promise<void> {
  if (canChown) await handle.chown(int64(attrs.uid), int64(attrs.gid));
  await handle.chmod((attrs.mode ?? 0o600) & 0o7777);
  await handle.utimes(toNodeTime(attrs.atime), toNodeTime(attrs.mtime));
}

/**
 * Owner, mode, times by path, for entries the restore just created under a name
 * only it uses (temp names) or directories it has checked. Symlinks have no mode of
 * their own on Linux and get lchown/lutimes.
 */
export async function applyToPath(path: Buffer, attrs: Attrs, isSymlink: boolean): Promise<void> {
  if (canChown) await lchown(path, int64(attrs.uid), int64(attrs.gid));
  if (!isSymlink) await chmod(path, (attrs.mode ?? 0o600) & 0o7777);
  await lutimes(path, toNodeTime(attrs.atime), toNodeTime(attrs.mtime));
}
