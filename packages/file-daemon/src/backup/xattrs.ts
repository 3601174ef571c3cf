/**
 * Extended attributes and POSIX ACLs of one entry, into its FileAttributes (the
 * `xattrs`, `acl_access` and `acl_default` fields). Linux keeps ACLs as the
 * system.posix_acl_access / system.posix_acl_default xattrs in a binary form that
 * setxattr takes back unchanged, so they are saved as those bytes. Every namespace
 * the daemon can read is saved (user., trusted., security.: file capabilities).
 */
import { readXattrs, type Fd } from '@burrow/fsx';
import { burrow } from '@burrow/common/proto/generated';
import type { FileOptions } from '../fileset/index.js';

export const ACL_ACCESS = Buffer.from('system.posix_acl_access');
export const ACL_DEFAULT = Buffer.from('system.posix_acl_default');

/** errno codes meaning "this file system has no xattrs": nothing to save, nothing to say. */
const UNSUPPORTED = new Set(['ENOTSUP', 'EOPNOTSUPP']);

/** Fills attrs.xattrs / aclAccess / aclDefault as the options ask; a read failure is reported through `warn`. */
export function readExtendedAttributes(
  at: { readonly dir: Fd; readonly name: Buffer },
  attrs: burrow.FileAttributes.$Properties,
  options: FileOptions,
  warn: (message: string) => void,
): void {
  if (!options.xattrs && !options.acls) return;
  let all;
  try {
    all = readXattrs(at.dir, at.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!UNSUPPORTED.has(code)) warn(`cannot read extended attributes: ${(err as Error).message}`);
    return;
  }
  const xattrs: burrow.Xattr.$Properties[] = [];
  for (const x of all) {
    if (x.name.equals(ACL_ACCESS)) {
      if (options.acls) attrs.aclAccess = x.value;
    } else if (x.name.equals(ACL_DEFAULT)) {
      if (options.acls) attrs.aclDefault = x.value;
    } else if (options.xattrs) {
      xattrs.push({ name: x.name, value: x.value });
    }
  }
  if (xattrs.length > 0) attrs.xattrs = xattrs;
}
