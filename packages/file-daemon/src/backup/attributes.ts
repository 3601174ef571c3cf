/**
 * Entry stats (fsx.EntryStat, from fstatat) -> FileAttributes. Times keep their
 * nanoseconds and their sign (before 1970).
 */
import { kindOf, type EntryStat, type Time } from '@burrow/fsx';
import { burrow } from '@burrow/common/proto/generated';

const TYPES: Readonly<Record<ReturnType<typeof kindOf>, burrow.FileType>> = {
  file: burrow.FileType.FT_REGULAR,
  directory: burrow.FileType.FT_DIRECTORY,
  symlink: burrow.FileType.FT_SYMLINK,
  fifo: burrow.FileType.FT_FIFO,
  char: burrow.FileType.FT_CHAR_DEVICE,
  block: burrow.FileType.FT_BLOCK_DEVICE,
  socket: burrow.FileType.FT_SOCKET,
  unknown: burrow.FileType.FT_UNKNOWN,
};

export function fileTypeOf(st: EntryStat): burrow.FileType {
  return TYPES[kindOf(st.mode)];
}

function ts(t: Time): burrow.Timestamp.$Properties {
  return { sec: t.sec, nsec: t.nsec };
}

export function sameTime(a: Time, b: Time): boolean {
  return a.sec === b.sec && a.nsec === b.nsec;
}

export function statsToAttributes(path: Buffer, st: EntryStat, type: burrow.FileType): burrow.FileAttributes.$Properties {
  const attrs: burrow.FileAttributes.$Properties = {
    path,
    type,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: ts(st.atime),
    mtime: ts(st.mtime),
    ctime: ts(st.ctime),
    dev: Number(st.dev),
    ino: Number(st.ino),
    nlink: st.nlink,
  };
  if (type === burrow.FileType.FT_CHAR_DEVICE || type === burrow.FileType.FT_BLOCK_DEVICE) {
    attrs.rdevMajor = st.rdevMajor;
    attrs.rdevMinor = st.rdevMinor;
  }
  return attrs;
}
