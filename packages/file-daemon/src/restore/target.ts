/**
 * Where a record's path lands, and the safety rules on the way there (DESIGN.md,
 * "Rules for data"): a path with `..` components or NUL bytes is refused; with a
 * `where`, the result always lies below it; the parent chain is created with lstat
 * checks on every component so nothing is ever written through a symlink — a
 * restored tree may hold symlinks to anywhere, and later files must not follow them.
 *
 * Restoring to the original place (empty where) checks the chain from "/": symlinks
 * the restore itself made, or that are not owned by root, are refused; root-owned
 * system links (/lib -> usr/lib) are followed, as the administrator's own.
 *
 * Known limit: Node has no openat/O_PATH, so a symlink swapped in by another process
 * between the check and the use is not caught; the restore itself never does that.
 */
import { lstat, mkdir, stat } from 'node:fs/promises';
import { BurrowError } from '@burrow/common/errors/index';

const SLASH = 0x2f;

export interface ResolvedPath {
  /** Absolute path on this machine. */
  readonly path: Buffer;
  /** The parent directory of `path`. */
  readonly parent: Buffer;
  /** Final component (empty when the record names the base itself). */
  readonly name: Buffer;
  readonly depth: number;
}

function join(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 1 && dir[0] === SLASH ? Buffer.concat([dir, name]) : Buffer.concat([dir, Buffer.of(SLASH), name]);
}

function splitComponents(raw: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== SLASH) continue;
    const c = raw.subarray(start, i);
    start = i + 1;
    if (c.length === 0 || (c.length === 1 && c[0] === 0x2e)) continue;
    if (c.length === 2 && c[0] === 0x2e && c[1] === 0x2e) throw hostile(raw, 'has a ".." component');
    out.push(c);
  }
  return out;
}

function hostile(raw: Buffer, why: string): BurrowError {
  return new BurrowError('HOSTILE_PATH', `refusing path ${JSON.stringify(raw.toString('latin1'))}: ${why}`);
}

export class RestoreTarget {
  private readonly base: Buffer;
  private readonly original: boolean;
  private readonly isRoot = process.getuid?.() === 0;
  /** Symlinks this restore created; only kept for original-place restores. */
  private readonly madeLinks = new Set<string>();
  /** The last parent directory verified (most files share their parent with the previous one). */
  private verified: Buffer | null = null;

  constructor(where: Buffer) {
    this.original = where.length === 0;
    if (!this.original && (where[0] !== SLASH || where.includes(0))) {
      throw new BurrowError('BAD_REQUEST', 'restore location (where) must be an absolute path');
    }
    const comps = this.original ? [] : splitComponents(where);
    this.base = comps.length === 0 ? Buffer.from('/') : Buffer.concat(comps.flatMap((c) => [Buffer.from('/'), c]));
  }

  /** Maps a record path under the restore location; throws HOSTILE_PATH. */
  resolve(recordPath: Uint8Array): ResolvedPath {
    const raw = Buffer.from(recordPath);
    if (raw.includes(0)) throw hostile(raw, 'contains a NUL byte');
    if (raw.length === 0) throw hostile(raw, 'is empty');
    if (this.original && raw[0] !== SLASH) throw hostile(raw, 'is relative');
    const comps = splitComponents(raw);
    let path = this.base;
    let parent = this.base;
    for (const c of comps) {
      parent = path;
      path = join(path, c);
    }
    const name = comps[comps.length - 1] ?? Buffer.alloc(0);
    return { path, parent, name, depth: comps.length };
  }

  /** Creates the restore location itself (trusted: it comes from the Director). */
  async prepareBase(): Promise<void> {
    if (!this.original) await mkdir(this.base, { recursive: true, mode: 0o700 });
  }

  /** Records a symlink (or a hard link, which may be one) the restore just made. */
  noteLink(path: Buffer): void {
    this.verified = null;
    if (this.original) this.madeLinks.add(path.toString('latin1'));
  }

  /** Makes sure every directory between the base and `target.parent` exists and is no symlink. */
  async prepareParent(target: ResolvedPath, created: (dir: Buffer) => void): Promise<void> {
    if (target.depth === 0 || (this.verified !== null && this.verified.equals(target.parent))) return;
    const comps = splitComponents(target.parent.subarray(this.base.length));
    let dir = this.base;
    for (const c of comps) {
      dir = join(dir, c);
      await this.checkDir(dir, created);
    }
    this.verified = target.parent;
  }

  private async checkDir(dir: Buffer, created: (dir: Buffer) => void): Promise<void> {
    let st = await lstat(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (st === null) {
      await mkdir(dir, { mode: 0o700 });
      created(dir);
      st = await lstat(dir);
    }
    if (st.isDirectory()) return;
    if (st.isSymbolicLink() && this.original && this.isRoot) {
      const owner = st.uid;
      const target = await stat(dir);
      if (owner === 0 && target.isDirectory() && !this.madeLinks.has(dir.toString('latin1'))) return;
    }
    if (st.isSymbolicLink()) throw hostile(dir, 'its parent chain holds a symlink');
    throw new BurrowError('FILE_ACCESS', `${dir.toString('latin1')} is in the way and not a directory`);
  }
}
