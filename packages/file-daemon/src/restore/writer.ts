/**
 * RestoreWriter: turns the records of a restore, in order, back into files. Each
 * file's ATTRIBUTES record opens it, its data records fill it, the next ATTRIBUTES
 * (or finish()) closes it. Directories get their attributes in finish(), deepest
 * first, so their contents could still be written and their times are not touched
 * afterwards. Per-file problems go to onFileIssue; the job decides what they mean.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, rename, symlink, unlink } from 'node:fs/promises';
import { BurrowError, describeError, toBurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { FileIssueHandler, FileRecord } from '../backup/index.js';
import { applyToPath } from './apply.js';
import { PendingFile } from './regular.js';
import { decideReplace, type ReplaceMode } from './replace.js';
import { makeSpecialNode } from './special.js';
import { RestoreTarget, type ResolvedPath } from './target.js';

export interface RestoreOptions {
  /** Restore location; empty: the files' original places. */
  readonly where: Buffer;
  readonly replace: ReplaceMode;
  readonly signal: AbortSignal;
  readonly onFileIssue: FileIssueHandler;
}

export interface RestoreTotals {
  files: number;
  bytes: number;
  errors: number;
}

type Attrs = burrow.FileAttributes;
const T = burrow.FileType;

interface DirToFinish {
  readonly path: Buffer;
  readonly depth: number;
  readonly attrs: Attrs;
}

export class RestoreWriter {
  private readonly totals: RestoreTotals = { files: 0, bytes: 0, errors: 0 };
  private readonly target: RestoreTarget;
  private readonly dirs: DirToFinish[] = [];
  /** Directories this restore made (their attributes are always applied). */
  private readonly made = new Set<string>();
  /** Restored names of inodes with several links, by file index: the only per-inode state. */
  private readonly linkTargets = new Map<number, Buffer>();
  private lastIndex = 0;
  private current: { index: number; path: Buffer; file: PendingFile | null } | null = null;
  private digestGuess: burrow.DigestAlgorithm | null = null;
  private started = false;

  constructor(private readonly o: RestoreOptions) {
    this.target = new RestoreTarget(o.where);
  }

  private report(path: Buffer, severity: 'info' | 'warning' | 'error', err: unknown): void {
    if (severity === 'error') this.totals.errors++;
    const code = err instanceof BurrowError ? err.code : 'FILE_ACCESS';
    this.o.onFileIssue({ path, severity, message: describeError(err), code });
  }

  async accept(rec: FileRecord): Promise<void> {
    if (this.o.signal.aborted) throw new BurrowError('JOB_CANCELED', 'the restore was canceled', { cause: this.o.signal.reason });
    if (!this.started) {
      await this.target.prepareBase();
      this.started = true;
    }
    if (rec.stream === burrow.Stream.STREAM_ATTRIBUTES) return this.startFile(rec);
    const cur = this.current;
    if (cur === null || cur.index !== rec.fileIndex) {
      if (rec.fileIndex !== this.lastIndex) {
        this.report(Buffer.alloc(0), 'error', new BurrowError('VOLUME_FORMAT', `record for file index ${rec.fileIndex} without attributes`));
      }
      return; // the rest of a file that was refused or skipped
    }
    if (cur.file === null) return;
    try {
      if (rec.stream === burrow.Stream.STREAM_DATA || rec.stream === burrow.Stream.STREAM_GZIP_DATA) {
        this.totals.bytes += await cur.file.write(rec.stream, rec.data);
      } else if (rec.stream === burrow.Stream.STREAM_DIGEST) {
        const d = burrow.FileDigest.decode(rec.data);
        this.digestGuess = d.algorithm;
        cur.file.setDigest(d);
      } else {
        throw new BurrowError('VOLUME_FORMAT', `unknown stream ${rec.stream}`);
      }
    } catch (err) {
      await cur.file.abandon();
      cur.file = null;
      this.report(cur.path, 'error', err);
    }
  }

  private async startFile(rec: FileRecord): Promise<void> {
    await this.closeCurrent();
    let attrs: Attrs;
    try {
      attrs = burrow.FileAttributes.decode(rec.data);
    } catch (err) {
      this.report(Buffer.alloc(0), 'error', new BurrowError('VOLUME_FORMAT', 'undecodable attributes record', { cause: err }));
      return;
    }
    const path = Buffer.from(attrs.path);
    if (rec.fileIndex <= this.lastIndex) {
      this.report(path, 'error', new BurrowError('VOLUME_FORMAT', `file index ${rec.fileIndex} out of order`));
      return;
    }
    this.lastIndex = rec.fileIndex;
    this.current = { index: rec.fileIndex, path, file: null };
    try {
      const target = this.target.resolve(attrs.path);
      if (target.depth === 0 && attrs.type !== T.FT_DIRECTORY) {
        throw new BurrowError('HOSTILE_PATH', 'only a directory may stand for the restore location itself');
      }
      await this.target.prepareParent(target, (dir) => this.made.add(dir.toString('latin1')));
      const done = await this.createEntry(rec.fileIndex, target, attrs);
      if (done) this.totals.files++;
    } catch (err) {
      this.report(path, 'error', toBurrowError(err, 'FILE_ACCESS'));
    }
  }

  /** Creates the entry; returns false when it was left alone (replace rules). */
  private async createEntry(index: number, t: ResolvedPath, attrs: Attrs): Promise<boolean> {
    if (attrs.type === T.FT_DIRECTORY) return this.createDirectory(t, attrs);
    const existing = await lstat(t.path, { bigint: true }).catch(() => null);
    if (existing?.isDirectory() === true) {
      throw new BurrowError('FILE_ACCESS', 'a directory is in the way');
    }
    if (existing !== null && !decideReplace(this.o.replace, existing, attrs.mtime)) {
      this.report(t.path, 'info', `exists; not replaced (replace=${this.o.replace})`);
      return false;
    }
    const tmpName = `.burrow-restore-${index}-${randomBytes(6).toString('hex')}`;
    const tmp = Buffer.concat([t.parent, Buffer.from(t.parent.length === 1 ? '' : '/'), Buffer.from(tmpName)]);
    if (attrs.nlink > 1) this.linkTargets.set(index, t.path);
    switch (attrs.type) {
      case T.FT_REGULAR: {
        const file = await PendingFile.create(tmp, t.path, attrs, this.digestGuess);
        if (this.current !== null) this.current.file = file;
        return true;
      }
      case T.FT_SYMLINK:
        await symlink(Buffer.from(attrs.linkTarget), tmp);
        break;
      case T.FT_FIFO:
        await makeSpecialNode(t.parent, tmpName, { kind: 'fifo' }, this.o.signal);
        break;
      case T.FT_CHAR_DEVICE:
      case T.FT_BLOCK_DEVICE: {
        const kind = attrs.type === T.FT_CHAR_DEVICE ? 'char' : 'block';
        await makeSpecialNode(t.parent, tmpName, { kind, major: attrs.rdevMajor, minor: attrs.rdevMinor }, this.o.signal);
        break;
      }
      case T.FT_HARDLINK:
        return this.createHardLink(tmp, t, attrs);
      default:
        throw new BurrowError('VOLUME_FORMAT', `file type ${attrs.type} cannot be restored`);
    }
    await this.placeNode(tmp, t.path, attrs);
    return true;
  }

  private async placeNode(tmp: Buffer, final: Buffer, attrs: Attrs): Promise<void> {
    try {
      await applyToPath(tmp, attrs, attrs.type === T.FT_SYMLINK);
      await rename(tmp, final);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    if (attrs.type === T.FT_SYMLINK) this.target.noteLink(final);
  }

  private async createHardLink(tmp: Buffer, t: ResolvedPath, attrs: Attrs): Promise<boolean> {
    const first = this.linkTargets.get(attrs.hardlinkFileIndex);
    if (first === undefined) {
      throw new BurrowError('NOT_FOUND', `hard link target ${JSON.stringify(Buffer.from(attrs.hardlinkTarget).toString('latin1'))} was not restored`);
    }
    // link(2) does not follow a symlink at its source, so a linked symlink stays one.
    await link(first, tmp);
    try {
      await rename(tmp, t.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    this.target.noteLink(t.path);
    return true;
  }

  private async createDirectory(t: ResolvedPath, attrs: Attrs): Promise<boolean> {
    const key = t.path.toString('latin1');
    const existing = await lstat(t.path, { bigint: true }).catch(() => null);
    if (existing === null) {
      await mkdir(t.path, { mode: 0o700 });
      this.made.add(key);
    } else if (!existing.isDirectory()) {
      throw new BurrowError('FILE_ACCESS', 'something other than a directory is in the way');
    } else if (!this.made.has(key) && !decideReplace(this.o.replace, existing, attrs.mtime)) {
      this.report(t.path, 'info', `directory exists; attributes kept (replace=${this.o.replace})`);
      return false;
    }
    this.dirs.push({ path: t.path, depth: t.depth, attrs });
    return true;
  }

  private async closeCurrent(): Promise<void> {
    const cur = this.current;
    this.current = null;
    if (cur?.file == null) return;
    try {
      const problem = await cur.file.commit();
      if (problem !== null) this.report(cur.path, 'error', new BurrowError('FILE_ACCESS', problem));
    } catch (err) {
      await cur.file.abandon();
      this.report(cur.path, 'error', err);
    }
  }

  /** Closes the last file and applies directory attributes, deepest first. */
  async finish(): Promise<RestoreTotals> {
    await this.closeCurrent();
    const dirs = this.dirs.splice(0).sort((a, b) => b.depth - a.depth);
    for (const d of dirs) {
      try {
        const st = await lstat(d.path);
        if (!st.isDirectory()) throw new BurrowError('FILE_ACCESS', 'is no longer a directory');
        await applyToPath(d.path, d.attrs, false);
      } catch (err) {
        this.report(d.path, 'error', err);
      }
    }
    return { ...this.totals };
  }
}
