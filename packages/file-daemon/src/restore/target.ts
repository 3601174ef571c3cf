/**
 * Where a record's path lands, and the safety rules on the way there (DESIGN.md,
 * "Rules for data"): a path with `..` components or NUL bytes is refused; with a
 * `where`, the result always lies below it.
 *
 * Nothing is ever resolved as a whole path. The restore location is opened once, and
 * every directory below it is opened relative to its parent's descriptor with
 * O_NOFOLLOW|O_DIRECTORY (@burrow/fsx), created first when missing. So a symlink in
 * the restore path — planted beforehand, swapped in by another process meanwhile, or
 * made by this very restore — is never followed (RESOLVE_BENEATH by construction),
 * and paths longer than the kernel's 4096 bytes work.
 *
 * Restoring to the original place (empty where) starts from "/": there, root-owned
 * symlinks to directories that this restore did not make (/lib -> usr/lib) are
 * followed, as the administrator's own; any other symlink in the way is refused.
 */
import { mkdir } from 'node:fs/promises';
import { AT_FDCWD, chownAt, closeFd, mkdirAt, openDirAt, statAt, statFd, type Fd } from '@burrow/fsx';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { checkOwnEntry, openOwnLocation, type RestoreOwner } from './owner.js';

const SLASH = 0x2f;

export interface ResolvedPath {
  /** Absolute path on this machine, for messages only. */
  readonly path: Buffer;
  /** Components from the restore location down to the parent directory. */
  readonly dirs: readonly Buffer[];
  /** Final component (empty when the record names the location itself). */
  readonly name: Buffer;
  readonly depth: number;
}

const SLASH_BYTES = Buffer.from('/');
const DOT = Buffer.from('.');

/**
 * The components of `raw`; `canonical` when `raw` is exactly "/" and its components
 * joined by "/" (no empty or "." component, no trailing slash): then `raw` itself is
 * the path below the location, as almost every record's path is.
 */
function splitComponents(raw: Buffer): { comps: Buffer[]; canonical: boolean } {
  const comps: Buffer[] = [];
  let canonical = raw[0] === SLASH;
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== SLASH) continue;
    const c = raw.subarray(start, i);
    start = i + 1;
    if (c.length === 0 || (c.length === 1 && c[0] === 0x2e)) {
      if (i > 0) canonical = false;
      continue;
    }
    if (c.length === 2 && c[0] === 0x2e && c[1] === 0x2e) throw hostile(raw, 'has a ".." component');
    comps.push(c);
  }
  return { comps, canonical };
}

/** "/" and the components joined by "/": the path they name below a location. */
function joinComponents(comps: readonly Buffer[]): Buffer {
  return Buffer.concat(comps.flatMap((c) => [SLASH_BYTES, c]));
}

function hostile(raw: Buffer, why: string): BurrowError {
  return new BurrowError('HOSTILE_PATH', `refusing path ${displayPath(raw)}: ${why}`);
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

interface OpenDir {
  readonly name: Buffer;
  readonly fd: Fd;
}

export class RestoreTarget {
  private readonly base: Buffer;
  private readonly original: boolean;
  private readonly isRoot = process.getuid?.() === 0;
  /** Symlinks this restore created (absolute paths, latin1); only kept for original-place restores. */
  private readonly madeLinks = new Set<string>();
  private baseFd: Fd = -1;
  /** The directories of the last parent opened, from the base down: most files share a parent with the one before. */
  private chain: OpenDir[] = [];

  /** `owner`: a user's own restore (owner.ts) — an existing location of theirs, directories made theirs. */
  constructor(where: Buffer, private readonly owner?: RestoreOwner) {
    this.original = where.length === 0;
    if (!this.original && (where[0] !== SLASH || where.includes(0))) {
      throw new BurrowError('BAD_REQUEST', 'restore location (where) must be an absolute path');
    }
    const comps = this.original ? [] : splitComponents(where).comps;
    this.base = comps.length === 0 ? Buffer.from('/') : joinComponents(comps);
  }

  /** Maps a record path under the restore location; throws HOSTILE_PATH. */
  resolve(recordPath: Uint8Array): ResolvedPath {
    const raw = Buffer.from(recordPath);
    if (raw.includes(0)) throw hostile(raw, 'contains a NUL byte');
    if (raw.length === 0) throw hostile(raw, 'is empty');
    if (this.original && raw[0] !== SLASH) throw hostile(raw, 'is relative');
    const { comps, canonical } = splitComponents(raw);
    if (comps.length === 0) return { path: this.base, dirs: [], name: Buffer.alloc(0), depth: 0 };
    const below = canonical ? raw : joinComponents(comps);
    const path = this.base.length === 1 ? below : Buffer.concat([this.base, below]);
    return { path, dirs: comps.slice(0, -1), name: comps[comps.length - 1]!, depth: comps.length };
  }

  /** Creates and opens the restore location itself (trusted: it comes from the Director). */
  async prepareBase(): Promise<void> {
    if (this.owner) {
      this.baseFd = openOwnLocation(this.base, this.owner);
      return;
    }
    if (!this.original) await mkdir(this.base, { recursive: true, mode: 0o700 });
    this.baseFd = openDirAt(AT_FDCWD, this.base, true);
  }

  /** Records a symlink (or a hard link, which may be one) the restore just made. */
  noteLink(t: ResolvedPath): void {
    if (this.original) this.madeLinks.add(t.path.toString('latin1'));
  }

  /**
   * The open parent directory of `t`, creating missing directories (reported to
   * `created`; none made when null). The descriptor stays owned by the target, valid
   * until the next parentOf, openInChain or close.
   */
  parentOf(t: ResolvedPath, created: ((dir: ResolvedPath) => void) | null): Fd {
    let keep = 0;
    while (keep < this.chain.length && keep < t.dirs.length && (this.chain[keep] as OpenDir).name.equals(t.dirs[keep] as Buffer)) keep++;
    for (const d of this.chain.splice(keep)) closeFd(d.fd);
    for (let i = keep; i < t.dirs.length; i++) {
      const at = this.chain[i - 1]?.fd ?? this.baseFd;
      const sub = this.resolve(joinComponents(t.dirs.slice(0, i + 1)));
      this.chain.push({ name: t.dirs[i] as Buffer, fd: this.openStep(at, sub, created) });
    }
    return this.chain[this.chain.length - 1]?.fd ?? this.baseFd;
  }

  /**
   * Opens the directory `t` names (its own descriptor, for the caller to close), its
   * parent reached through the chain parentOf keeps, nothing created: for a pass over
   * many directories in path order, where each is one open, not one per component.
   */
  openInChain(t: ResolvedPath): Fd {
    if (t.depth === 0) return openDirAt(this.baseFd, DOT);
    return this.openStep(this.parentOf(t, null), t, null);
  }

  /** Opens the directory `t` names (its own descriptor, for the caller to close); nothing is created. */
  openDirectory(t: ResolvedPath): Fd {
    let fd = openDirAt(this.baseFd, DOT);
    try {
      for (let i = 0; i < t.depth; i++) {
        const sub = this.resolve(joinComponents([...t.dirs, t.name].slice(0, i + 1)));
        const next = this.openStep(fd, sub, null);
        closeFd(fd);
        fd = next;
      }
      return fd;
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  }

  /** One step down: the directory `sub.name` in `at`, never through a symlink (but see the original-place rule). */
  private openStep(at: Fd, sub: ResolvedPath, created: ((dir: ResolvedPath) => void) | null): Fd {
    try {
      const fd = openDirAt(at, sub.name);
      if (this.owner) this.checkOwn(fd, sub);
      return fd;
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'ENOENT' && created !== null) {
        this.makeDirectory(at, sub.name);
        created(sub);
        const fd = openDirAt(at, sub.name);
        if (this.owner) this.checkOwn(fd, sub);
        return fd;
      }
      if (code !== 'ELOOP' && code !== 'ENOTDIR') throw err;
    }
    const st = statAt(at, sub.name);
    const isLink = (st.mode & 0o170000) === 0o120000;
    if (isLink && this.original && this.isRoot && st.uid === 0 && !this.madeLinks.has(sub.path.toString('latin1'))) {
      return openDirAt(at, sub.name, true);
    }
    if (isLink) throw hostile(sub.path, 'its parent chain holds a symlink');
    throw new BurrowError('FILE_ACCESS', `${displayPath(sub.path)} is in the way and not a directory`);
  }

  /** A directory this restore makes; a user's restore makes it theirs before it is used. */
  makeDirectory(at: Fd, name: Buffer): void {
    mkdirAt(at, name, 0o700);
    // Not following a symlink: one swapped in meanwhile gains nothing.
    if (this.owner) chownAt(at, name, this.owner.uid, this.owner.gid);
  }

  private checkOwn(fd: Fd, sub: ResolvedPath): void {
    try {
      checkOwnEntry(statFd(fd), this.owner as RestoreOwner, sub.path);
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  }

  close(): void {
    for (const d of this.chain.splice(0)) closeFd(d.fd);
    if (this.baseFd >= 0) closeFd(this.baseFd);
    this.baseFd = -1;
  }
}
