/**
 * lstat results -> FileAttributes. Stats are taken with `bigint: true` so times keep
 * their nanoseconds and large inode numbers their exact value.
 */
import type { BigIntStats } from 'node:fs';
import { burrow } from '@burrow/common/proto/generated';

const NS_PER_SEC = 1_000_000_000n;

/** Nanoseconds since the epoch -> Timestamp, flooring so times before 1970 stay right. */
export function toTimestamp(ns: bigint): burrow.Timestamp.$Properties {
  let sec = ns / NS_PER_SEC;
  let nsec = ns % NS_PER_SEC;
  if (nsec < 0n) {
    nsec += NS_PER_SEC;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

export function fileTypeOf(st: BigIntStats): burrow.FileType {
  if (st.isFile()) return burrow.FileType.FT_REGULAR;
  if (st.isDirectory()) return burrow.FileType.FT_DIRECTORY;
  if (st.isSymbolicLink()) return burrow.FileType.FT_SYMLINK;
  if (st.isFIFO()) return burrow.FileType.FT_FIFO;
  if (st.isCharacterDevice()) return burrow.FileType.FT_CHAR_DEVICE;
  if (st.isBlockDevice()) return burrow.FileType.FT_BLOCK_DEVICE;
  if (st.isSocket()) return burrow.FileType.FT_SOCKET;
  return burrow.FileType.FT_UNKNOWN;
}

/** Linux's dev_t layout (glibc gnu_dev_major/gnu_dev_minor). */
export function splitRdev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major & 0xffffffffn), minor: Number(minor & 0xffffffffn) };
}

export function statsToAttributes(
  path: Buffer,
  st: BigIntStats,
  type: burrow.FileType,
): burrow.FileAttributes.$Properties {
  const attrs: burrow.FileAttributes.$Properties = {
    path,
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    atime: toTimestamp(st.atimeNs),
    mtime: toTimestamp(st.mtimeNs),
    ctime: toTimestamp(st.ctimeNs),
    dev: Number(st.dev),
    ino: Number(st.ino),
    nlink: Number(st.nlink),
  };
  if (type === burrow.FileType.FT_CHAR_DEVICE || type === burrow.FileType.FT_BLOCK_DEVICE) {
    const { major, minor } = splitRdev(st.rdev);
    attrs.rdevMajor = major;
    attrs.rdevMinor = minor;
  }
  return attrs;
}
