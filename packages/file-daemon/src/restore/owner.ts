/**
 * A user's own restore (FdRestoreOrder.restore_owner, docs/user-restores.md). The
 * Director chose only that user's files, but what may happen on this machine is the
 * client's to decide, as root, so it holds the job to what the user could have done
 * themselves:
 *  - the restore location is an existing directory the user owns (or may write by its
 *    mode bits), reached from "/" without a symlink — opened once that way and then
 *    used by descriptor, so nothing swapped in afterwards is followed;
 *  - every entry it makes belongs to the user (owner forced), without setuid/setgid
 *    bits that would hand another owner's or group's rights to it, without the
 *    kernel-trusted xattrs (file capabilities, trusted.*), and never a device node;
 *  - an existing entry in the way, or a directory it goes through, that is not the
 *    user's is left alone and the file fails.
 */
import { readFileSync } from 'node:fs';
import { AT_FDCWD, closeFd, openDirAt, statFd, type EntryStat, type Fd } from '@burrow/fsx';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { burrow } from '@burrow/common/proto/generated';

export interface RestoreOwner {
  readonly uid: number;
  readonly gid: number;
}

const T = burrow.FileType;
const SETUID = 0o4000;
const SETGID = 0o2000;
/** xattr namespaces only root may set, which the kernel trusts: not the user's to get. */
const PRIVILEGED_XATTRS = ['security.', 'trusted.'];

function notOwner(message: string): BurrowError {
  return new BurrowError('NOT_OWNER', message);
}

/** The uid's primary group in a passwd file (name:pw:uid:gid:...), or undefined. */
export function primaryGroup(uid: number, passwd: string): number | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 4 && f[2] === String(uid) && /^\d+$/.test(f[3] ?? '')) return Number(f[3]);
  }
  return undefined;
}

/** The owner an order names; the group comes from /etc/passwd when the Director gave none. */
export function ownerOf(order: Pick<burrow.RestoreOwner, 'uid' | 'gid'>, passwdFile = '/etc/passwd'): RestoreOwner {
  const { uid } = order;
  if (uid === 0) throw notOwner("a user's restore cannot be for uid 0");
  let { gid } = order;
  if (gid < 0) {
    let passwd = '';
    try {
      passwd = readFileSync(passwdFile, 'latin1');
    } catch {
      // No passwd file: the message below says what to do.
    }
    const found = primaryGroup(uid, passwd);
    if (found === undefined) throw notOwner(`uid ${uid} is not in ${passwdFile} on this client: give Restore Owner = ${uid}:<gid>`);
    gid = found;
  }
  return { uid, gid };
}

function mayWrite(st: EntryStat, owner: RestoreOwner): boolean {
  if (st.uid === owner.uid) return (st.mode & 0o200) !== 0;
  if (st.gid === owner.gid) return (st.mode & 0o020) !== 0;
  return (st.mode & 0o002) !== 0;
}

/**
 * Opens the restore location from "/" one component at a time with O_NOFOLLOW and
 * checks it is a directory the user owns or may write. The caller closes the descriptor.
 */
export function openOwnLocation(where: Buffer, owner: RestoreOwner): Fd {
  const comps = where.toString('latin1').split('/').filter((c) => c !== '' && c !== '.');
  if (comps.length === 0) throw notOwner(`a user's restore needs a where= of theirs, not ${where.length ? '/' : 'the original places'}`);
  if (comps.includes('..')) throw new BurrowError('HOSTILE_PATH', `where=${displayPath(where)} contains ".."`);
  let fd = openDirAt(AT_FDCWD, Buffer.from('/'));
  try {
    for (const c of comps) {
      let next: Fd;
      try {
        next = openDirAt(fd, Buffer.from(c, 'latin1'));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ELOOP' || code === 'ENOTDIR') throw notOwner(`where=${displayPath(where)}: "${c}" is a symlink or not a directory; a user's restore goes only to a real directory`);
        if (code === 'ENOENT') throw notOwner(`where=${displayPath(where)} does not exist; a user's restore goes only into an existing directory of theirs`);
        throw err;
      }
      closeFd(fd);
      fd = next;
    }
    const st = statFd(fd);
    if (!mayWrite(st, owner)) throw notOwner(`where=${displayPath(where)} belongs to uid ${st.uid} (mode ${(st.mode & 0o7777).toString(8)}), which uid ${owner.uid} may not write`);
    return fd;
  } catch (err) {
    closeFd(fd);
    throw err;
  }
}

/** Fails the job early (before the Storage daemon sends anything) when the location is not the user's. */
export function checkOwnLocation(where: Buffer, owner: RestoreOwner): void {
  closeFd(openOwnLocation(where, owner));
}

/** The saved attributes as the user's restore applies them. Throws NOT_OWNER for what a user could not make. */
export function ownedAttributes(attrs: burrow.FileAttributes, owner: RestoreOwner): burrow.FileAttributes {
  if (attrs.type === T.FT_CHAR_DEVICE || attrs.type === T.FT_BLOCK_DEVICE) {
    throw notOwner("a device node is not restored by a user's restore");
  }
  let mode = attrs.mode;
  if (Number(attrs.uid) !== owner.uid) mode &= ~SETUID;
  if (Number(attrs.gid) !== owner.gid) mode &= ~SETGID;
  const xattrs = attrs.xattrs.filter((x) => !PRIVILEGED_XATTRS.some((p) => Buffer.from(x.name).toString('latin1').startsWith(p)));
  return burrow.FileAttributes.create({ ...attrs, uid: owner.uid, gid: owner.gid, mode, xattrs });
}

/** An entry already there (in the way, or a directory gone through) must be the user's. */
export function checkOwnEntry(st: EntryStat, owner: RestoreOwner, path: Buffer): void {
  if (st.uid !== owner.uid) throw notOwner(`${displayPath(path)} exists and belongs to uid ${st.uid}, not ${owner.uid}: left alone`);
}
