/**
 * fsx: Linux file-system calls relative to open directory descriptors, which Node's
 * fs does not offer: the openat family (so paths of any length work and no symlink
 * is followed unless asked), nanosecond utimensat with negative seconds, extended
 * attributes of every namespace (POSIX ACLs are the system.posix_acl_* ones), and
 * SEEK_DATA/SEEK_HOLE for sparse files.
 *
 * Terms: a `Fd` is a plain descriptor number (close it with closeFd; Node's fd-based
 * fs calls such as fs.read accept it too). `name` is one path component as bytes,
 * except where a call says it takes a path. Calls are synchronous: each is one
 * metadata system call, far cheaper than a round trip to libuv's thread pool. Errors
 * are thrown with Node's shape (`code` such as 'ENOENT', `errno`, `syscall`).
 */
import { closeSync, constants as fsc } from 'node:fs';
import { loadBinding } from './binding.js';
import { CreateBatch } from './create-batch.js';

export { CreateBatch, type CreateResult, type NewFileAttributes } from './create-batch.js';

const b = loadBinding();
const K = b.constants;

export type { Fd, Time } from './types.js';
import type { Fd, Time } from './types.js';

export const AT_FDCWD: Fd = K.AT_FDCWD;

/** lstat-like facts about one entry. */
export interface EntryStat {
  readonly dev: bigint;
  readonly ino: bigint;
  /** Type and permission bits, as st_mode. */
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly rdevMajor: number;
  readonly rdevMinor: number;
  readonly size: number;
  /** 512-byte blocks allocated. */
  readonly blocks: number;
  readonly atime: Time;
  readonly mtime: Time;
  readonly ctime: Time;
}

export type EntryKind = 'file' | 'directory' | 'symlink' | 'fifo' | 'char' | 'block' | 'socket' | 'unknown';

export function kindOf(mode: number): EntryKind {
  switch (mode & fsc.S_IFMT) {
    case fsc.S_IFREG: return 'file';
    case fsc.S_IFDIR: return 'directory';
    case fsc.S_IFLNK: return 'symlink';
    case fsc.S_IFIFO: return 'fifo';
    case fsc.S_IFCHR: return 'char';
    case fsc.S_IFBLK: return 'block';
    case fsc.S_IFSOCK: return 'socket';
    default: return 'unknown';
  }
}

const EMPTY = Buffer.alloc(0);

function toStat(v: bigint[]): EntryStat {
  const n = (i: number): number => Number(v[i] ?? 0n);
  return {
    dev: v[0] ?? 0n, ino: v[1] ?? 0n, mode: n(2), nlink: n(3), uid: n(4), gid: n(5),
    rdevMajor: n(6), rdevMinor: n(7), size: n(8), blocks: n(9),
    atime: { sec: n(10), nsec: n(11) }, mtime: { sec: n(12), nsec: n(13) }, ctime: { sec: n(14), nsec: n(15) },
  };
}

/** Stats `name` in `dir` without following a final symlink (unless `follow`). */
export function statAt(dir: Fd, name: Buffer, follow = false): EntryStat {
  return toStat(b.fstatat(dir, name, follow ? 0 : K.AT_SYMLINK_NOFOLLOW));
}

/**
 * statAt, or null when nothing is at `name` (other errors still throw). For the
 * restore's "is anything in the way?", whose answer is usually no: a thrown ENOENT
 * costs far more than the system call.
 */
export function statAtOrNull(dir: Fd, name: Buffer): EntryStat | null {
  try {
    const v = b.fstatat(dir, name, K.AT_SYMLINK_NOFOLLOW, 1);
    return v === null ? null : toStat(v);
  } catch (err) {
    // an addon built before missingOk ignores it and throws: same answer, slower
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Stats an open descriptor. */
export function statFd(fd: Fd): EntryStat {
  return toStat(b.fstatat(fd, EMPTY, 0));
}

/**
 * openat(2); O_CLOEXEC is always added. `name` may be a whole path when `dir` is
 * AT_FDCWD (the path then must fit in 4096 bytes).
 */
export function openAt(dir: Fd, name: Buffer, flags: number, mode = 0): Fd {
  return b.openat(dir, name, flags, mode);
}

/**
 * Opens a directory for reading without updating its atime where allowed, and
 * without following a symlink at `name` unless `follow`: the building block for
 * walking a tree with no path ever resolved whole.
 */
export function openDirAt(dir: Fd, name: Buffer, follow = false): Fd {
  const flags = fsc.O_RDONLY | fsc.O_DIRECTORY | (follow ? 0 : fsc.O_NOFOLLOW);
  return openQuietly(dir, name, flags);
}

/** openat with O_NOATIME (reading does not touch atime), falling back without it where not permitted (EPERM: not the owner). */
export function openQuietly(dir: Fd, name: Buffer, flags: number): Fd {
  try {
    return b.openat(dir, name, flags | K.O_NOATIME, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    return b.openat(dir, name, flags, 0);
  }
}

export function closeFd(fd: Fd): void {
  closeSync(fd);
}

export function mkdirAt(dir: Fd, name: Buffer, mode: number): void {
  b.mkdirat(dir, name, mode);
}

export function symlinkAt(target: Buffer, dir: Fd, name: Buffer): void {
  b.symlinkat(target, dir, name);
}

/** A hard link; never follows a symlink at the source, so a linked symlink stays one. */
export function linkAt(fromDir: Fd, fromName: Buffer, toDir: Fd, toName: Buffer): void {
  b.linkat(fromDir, fromName, toDir, toName, 0);
}

export type NodeKind = { kind: 'fifo' } | { kind: 'char' | 'block'; major: number; minor: number };

/** A FIFO or device node with permission bits `perm`. */
export function mknodAt(dir: Fd, name: Buffer, node: NodeKind, perm: number): void {
  const type = node.kind === 'fifo' ? fsc.S_IFIFO : node.kind === 'char' ? fsc.S_IFCHR : fsc.S_IFBLK;
  const [major, minor] = node.kind === 'fifo' ? [0, 0] : [node.major, node.minor];
  b.mknodat(dir, name, type | perm, major, minor);
}

export function readlinkAt(dir: Fd, name: Buffer): Buffer {
  return b.readlinkat(dir, name);
}

/** Owner of `name` in `dir`, or of `dir` itself when name is empty; never follows a symlink. */
export function chownAt(dir: Fd, name: Buffer, uid: number, gid: number): void {
  b.fchownat(dir, name, uid, gid, K.AT_SYMLINK_NOFOLLOW);
}

/** Mode of `name` in `dir`, or of `dir` itself when name is empty; refuses (EOPNOTSUPP) a symlink. */
export function chmodAt(dir: Fd, name: Buffer, mode: number): void {
  b.fchmodat(dir, name, mode);
}

/** Access and modification times to the nanosecond, of `name` in `dir` (not following a symlink), or of `dir` when name is empty. */
export function setTimesAt(dir: Fd, name: Buffer, atime: Time, mtime: Time): void {
  b.utimensat(dir, name, atime.sec, atime.nsec, mtime.sec, mtime.nsec, K.AT_SYMLINK_NOFOLLOW);
}

export function renameAt(fromDir: Fd, fromName: Buffer, toDir: Fd, toName: Buffer): void {
  b.renameat(fromDir, fromName, toDir, toName);
}

export function unlinkAt(dir: Fd, name: Buffer, isDirectory = false): void {
  b.unlinkat(dir, name, isDirectory ? K.AT_REMOVEDIR : 0);
}

/** Names in an open directory (no `.`/`..`), in the order the file system gives them. */
export function listDir(dir: Fd): Buffer[] {
  return b.readdir(dir);
}

export interface Xattr {
  readonly name: Buffer;
  readonly value: Buffer;
}

/** Every extended attribute of `name` in `dir` (or of `dir` when name is empty) that can be read, in the order listed. */
export function readXattrs(dir: Fd, name: Buffer): Xattr[] {
  const out: Xattr[] = [];
  for (const attr of b.listxattr(dir, name)) {
    const value = b.getxattr(dir, name, attr);
    if (value !== null) out.push({ name: attr, value }); // removed since listed
  }
  return out;
}

export function setXattr(dir: Fd, name: Buffer, attr: Buffer, value: Buffer): void {
  b.setxattr(dir, name, attr, value, 0);
}

/** [start, end) byte ranges holding data, by SEEK_DATA/SEEK_HOLE; the rest of `size` bytes are holes. */
export function dataRegions(fd: Fd, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let pos = 0; pos < size; ) {
    const start = b.lseek(fd, pos, K.SEEK_DATA);
    if (start < 0 || start >= size) break;
    const hole = b.lseek(fd, start, K.SEEK_HOLE);
    const end = hole < 0 ? size : Math.min(hole, size);
    out.push([start, end]);
    pos = end;
  }
  return out;
}

/** The size of an open file or block device, by seeking to its end (fstat gives 0 for a device). */
export function sizeBySeek(fd: Fd): number {
  return b.lseek(fd, 0, 2 /* SEEK_END */);
}

/**
 * Whether the open file carries the no-dump flag (chattr +d, FS_NODUMP_FL). False
 * where the file system keeps no such flags.
 */
export function hasNoDumpFlag(fd: Fd): boolean {
  const flags = b.inodeflags(fd);
  return flags >= 0 && (flags & K.FS_NODUMP_FL) !== 0;
}

/**
 * ioctl(2) with the request's argument in `arg`, which the kernel reads and may write
 * (a tape's MTIOCTOP, MTIOCGET, MTIOCPOS; the Storage daemon encodes them). The
 * request must encode its argument's size (_IOC_SIZE) and `arg` be exactly that long:
 * RangeError otherwise, before any system call.
 */
export function ioctl(fd: Fd, request: number, arg: Buffer): void {
  if (typeof b.ioctl !== 'function') {
    throw new Error('@burrow/fsx: the native addon was built before ioctl was added; rebuild it (`npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`)');
  }
  b.ioctl(fd, request, arg);
}

/**
 * Lets the kernel drop the cached pages of `length` bytes at `offset` of an open file
 * (posix_fadvise DONTNEED); pages not yet written back stay. A writer that has synced
 * what it wrote calls it so the next writes reuse those pages (drop-behind) instead
 * of taking fresh ones, which a virtual machine's host may first have to fault in.
 * It is advice: false where the file takes none (a pipe); a bad descriptor throws.
 */
export function dropCachedPages(fd: Fd, offset: number, length: number): boolean {
  if (typeof b.dropCached !== 'function') {
    throw new Error('@burrow/fsx: the native addon was built before dropCached was added; rebuild it (`npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`)');
  }
  return b.dropCached(fd, offset, length);
}

/**
 * Gives the C heap's free pages back to the system every `ms` milliseconds, for the
 * life of the process (the timer keeps no process alive).
 *
 * Why a daemon wants it: a Buffer of 128 KiB or more is malloc'd, and freed only when
 * V8 next collects its JavaScript object. After the first such free glibc raises its
 * mmap threshold, so later ones come from the heap, and the heap's free holes between
 * live chunks are kept, not returned: a Storage daemon restoring 50,000 small files
 * held 60 MiB of them (135 MiB anonymous memory, 74 after one malloc_trim). A call costs
 * about 3 ms on such a heap (one madvise per free chunk), so once a second is noise.
 */
export function trimCHeapEvery(ms: number): void {
  if (typeof b.malloc_trim !== 'function') {
    throw new Error('@burrow/fsx: the native addon was built before malloc_trim was added; rebuild it (`npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`)');
  }
  setInterval(mallocTrim, ms).unref();
}

/** glibc's malloc_trim(0): the C heap's free pages back to the system, wherever they lie; true when some were. */
export function mallocTrim(): boolean {
  return b.malloc_trim();
}

/**
 * A batch of new small files to be made on libuv's pool (create-batch.ts): room for
 * `maxFiles` files whose names and data take `capacity` bytes.
 */
export function newCreateBatch(capacity: number, maxFiles: number): CreateBatch {
  if (typeof b.createFiles !== 'function') {
    throw new Error('@burrow/fsx: the native addon was built before createFiles was added; rebuild it (`npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`)');
  }
  return new CreateBatch(b, capacity, maxFiles);
}
