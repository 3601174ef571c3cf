/**
 * Applies saved attributes to a restored entry, in the order the kernel needs: owner
 * first (a chown clears setuid/setgid and file capabilities), then mode, then
 * extended attributes and ACLs (DESIGN.md lessons: after the file's own attributes),
 * then times last, to the nanosecond and before 1970 too (utimensat).
 */
import { chmodAt, chownAt, setTimesAt, setXattr, type Fd } from '@burrow/fsx';
import { describeError } from '@burrow/common/errors/index';
import { EPOCH, type burrow } from '@burrow/common/proto/index';

type Attrs = burrow.FileAttributes;

const ACL_ACCESS = Buffer.from('system.posix_acl_access');
const ACL_DEFAULT = Buffer.from('system.posix_acl_default');

const canChown = process.getuid?.() === 0;

/** The xattrs to set, ACLs included (they are xattrs on Linux). */
function xattrsOf(attrs: Attrs): Array<{ name: Buffer; value: Buffer }> {
  const out = attrs.xattrs.map((x) => ({ name: Buffer.from(x.name), value: Buffer.from(x.value) }));
  if (attrs.aclAccess.length > 0) out.push({ name: ACL_ACCESS, value: Buffer.from(attrs.aclAccess) });
  if (attrs.aclDefault.length > 0) out.push({ name: ACL_DEFAULT, value: Buffer.from(attrs.aclDefault) });
  return out;
}

/**
 * Owner, mode, xattrs, times of `name` in the open directory `dir` (or of `dir`
 * itself when name is empty — how an open regular file or directory is done).
 * Symlinks have no mode of their own on Linux. Returns the xattrs that could not be
 * set, one message each (the entry is restored; the job decides what that means);
 * anything else failing throws.
 */
export function applyAt(dir: Fd, name: Buffer, attrs: Attrs, isSymlink: boolean): string[] {
  if (canChown) chownAt(dir, name, attrs.uid, attrs.gid);
  if (!isSymlink) chmodAt(dir, name, attrs.mode & 0o7777);
  const problems: string[] = [];
  for (const x of xattrsOf(attrs)) {
    try {
      setXattr(dir, name, x.name, x.value);
    } catch (err) {
      problems.push(`cannot set extended attribute ${x.name.toString('latin1')}: ${describeError(err)}`);
    }
  }
  setTimesAt(dir, name, attrs.atime ?? EPOCH, attrs.mtime ?? EPOCH);
  return problems;
}
