/**
 * Builds a tree holding every kind of entry a Linux system has (issue 3): byte
 * names of every awkward sort, a path past 4096 bytes, a 5 GiB sparse file, hard
 * links (across directories, to an empty file, to a symlink), symlinks of every
 * shape, FIFOs, devices, a socket, special mode bits, huge ids, times before 1970
 * and after 2106, xattrs in the user/trusted/security namespaces and POSIX ACLs.
 * Built through @burrow/fsx, so it needs no attr/acl packages and works at any depth.
 *
 * Features the file system or the container refuses are listed in `unsupported`
 * (the test prints them) instead of being skipped silently.
 */
import { randomBytes } from 'node:crypto';
import { constants, ftruncateSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  AT_FDCWD, chmodAt, chownAt, closeFd, linkAt, listDir, mkdirAt, mknodAt, openAt, openDirAt, setTimesAt, setXattr, symlinkAt, unlinkAt, type Fd, type Time,
} from '@burrow/fsx';

export interface KindsTree {
  /** Relative names (as compareTrees keys them) the backup leaves out on purpose. */
  readonly excluded: string[];
  /** Features this machine refused, one line each. */
  readonly unsupported: string[];
  /** Relative path (bytes) of a file with an awkward name, for a restore by name. */
  readonly awkwardName: Buffer;
}

const B = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));
const GiB = 1024 ** 3;

function file(dir: Fd, name: Buffer, content: Buffer | Array<[number, Buffer]>): void {
  const fd = openAt(dir, name, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    const parts: Array<[number, Buffer]> = Buffer.isBuffer(content) ? [[0, content]] : content;
    for (const [at, bytes] of parts) writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeFd(fd);
  }
}

function dir(parent: Fd, name: Buffer): Fd {
  mkdirAt(parent, name, 0o755);
  return openDirAt(parent, name);
}

/** A POSIX ACL in the kernel's xattr form (version 2; entries of tag u16, perm u16, id u32, sorted). */
function acl(entries: Array<[number, number, number]>): Buffer {
  const out = Buffer.alloc(4 + entries.length * 8);
  out.writeUInt32LE(2, 0);
  entries.forEach(([tag, perm, id], i) => {
    out.writeUInt16LE(tag, 4 + i * 8);
    out.writeUInt16LE(perm, 6 + i * 8);
    out.writeUInt32LE(id, 8 + i * 8);
  });
  return out;
}
const NO_ID = 0xffffffff;
const ACL = { USER_OBJ: 1, USER: 2, GROUP_OBJ: 4, GROUP: 8, MASK: 0x10, OTHER: 0x20 };

/** security.capability v2 granting cap_net_bind_service (10), effective. */
function capability(): Buffer {
  const v = Buffer.alloc(20);
  v.writeUInt32LE(0x02000001, 0);
  v.writeUInt32LE(1 << 10, 4);
  return v;
}

function attempt(unsupported: string[], what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    unsupported.push(`${what}: ${(err as Error).message}`);
  }
}

function names(root: Fd): Buffer {
  const d = dir(root, B('names'));
  const awkward = [
    B([0x6e, 0xe9, 0xff, 0xfe]), B('new\nline'), B('tab\there'), B([0x63, 0x01, 0x1b, 0x7f]), B('back\\slash'),
    B('star*'), B('question?'), B('-rf'), B('--help'), B('caf\u00e9'), B('cafe\u0301'), B('a'.repeat(255)), B('"quoted" \'too\''),
  ];
  for (const [i, n] of awkward.entries()) file(d, n, B(`name ${i}`));
  closeFd(d);
  return Buffer.concat([B('names/'), awkward[1] as Buffer]);
}

/** Directories of 200-byte names until the path passes 4096 bytes, a file at the bottom. */
function longPath(root: Fd): void {
  let d = dir(root, B('long'));
  for (let i = 0; i < 24; i++) {
    const next = dir(d, B(`${String(i).padStart(2, '0')}${'d'.repeat(198)}`));
    closeFd(d);
    d = next;
  }
  file(d, B('bottom'), B('more than 4096 bytes down'));
  closeFd(d);
}

function regular(root: Fd): void {
  const d = dir(root, B('files'));
  file(d, B('empty'), Buffer.alloc(0));
  file(d, B('small'), B('small\n'));
  file(d, B('random'), randomBytes(300_000));
  // 5 GiB, mostly holes: data at the start, the middle and the end.
  const size = 5 * GiB;
  file(d, B('sparse-5g'), [[0, randomBytes(100_000)], [Math.floor(size / 2), randomBytes(70_000)], [size - 65_536, randomBytes(65_536)]]);
  file(d, B('sparse-tail'), [[0, B('head')]]);
  const fd = openAt(d, B('sparse-tail'), constants.O_WRONLY);
  try {
    ftruncateSync(fd, 3 * 1024 * 1024); // ends in a hole
  } finally {
    closeFd(fd);
  }
  closeFd(d);
}

function links(root: Fd): void {
  const a = dir(root, B('links-a'));
  const b = dir(root, B('links-b'));
  file(a, B('data'), B('one inode, three names'));
  linkAt(a, B('data'), b, B('data-too'));
  linkAt(a, B('data'), a, B('data-three'));
  file(a, B('empty'), Buffer.alloc(0));
  linkAt(a, B('empty'), b, B('empty-too'));
  symlinkAt(B('data'), a, B('sym'));
  linkAt(a, B('sym'), b, B('sym-hardlink'));
  closeFd(a);
  closeFd(b);
}

function symlinks(root: Fd): void {
  const d = dir(root, B('symlinks'));
  symlinkAt(B('../files/small'), d, B('relative'));
  symlinkAt(B('/etc/hostname'), d, B('absolute'));
  symlinkAt(B('does/not/exist'), d, B('dangling'));
  symlinkAt(B('loop-b'), d, B('loop-a'));
  symlinkAt(B('loop-a'), d, B('loop-b'));
  symlinkAt(B([0x78, 0xff, 0x0a, 0x79]), d, B('non-utf8-target'));
  symlinkAt(B(`/${'t'.repeat(4094)}`), d, B('target-4095'));
  chownAt(d, B('relative'), 4242, 4343);
  setTimesAt(d, B('relative'), { sec: 1_000_000_000, nsec: 1 }, { sec: 1_100_000_000, nsec: 999_999_999 });
  setTimesAt(d, B('dangling'), { sec: -86_400, nsec: 5 }, { sec: -1, nsec: 999_999_999 });
  closeFd(d);
}

async function specials(root: Fd, rootPath: string, unsupported: string[]): Promise<string[]> {
  const d = dir(root, B('specials'));
  mknodAt(d, B('fifo'), { kind: 'fifo' }, 0o640);
  attempt(unsupported, 'character device', () => mknodAt(d, B('char-1-3'), { kind: 'char', major: 1, minor: 3 }, 0o666));
  attempt(unsupported, 'block device', () => mknodAt(d, B('block-259-70000'), { kind: 'block', major: 259, minor: 70000 }, 0o660));
  closeFd(d);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(`${rootPath}/specials/socket`, resolve));
  await new Promise((resolve) => server.close(resolve));
  return ['specials/socket'];
}

function modes(root: Fd): void {
  const d = dir(root, B('modes'));
  const set = (name: string, mode: number, uid: number, gid: number): void => {
    file(d, B(name), B(name));
    chownAt(d, B(name), uid, gid);
    chmodAt(d, B(name), mode);
  };
  set('setuid', 0o4755, 1000, 1000);
  set('setgid', 0o2750, 1001, 1002);
  set('sticky-file', 0o1644, 0, 0);
  set('all-bits', 0o7777, 12345, 54321);
  set('huge-ids', 0o600, 3_000_000_000, 4_294_967_294);
  const sticky = dir(d, B('sticky-dir'));
  file(sticky, B('inside'), B('x'));
  closeFd(sticky);
  chmodAt(d, B('sticky-dir'), 0o1777);
  for (const [name, mode] of [['mode-0000', 0o000], ['mode-0555', 0o555]] as const) {
    const sub = dir(d, B(name));
    file(sub, B('content'), B(`inside a ${name} directory`));
    const subsub = dir(sub, B('nested'));
    file(subsub, B('deeper'), B('x'));
    closeFd(subsub);
    closeFd(sub);
    chmodAt(d, B(name), mode);
  }
  closeFd(d);
}

function extended(root: Fd, unsupported: string[]): void {
  const d = dir(root, B('xattrs'));
  file(d, B('user'), B('x'));
  attempt(unsupported, 'user. xattrs', () => {
    setXattr(d, B('user'), B('user.plain'), B('value'));
    setXattr(d, B('user'), B('user.binary'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    setXattr(d, B('user'), B('user.empty'), Buffer.alloc(0));
  });
  file(d, B('trusted'), B('x'));
  attempt(unsupported, 'trusted. xattrs', () => setXattr(d, B('trusted'), B('trusted.secret'), B([0, 1, 2, 0xff])));
  symlinkAt(B('user'), d, B('link-with-trusted'));
  attempt(unsupported, 'trusted. xattrs on a symlink', () => setXattr(d, B('link-with-trusted'), B('trusted.on-link'), B('l')));
  file(d, B('capability'), B('#!/bin/true\n'));
  chmodAt(d, B('capability'), 0o755);
  attempt(unsupported, 'security.capability', () => setXattr(d, B('capability'), B('security.capability'), capability()));
  file(d, B('acl'), B('x'));
  const access = acl([[ACL.USER_OBJ, 7, NO_ID], [ACL.USER, 5, 1000], [ACL.GROUP_OBJ, 5, NO_ID], [ACL.GROUP, 4, 2000], [ACL.MASK, 5, NO_ID], [ACL.OTHER, 0, NO_ID]]);
  attempt(unsupported, 'POSIX access ACL', () => setXattr(d, B('acl'), B('system.posix_acl_access'), access));
  const withDefault = dir(d, B('acl-dir'));
  file(withDefault, B('child'), B('x'));
  closeFd(withDefault);
  attempt(unsupported, 'POSIX default ACL', () => {
    setXattr(d, B('acl-dir'), B('system.posix_acl_access'), access);
    setXattr(d, B('acl-dir'), B('system.posix_acl_default'), acl([[ACL.USER_OBJ, 7, NO_ID], [ACL.USER, 7, 3000], [ACL.GROUP_OBJ, 5, NO_ID], [ACL.MASK, 7, NO_ID], [ACL.OTHER, 5, NO_ID]]));
  });
  closeFd(d);
}

/** Odd times on a few entries, then every directory's times last (deepest first), as a restore must keep them. */
function times(root: Fd): void {
  const t = (sec: number, nsec: number): Time => ({ sec, nsec });
  const f = openDirAt(root, B('files'));
  setTimesAt(f, B('small'), t(-1_234_567_890, 123_456_789), t(-2_000_000_000, 987_654_321));
  setTimesAt(f, B('random'), t(2_200_000_000, 1), t(2_147_483_648, 500)); // past 2038
  setTimesAt(f, B('empty'), t(4_500_000_000, 999_999_999), t(4_400_000_000, 42)); // past 2106
  closeFd(f);
  for (const name of ['names', 'files', 'links-a', 'symlinks', 'specials', 'modes', 'xattrs']) {
    setTimesAt(root, B(name), t(1_500_000_000 + name.length, 111_111_111 * name.length), t(1_400_000_000, name.length));
  }
  setTimesAt(root, B('links-b'), t(-100, 0), t(-200, 1));
}

/** Removes a tree of any depth (rmSync stops at paths of 4096 bytes), descending through descriptors. */
export function removeTree(path: string): void {
  const remove = (parent: Fd, name: Buffer): void => {
    let d: Fd;
    try {
      d = openDirAt(parent, name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'ENOTDIR' && code !== 'ELOOP') throw err;
      unlinkAt(parent, name);
      return;
    }
    try {
      for (const child of listDir(d)) remove(d, child);
    } finally {
      closeFd(d);
    }
    unlinkAt(parent, name, true);
  };
  remove(AT_FDCWD, Buffer.from(path));
}

/** Builds the tree under `rootPath` (an existing, empty directory on the file system under test). */
export async function buildEveryKind(rootPath: string): Promise<KindsTree> {
  const unsupported: string[] = [];
  const root = openDirAt(AT_FDCWD, Buffer.from(rootPath));
  try {
    const awkwardName = names(root);
    longPath(root);
    regular(root);
    links(root);
    symlinks(root);
    const excluded = await specials(root, rootPath, unsupported);
    modes(root);
    extended(root, unsupported);
    times(root);
    setTimesAt(root, Buffer.alloc(0), { sec: 1_234_567_890, nsec: 123_456_789 }, { sec: 1_234_567_891, nsec: 1 });
    return { excluded, unsupported, awkwardName };
  } finally {
    closeFd(root);
  }
}
