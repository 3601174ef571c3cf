/**
 * The tree comparer of the end-to-end tests: walks two trees by raw byte names
 * through open directory descriptors (@burrow/fsx, so paths past 4096 bytes work and
 * no symlink is followed) and reports every difference by path: type, mode, owner,
 * size, content digest, link target, hard-link grouping, allocated size of sparse
 * files, device numbers, xattrs, POSIX ACLs, mtime and (on request) atime, to the
 * nanosecond.
 *
 * Content is digested hole-aware: the file is cut into 64 KiB blocks at fixed
 * offsets, only blocks that SEEK_DATA says may hold data are read, and all-zero
 * blocks are left out; so equal content gives equal digests whatever the holes,
 * and a 5 GiB sparse file costs only its data.
 */
import { createHash } from 'node:crypto';
import { constants, readSync } from 'node:fs';
import { closeFd, dataRegions, kindOf, listDir, openAt, openDirAt, readlinkAt, readXattrs, setTimesAt, statAt, AT_FDCWD, type EntryStat, type Fd, type Time } from '@burrow/fsx';
import { displayPath } from '@burrow/common/names/index';

interface Entry {
  rel: string;
  st: EntryStat;
  digest?: string;
  target?: string;
  xattrs: Map<string, string>;
}

export interface CompareOptions {
  /** Compare atimes too (the trees must not have been read since they were made). */
  readonly atime?: boolean;
}

const BLOCK = 64 * 1024;
const sameTime = (a: Time, b: Time): boolean => a.sec === b.sec && a.nsec === b.nsec;
const ACL_NAMES = new Set(['system.posix_acl_access', 'system.posix_acl_default']);

function contentDigest(dir: Fd, name: Buffer, size: number): string {
  const fd = openAt(dir, name, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NOATIME);
  try {
    const h = createHash('sha256');
    const buf = Buffer.alloc(BLOCK);
    let next = 0;
    for (const [start, end] of dataRegions(fd, size)) {
      for (let block = Math.max(next, Math.floor(start / BLOCK)); block * BLOCK < end; block++) {
        const n = readSync(fd, buf, 0, BLOCK, block * BLOCK);
        const bytes = buf.subarray(0, n);
        if (bytes.some((b) => b !== 0)) h.update(`${block}:`).update(bytes);
        next = block + 1;
      }
    }
    return h.digest('hex');
  } finally {
    closeFd(fd);
  }
}

/**
 * readlink moves a symlink's atime (relatime) and no flag prevents it; hard-linked
 * symlinks share that atime, so a later name of the inode would show the comparer's
 * own read. The atime is put back, as the File daemon does.
 */
function readLinkKeepingAtime(dir: Fd, name: Buffer, st: EntryStat): string {
  const target = readlinkAt(dir, name).toString('hex');
  if (!sameTime(statAt(dir, name).atime, st.atime)) setTimesAt(dir, name, st.atime, st.mtime);
  return target;
}

function walk(dir: Fd, name: Buffer, rel: Buffer, out: Map<string, Entry>): void {
  const st = statAt(dir, name);
  const kind = kindOf(st.mode);
  const entry: Entry = { rel: displayPath(rel), st, xattrs: new Map() };
  // Everything is read after the stat, so the comparer's own reads never show as atime changes.
  if (kind === 'file') entry.digest = contentDigest(dir, name, st.size);
  if (kind === 'symlink') entry.target = readLinkKeepingAtime(dir, name, st);
  try {
    for (const x of readXattrs(dir, name)) entry.xattrs.set(x.name.toString('latin1'), x.value.toString('hex'));
  } catch {
    // No xattrs on this file system: both sides show none.
  }
  out.set(rel.toString('latin1'), entry);
  if (kind !== 'directory') return;
  const fd = openDirAt(dir, name);
  try {
    for (const child of listDir(fd)) walk(fd, child, rel.length ? Buffer.concat([rel, Buffer.from('/'), child]) : child, out);
  } finally {
    closeFd(fd);
  }
}

function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  walk(AT_FDCWD, Buffer.from(root), Buffer.alloc(0), out);
  return out;
}

function linkGroups(m: Map<string, Entry>): Map<string, string> {
  const byInode = new Map<bigint, string[]>();
  for (const [k, e] of m) if (kindOf(e.st.mode) !== 'directory' && e.st.nlink > 1) byInode.set(e.st.ino, [...(byInode.get(e.st.ino) ?? []), k]);
  const group = new Map<string, string>();
  for (const names of byInode.values()) for (const n of names) group.set(n, [...names].sort().map((x) => displayPath(Buffer.from(x, 'latin1'))).join('|'));
  return group;
}

const showTime = (t: Time): string => `${t.sec}.${String(t.nsec).padStart(9, '0')}`;

function compareXattrs(at: string, want: Map<string, string>, got: Map<string, string>, diffs: string[]): void {
  for (const name of new Set([...want.keys(), ...got.keys()])) {
    if (want.get(name) === got.get(name)) continue;
    const what = ACL_NAMES.has(name) ? `ACL ${name.slice('system.posix_acl_'.length)}` : `xattr ${name}`;
    diffs.push(`${at}: ${what} ${got.get(name) ?? 'absent'}, expected ${want.get(name) ?? 'absent'}`);
  }
}

function compareEntry(at: string, e: Entry, f: Entry, o: CompareOptions, diffs: string[]): void {
  const kind = kindOf(e.st.mode);
  if (kind !== kindOf(f.st.mode)) {
    diffs.push(`${at}: type ${kindOf(f.st.mode)}, expected ${kind}`);
    return;
  }
  if ((e.st.mode & 0o7777) !== (f.st.mode & 0o7777)) diffs.push(`${at}: mode ${(f.st.mode & 0o7777).toString(8)}, expected ${(e.st.mode & 0o7777).toString(8)}`);
  if (e.st.uid !== f.st.uid || e.st.gid !== f.st.gid) diffs.push(`${at}: owner ${f.st.uid}:${f.st.gid}, expected ${e.st.uid}:${e.st.gid}`);
  if (kind === 'file' && e.st.size !== f.st.size) diffs.push(`${at}: size ${f.st.size}, expected ${e.st.size}`);
  if (kind === 'file' && e.st.blocks * 512 < e.st.size && e.st.blocks !== f.st.blocks) {
    diffs.push(`${at}: sparse file allocates ${f.st.blocks * 512} bytes, expected ${e.st.blocks * 512}`);
  }
  if (e.digest !== f.digest) diffs.push(`${at}: content differs`);
  if (e.target !== f.target) diffs.push(`${at}: link target differs`);
  if ((kind === 'char' || kind === 'block') && (e.st.rdevMajor !== f.st.rdevMajor || e.st.rdevMinor !== f.st.rdevMinor)) {
    diffs.push(`${at}: device ${f.st.rdevMajor},${f.st.rdevMinor}, expected ${e.st.rdevMajor},${e.st.rdevMinor}`);
  }
  if (!sameTime(e.st.mtime, f.st.mtime)) diffs.push(`${at}: mtime ${showTime(f.st.mtime)}, expected ${showTime(e.st.mtime)}`);
  if (o.atime === true && !sameTime(e.st.atime, f.st.atime)) diffs.push(`${at}: atime ${showTime(f.st.atime)}, expected ${showTime(e.st.atime)}`);
  compareXattrs(at, e.xattrs, f.xattrs, diffs);
}

/**
 * Every difference between two trees, one line each; empty when they are the same.
 * `excluded` names entries (relative paths) the backup left out on purpose: they and
 * everything below them must be absent from the actual tree.
 */
export function compareTrees(expectedRoot: string, actualRoot: string, excluded: string[] = [], o: CompareOptions = {}): string[] {
  const a = snapshot(expectedRoot);
  const b = snapshot(actualRoot);
  for (const key of [...a.keys()]) {
    if (excluded.some((x) => key === x || key.startsWith(`${x}/`))) a.delete(key);
  }
  const diffs: string[] = [];
  const ga = linkGroups(a);
  const gb = linkGroups(b);
  for (const [k, e] of a) {
    const f = b.get(k);
    const at = e.rel || '.';
    if (!f) {
      diffs.push(`${at}: missing`);
      continue;
    }
    compareEntry(at, e, f, o, diffs);
    if (ga.get(k) !== gb.get(k)) diffs.push(`${at}: hard-link group ${gb.get(k) ?? 'none'}, expected ${ga.get(k) ?? 'none'}`);
  }
  for (const [k, f] of b) if (!a.has(k)) diffs.push(`${f.rel || '.'}: not expected`);
  return diffs;
}
