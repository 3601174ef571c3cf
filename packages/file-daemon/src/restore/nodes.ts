/**
 * Creates the non-regular entries of a restore — symlinks, FIFOs, device nodes, hard
 * links — in their open parent directory, so nothing is reached through a path. Where
 * the name is free they are made under it (`tmp` is `name`), as regular files are
 * (regular.ts): a temporary name and a rename bought nothing there and cost a lookup,
 * the rename and its journal work per entry. Where something has the name, they are
 * made under a temporary name, given their attributes, and renamed over it, so what
 * was there stays whole until the new entry is complete.
 */
import { linkAt, mknodAt, renameAt, symlinkAt, unlinkAt, type Fd } from '@burrow/fsx';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { applyAt } from './apply.js';

type Attrs = burrow.FileAttributes;
const T = burrow.FileType;

export interface NodePlace {
  readonly dir: Fd;
  /** The name made, then renamed to `name`; `name` itself where that is free (nothing to rename). */
  readonly tmp: Buffer;
  readonly name: Buffer;
}

/** Where the first name of a hard-link set was restored: its open directory and name. */
export interface LinkSource {
  readonly dir: Fd;
  readonly name: Buffer;
}

function make(p: NodePlace, attrs: Attrs): void {
  switch (attrs.type) {
    case T.FT_SYMLINK:
      symlinkAt(Buffer.from(attrs.linkTarget), p.dir, p.tmp);
      return;
    case T.FT_FIFO:
      mknodAt(p.dir, p.tmp, { kind: 'fifo' }, 0o600);
      return;
    case T.FT_CHAR_DEVICE:
    case T.FT_BLOCK_DEVICE:
      mknodAt(p.dir, p.tmp, { kind: attrs.type === T.FT_CHAR_DEVICE ? 'char' : 'block', major: attrs.rdevMajor, minor: attrs.rdevMinor }, 0o600);
      return;
    default:
      throw new BurrowError('VOLUME_FORMAT', `file type ${attrs.type} cannot be restored`);
  }
}

function moveIntoPlace(p: NodePlace): void {
  if (p.tmp === p.name) return;
  try {
    renameAt(p.dir, p.tmp, p.dir, p.name);
  } catch (err) {
    unlinkAt(p.dir, p.tmp);
    throw err;
  }
}

/** Makes a symlink, FIFO or device node; returns the attributes that could not be set. */
export function makeNode(p: NodePlace, attrs: Attrs): string[] {
  make(p, attrs);
  let warnings: string[];
  try {
    warnings = applyAt(p.dir, p.tmp, attrs, attrs.type === T.FT_SYMLINK);
  } catch (err) {
    unlinkAt(p.dir, p.tmp);
    throw err;
  }
  moveIntoPlace(p);
  return warnings;
}

/** A second name for an inode restored earlier; link(2) does not follow a symlink at its source, so a linked symlink stays one. */
export function makeHardLink(p: NodePlace, from: LinkSource): void {
  linkAt(from.dir, from.name, p.dir, p.tmp);
  moveIntoPlace(p);
}
