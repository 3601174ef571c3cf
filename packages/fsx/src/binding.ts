/**
 * The compiled addon (src/native/fsx.c, built by node-gyp at install time) and the
 * exact shape of what it exports. Only index.ts uses this; everything else goes
 * through the typed wrappers there.
 */
import { createRequire } from 'node:module';

export interface Binding {
  openat(dirfd: number, name: Buffer, flags: number, mode: number): number;
  mkdirat(dirfd: number, name: Buffer, mode: number): void;
  symlinkat(target: Buffer, dirfd: number, name: Buffer): void;
  linkat(olddirfd: number, oldname: Buffer, newdirfd: number, newname: Buffer, flags: number): void;
  mknodat(dirfd: number, name: Buffer, mode: number, major: number, minor: number): void;
  readlinkat(dirfd: number, name: Buffer): Buffer;
  fstatat(dirfd: number, name: Buffer, flags: number): bigint[];
  /** With missingOk = 1: null when the name does not exist (no thrown ENOENT). */
  fstatat(dirfd: number, name: Buffer, flags: number, missingOk: 1): bigint[] | null;
  fchownat(dirfd: number, name: Buffer, uid: number, gid: number, flags: number): void;
  fchmodat(dirfd: number, name: Buffer, mode: number): void;
  utimensat(dirfd: number, name: Buffer, asec: number, ansec: number, msec: number, mnsec: number, flags: number): void;
  renameat(olddirfd: number, oldname: Buffer, newdirfd: number, newname: Buffer): void;
  unlinkat(dirfd: number, name: Buffer, flags: number): void;
  readdir(dirfd: number): Buffer[];
  listxattr(dirfd: number, name: Buffer): Buffer[];
  getxattr(dirfd: number, name: Buffer, attr: Buffer): Buffer | null;
  setxattr(dirfd: number, name: Buffer, attr: Buffer, value: Buffer, flags: number): void;
  lseek(fd: number, offset: number, whence: number): number;
  dropCached(fd: number, offset: number, length: number): boolean;
  inodeflags(fd: number): number;
  ioctl(fd: number, request: number, arg: Buffer): void;
  malloc_trim(): boolean;
  /** Asynchronous (libuv's pool); see createFiles in index.ts. */
  dupfd(fd: number): number;
  errnoError(errno: number, syscall: Buffer): NodeJS.ErrnoException;
  createFiles(dirfds: Int32Array, plan: Float64Array, bytes: Buffer, results: Int32Array, chown: boolean, done: () => void): void;
  constants: {
    AT_FDCWD: number;
    AT_SYMLINK_NOFOLLOW: number;
    AT_REMOVEDIR: number;
    O_PATH: number;
    O_NOATIME: number;
    SEEK_DATA: number;
    SEEK_HOLE: number;
    XATTR_CREATE: number;
    FS_NODUMP_FL: number;
  };
}

const ADDON = '../build/Release/fsx.node';

export function loadBinding(): Binding {
  try {
    return createRequire(import.meta.url)(ADDON) as Binding;
  } catch (err) {
    throw new Error(
      `@burrow/fsx: the native addon ${ADDON} is missing or does not load; it is built by ` +
        '`npx --yes pnpm@9.15.9 install` (node-gyp, needs python3, make, a C compiler and Node headers)',
      { cause: err },
    );
  }
}
