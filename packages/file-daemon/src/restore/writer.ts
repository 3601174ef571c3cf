/**
 * RestoreWriter: turns the records of a restore, in order, back into files. Each
 * file's ATTRIBUTES record opens it, its data records fill it, the next ATTRIBUTES
 * (or finish()) closes it. Directories get their attributes in finish(), deepest
 * first, so their contents could still be written and their times are not touched
 * afterwards. Per-file problems go to onFileIssue; the job decides what they mean.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { closeFd, kindOf, openAt, statAt, statAtOrNull, type EntryStat, type Fd } from '@burrow/fsx';
import { BurrowError, describeError, toBurrowError } from '@burrow/common/errors/index';
import { burrow, isDataStream } from '@burrow/common/proto/index';
import type { FileIssueHandler, FileRecord } from '../backup/index.js';
import { applyAt } from './apply.js';
import { makeHardLink, makeNode, type NodePlace } from './nodes.js';
import { PendingFile, type CommitResult } from './regular.js';
import { StreamedDigest, type DigestGuess } from './streamed-digest.js';
import { batchable, SmallFile, SmallFiles, type SmallPlace } from './small.js';
import type { Hashers } from '../digest/hashers.js';
import { decideReplace, type ReplaceMode } from './replace.js';
import { RestoreTarget, type ResolvedPath } from './target.js';
import type { CommandRefusal } from '../fileset/lists.js';
import { rewritePath, rewrittenPathProblem, type Rewrite } from '@burrow/common/names/rewrite';
import { displayPath } from '@burrow/common/names/index';
import { commandOutput, deviceOutput, fifoOutput, OrderedTarget, type DataTarget } from './targets.js';
import { checkOwnEntry, ownedAttributes, type RestoreOwner } from './owner.js';

export interface RestoreOptions {
  /** Restore location; empty: the files' original places. */
  readonly where: Buffer;
  readonly replace: ReplaceMode;
  readonly signal: AbortSignal;
  readonly onFileIssue: FileIssueHandler;
  /**
   * Why the client will not run a bpipe writer command, or undefined when it will.
   * Absent: none runs (such files can still be restored as files with where=).
   */
  readonly commandRefusal?: CommandRefusal;
  /**
   * RegexWhere rewrites (then `where` is empty): each rewritten name is where the file
   * lands, refused unless it is absolute and free of `..` (common/names/rewrite.ts),
   * and placed by the target under the same rules as any original-place restore.
   */
  readonly rewrites?: readonly Rewrite[];
  /** A user's own restore (owner.ts): `where` must be theirs and everything made is theirs. */
  readonly owner?: RestoreOwner;
  /** The job's hashers, to check each file's DIGEST record. */
  readonly hashers: Hashers;
}

export interface RestoreTotals {
  files: number;
  bytes: number;
  errors: number;
}

type Attrs = burrow.FileAttributes;
const T = burrow.FileType;

interface DirToFinish {
  readonly target: ResolvedPath;
  readonly attrs: Attrs;
}

const SELF = Buffer.alloc(0);

/** The directory `t` lies in, as a place of its own. */
function parentOf(t: ResolvedPath): ResolvedPath {
  return { path: t.path.subarray(0, Math.max(1, t.path.length - t.name.length - 1)), name: t.dirs[t.dirs.length - 1] ?? SELF, dirs: t.dirs.slice(0, -1), depth: t.depth - 1 };
}

/**
 * A directory's place and attributes copied out of the record they were decoded from.
 * Directories wait for the end of the restore, and the decoded fields are views of the
 * frame that carried them (up to 1 MiB): keeping them kept whole frames alive, 15 KiB
 * a directory on average, tens of MiB for a tree of a few thousand directories.
 */
function detached(t: ResolvedPath, attrs: Attrs): DirToFinish {
  const copy = (b: Buffer): Buffer => Buffer.from(b);
  return {
    target: { path: copy(t.path), dirs: t.dirs.map(copy), name: copy(t.name), depth: t.depth },
    attrs: burrow.FileAttributes.decode(burrow.FileAttributes.encode(attrs).finish()),
  };
}
/** Small files' digest checks outstanding (on the digest thread) before the restore waits for some. */
const MAX_CHECKS_OUT = 16_384;
/** where=/ restores to the original places, as no where= does. */
const ROOT = Buffer.from('/');


export class RestoreWriter {
  private readonly totals: RestoreTotals = { files: 0, bytes: 0, errors: 0 };
  private readonly target: RestoreTarget;
  private readonly dirs: DirToFinish[] = [];
  /** Directories this restore made (their attributes are always applied). */
  private readonly made = new Set<string>();
  /** Restored names of inodes with several links, by file index: the only per-inode state. */
  private readonly linkTargets = new Map<number, ResolvedPath>();
  /** Digest checks of small files still out on the digest thread (regular.ts: checkLater), and who waits for fewer. */
  private checksOut = 0;
  private checkWaiters: Array<{ atMost: number; wake: () => void }> = [];
  private lastIndex = 0;
  /** The job whose session the records come from (0: not said), and the last index reported without attributes. */
  private session = { id: 0, orphan: 0 };
  private current: { index: number; path: Buffer; file: DataTarget | null } | null = null;
  /**
   * The digest algorithm a file's data is hashed with as it streams by: the one the
   * previous file's DIGEST record named. Before any, MD5, the signature FileSets name
   * most: guessing nothing left the first file to be read back and hashed on the main
   * thread at its end, while the Storage daemon waited (a second of a 2 GiB restore).
   * A wrong guess costs what no guess did: that one file is read back.
   */
  private digestGuess: burrow.DigestAlgorithm | null = burrow.DigestAlgorithm.DIGEST_MD5;
  private started = false;
  /** Small new files made in batches on libuv's pool (small.ts). */
  private readonly small: SmallFiles;

  constructor(private readonly o: RestoreOptions) {
    this.target = new RestoreTarget(o.where, o.owner);
    this.small = new SmallFiles({
      failed: (path, err) => {
        this.totals.files--;
        this.report(path, 'error', toBurrowError(err, 'FILE_ACCESS'));
      },
      remake: (place, attrs, data) => this.remakeSmall(place, attrs, data),
    });
  }

  private guess(): DigestGuess {
    return { hashers: this.o.hashers, guess: this.digestGuess };
  }

  /** How a regular file's data is hashed as it streams by, to check its DIGEST record. */
  private digestFor(attrs: Attrs): StreamedDigest {
    return new StreamedDigest(this.guess(), Number(attrs.size));
  }

  /** The name a rewrite gives `path`; HOSTILE_PATH when no restore may write there. */
  private rewritten(path: Uint8Array): Buffer {
    const to = rewritePath(this.o.rewrites ?? [], path);
    const problem = rewrittenPathProblem(to);
    if (problem) throw new BurrowError('HOSTILE_PATH', `refusing path ${displayPath(to)} (regexwhere's rewrite of ${displayPath(path)}): ${problem}`);
    return to;
  }

  private warnAll(path: Buffer, warnings: readonly string[]): void {
    for (const w of warnings) this.o.onFileIssue({ path, severity: 'warning', message: w, code: 'FILE_ACCESS' });
  }

  /** How far the restore got (status client): files and bytes written, the file at hand. */
  progress(): { files: number; bytes: number; file: Buffer | null } {
    return { files: this.totals.files, bytes: this.totals.bytes, file: this.current?.path ?? null };
  }

  private report(path: Buffer, severity: 'info' | 'warning' | 'error', err: unknown): void {
    if (severity === 'error') this.totals.errors++;
    const code = err instanceof BurrowError ? err.code : 'FILE_ACCESS';
    this.o.onFileIssue({ path, severity, message: describeError(err), code });
  }

  /**
   * The records that follow come from another backup job (the next of a Full +
   * Differential + Incrementals chain): file indexes, and the hard links that refer
   * to them, start again.
   */
  async startSession(sessionId = 0): Promise<void> {
    await this.closeCurrent();
    await this.small.drain(); // the next session may restore the same names again
    this.current = null;
    this.lastIndex = 0;
    this.session = { id: sessionId, orphan: 0 };
    this.linkTargets.clear();
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
      // Once per file: its attributes (and name) were lost, the Director names it by number.
      if (rec.fileIndex !== this.lastIndex && rec.fileIndex !== this.session.orphan) {
        this.session.orphan = rec.fileIndex;
        this.totals.errors++;
        this.o.onFileIssue({
          path: Buffer.alloc(0), severity: 'error', code: 'VOLUME_FORMAT',
          message: 'not restored: its records came without its attributes record (lost on the volume)',
          byNumber: { sessionId: this.session.id, fileIndex: rec.fileIndex },
        });
      }
      return; // the rest of a file that was refused, skipped or lost
    }
    if (cur.file === null) return;
    try {
      if (isDataStream(rec.stream)) {
        this.totals.bytes += await cur.file.write(rec.stream, rec.data, rec.release);
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
    // bpipe: back into the writer command, unless the restore goes elsewhere (where=).
    const original = (this.o.where.length === 0 || this.o.where.equals(ROOT)) && !this.o.rewrites?.length;
    if (attrs.restoreCommand !== '' && original) return this.startPipe(path, attrs);
    try {
      if (this.o.owner) attrs = ownedAttributes(attrs, this.o.owner);
      const target = this.target.resolve(this.o.rewrites?.length ? this.rewritten(attrs.path) : attrs.path);
      if (target.depth === 0 && attrs.type !== T.FT_DIRECTORY) {
        throw new BurrowError('HOSTILE_PATH', 'only a directory may stand for the restore location itself');
      }
      const done = this.createEntry(rec.fileIndex, target, attrs);
      if (done) this.totals.files++;
    } catch (err) {
      this.report(path, 'error', toBurrowError(err, 'FILE_ACCESS'));
    }
  }

  /** Creates the entry; returns false when it was left alone (replace rules). */
  private createEntry(index: number, t: ResolvedPath, attrs: Attrs): boolean {
    const dir = this.target.parentOf(t, (d) => this.made.add(d.path.toString('latin1')));
    if (attrs.type === T.FT_DIRECTORY) return this.createDirectory(dir, t, attrs);
    const current = this.current;
    // Most names are free (a restore to a new place, or of deleted files): no lookup first.
    if (attrs.type === T.FT_REGULAR && current !== null) {
      if (batchable(attrs)) {
        const place = { dir, at: t, index };
        current.file = new SmallFile(this.small, place, attrs, this.digestFor(attrs), (digest) => this.promoteSmall(place, attrs, digest));
        return true;
      }
      const file = PendingFile.createIfFree(dir, t.name, attrs, this.digestFor(attrs));
      if (file !== null) {
        if (attrs.nlink > 1) this.linkTargets.set(index, t);
        current.file = file;
        return true;
      }
    }
    if (attrs.type !== T.FT_REGULAR && !attrs.withData && this.makeIfFree(dir, index, t, attrs)) return true;
    const { made, file } = this.overExisting(dir, index, t, attrs, null);
    if (current !== null) current.file = file;
    return made;
  }

  /** A symlink, node or hard link made under its own name; false when something has that name (nothing was made). */
  private makeIfFree(dir: Fd, index: number, t: ResolvedPath, attrs: Attrs): boolean {
    try {
      this.makeEntry({ dir, tmp: t.name, name: t.name }, t, attrs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    if (attrs.nlink > 1) this.linkTargets.set(index, t);
    return true;
  }

  /** Makes a symlink, node or hard link at `place`. */
  private makeEntry(place: NodePlace, t: ResolvedPath, attrs: Attrs): void {
    if (attrs.type === T.FT_HARDLINK) {
      this.createHardLink(place, attrs);
    } else {
      this.warnAll(t.path, makeNode(place, attrs));
    }
    if (attrs.type === T.FT_SYMLINK || attrs.type === T.FT_HARDLINK) this.target.noteLink(t);
  }

  /**
   * A small file written the usual way after all (its data was not what its
   * attributes promised, small.ts), while it is still the file at hand: its parent is
   * the target's open directory still. Null when the replace rules keep what is there.
   */
  private promoteSmall(place: SmallPlace, attrs: Attrs, digest: StreamedDigest): PendingFile | null {
    const free = PendingFile.createIfFree(place.dir, place.at.name, attrs, digest);
    if (free !== null) return free;
    const { file } = this.overExisting(place.dir, place.index, place.at, attrs, digest);
    if (file instanceof PendingFile) return file;
    this.totals.files--; // kept what is there (a regular file never gets another target)
    return null;
  }

  /**
   * A small file its batch could not make (its name taken, or no room then): the usual
   * rules decide (replace=, a user's own restore), in a directory opened afresh (the
   * target's has moved on), and `data` is written the usual way. Its digest was checked
   * as it came.
   */
  private async remakeSmall(place: SmallPlace, attrs: Attrs, data: Buffer): Promise<void> {
    const dir = this.target.openDirectory(parentOf(place.at));
    try {
      const unchecked = new StreamedDigest({ hashers: this.o.hashers, guess: null }, data.length);
      const { made, file } = this.overExisting(dir, place.index, place.at, attrs, unchecked);
      if (!made) this.totals.files--;
      if (!(file instanceof PendingFile)) return;
      try {
        await file.writeBytes(0, data);
        const { error, warnings } = await file.commit();
        if (error !== null) this.report(place.at.path, 'error', new BurrowError('FILE_ACCESS', error));
        this.warnAll(place.at.path, warnings);
      } catch (err) {
        await file.abandon();
        throw err;
      }
    } finally {
      closeFd(dir);
    }
  }

  /**
   * Creates the entry where something may have its name already: the replace rules
   * decide (made: false when they keep what is there); a file to be written comes back,
   * its data hashed by `digest` (null: a fresh one).
   */
  private overExisting(dir: Fd, index: number, t: ResolvedPath, attrs: Attrs, digest: StreamedDigest | null): { made: boolean; file: DataTarget | null } {
    const existing = statAtOrNull(dir, t.name);
    if (existing !== null && this.o.owner) checkOwnEntry(existing, this.o.owner, t.path);
    if (existing !== null && kindOf(existing.mode) === 'directory') {
      throw new BurrowError('FILE_ACCESS', 'a directory is in the way');
    }
    if (existing !== null && !decideReplace(this.o.replace, existing, attrs.mtime)) {
      this.report(t.path, 'info', `exists; not replaced (replace=${this.o.replace})`);
      return { made: false, file: null };
    }
    // Unguessable, so nobody can plant the temporary name first (it is opened O_EXCL
    // anyway); randomUUID draws from a cached pool, randomBytes asked the kernel per file.
    const place = { dir, tmp: Buffer.from(`.burrow-restore-${index}-${randomUUID()}`), name: t.name };
    if (attrs.nlink > 1) this.linkTargets.set(index, t);
    const into = attrs.withData && existing !== null ? this.intoExisting(dir, t, attrs, existing) : null;
    if (into !== null) return { made: true, file: into };
    if (attrs.type === T.FT_REGULAR || attrs.withData) {
      return { made: true, file: PendingFile.create(dir, { tmp: place.tmp, final: t.name }, attrs, digest ?? this.digestFor(attrs)) };
    }
    this.makeEntry(place, t, attrs);
    return { made: true, file: null };
  }

  /** The command's output of a bpipe entry, piped into its writer command. */
  private async startPipe(path: Buffer, attrs: Attrs): Promise<void> {
    const command = attrs.restoreCommand;
    const refused = await (this.o.commandRefusal ?? (async () => 'this File daemon runs no restore commands'))(command);
    if (refused !== undefined) {
      this.report(path, 'error', new BurrowError('COMMAND_FAILED', `bpipe writer refused by the client: ${refused}; restore with where= to get the data as a file`));
      return;
    }
    const onStderr = (line: string): void => this.o.onFileIssue({ path, severity: 'info', message: `writer: ${line}` });
    if (this.current !== null) this.current.file = new OrderedTarget(commandOutput(command, this.o.signal, onStderr), this.guess(), null);
    this.totals.files++;
  }

  /**
   * A raw device or FIFO saved with its data, restored onto an existing node of its
   * kind: the data is written into it. Null when what is there is of another kind
   * (then the data becomes a plain file, replacing it).
   */
  private intoExisting(dir: Fd, t: ResolvedPath, attrs: Attrs, existing: EntryStat): DataTarget | null {
    const kind = kindOf(existing.mode);
    const want = attrs.type === T.FT_BLOCK_DEVICE ? 'block' : attrs.type === T.FT_FIFO ? 'fifo' : null;
    if (kind !== want) return null;
    const flags = constants.O_WRONLY | constants.O_NOFOLLOW | (kind === 'fifo' ? constants.O_NONBLOCK : 0);
    let fd: Fd;
    try {
      fd = openAt(dir, t.name, flags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENXIO') throw new BurrowError('FILE_ACCESS', 'no process reads the FIFO, so its data cannot be written into it; restore with where= to get it as a file');
      throw err;
    }
    const out = kind === 'block' ? deviceOutput(fd) : fifoOutput(fd, this.o.signal);
    return new OrderedTarget(out, this.guess(), kind === 'block' ? attrs.size : null);
  }

  private createHardLink(place: NodePlace, attrs: Attrs): void {
    const first = this.linkTargets.get(attrs.hardlinkFileIndex);
    if (first === undefined) {
      throw new BurrowError('NOT_FOUND', `hard link target ${JSON.stringify(Buffer.from(attrs.hardlinkTarget).toString('latin1'))} was not restored`);
    }
    const fromDir = this.target.openDirectory(parentOf(first));
    try {
      makeHardLink(place, { dir: fromDir, name: first.name });
    } finally {
      closeFd(fromDir);
    }
  }

  private createDirectory(dir: Fd, t: ResolvedPath, attrs: Attrs): boolean {
    const key = t.path.toString('latin1');
    const existing = t.depth === 0 ? statAt(dir, SELF) : statAtOrNull(dir, t.name);
    // A user's restore never changes the location itself: it may be a shared directory that is only writable to them.
    if (this.o.owner && t.depth === 0) return false;
    if (existing !== null && this.o.owner) checkOwnEntry(existing, this.o.owner, t.path);
    if (existing === null) {
      this.target.makeDirectory(dir, t.name);
      this.made.add(key);
    } else if (kindOf(existing.mode) !== 'directory') {
      throw new BurrowError('FILE_ACCESS', 'something other than a directory is in the way');
    } else if (!this.made.has(key) && !decideReplace(this.o.replace, existing, attrs.mtime)) {
      this.report(t.path, 'info', `directory exists; attributes kept (replace=${this.o.replace})`);
      return false;
    }
    this.dirs.push(detached(t, attrs));
    return true;
  }

  /**
   * Reports what a file's check after the fact finds, when it comes. Past
   * MAX_CHECKS_OUT checks outstanding the batch goes and the restore waits for answers:
   * memory stays bounded whatever the number of (empty) files.
   */
  private async checkLater(path: Buffer, checkLater: NonNullable<CommitResult['checkLater']>): Promise<void> {
    this.checksOut++;
    checkLater((problem) => {
      if (problem !== null) this.report(path, 'error', new BurrowError('FILE_ACCESS', problem));
      this.checksOut--;
      if (this.checkWaiters.length > 0) this.checkWaiters = this.checkWaiters.filter((w) => {
        if (this.checksOut > w.atMost) return true;
        w.wake();
        return false;
      });
    });
    if (this.checksOut > MAX_CHECKS_OUT) await this.checksDownTo(MAX_CHECKS_OUT / 2);
  }

  /** Sends the batch waiting and resolves once at most `atMost` digest checks are outstanding. */
  private checksDownTo(atMost: number): Promise<void> {
    this.o.hashers.flushDeferred();
    if (this.checksOut <= atMost) return Promise.resolve();
    return new Promise((wake) => this.checkWaiters.push({ atMost, wake }));
  }

  private async closeCurrent(): Promise<void> {
    const cur = this.current;
    this.current = null;
    if (cur?.file == null) {
      await this.small.retryNoSpace(); // the file before may have failed and given its space back
      return;
    }
    try {
      const { error, warnings, checkLater } = await cur.file.commit();
      if (error !== null) this.report(cur.path, 'error', new BurrowError('FILE_ACCESS', error));
      this.warnAll(cur.path, warnings);
      if (checkLater !== undefined) await this.checkLater(cur.path, checkLater);
    } catch (err) {
      await cur.file.abandon();
      this.report(cur.path, 'error', err);
    }
    if (!(cur.file instanceof SmallFile)) await this.small.retryNoSpace();
  }

  /** Gives up after a failed stream: drops the file being written and closes every descriptor. */
  abandon(): void {
    // Its name goes before this returns (before the directories close); the rest may end later.
    void this.current?.file?.abandon();
    this.small.abandon();
    this.current = null;
    this.target.close();
  }

  /** Closes the last file and applies directory attributes, deepest first; closes the restore location. */
  async finish(): Promise<RestoreTotals> {
    try {
      await this.closeCurrent();
      await this.small.drain(); // before the directories' times are set
      await this.checksDownTo(0);
      // In reverse path order: every directory after all of its subdirectories (a path
      // sorts after its ancestors'), and most after a sibling, so the target's chain of
      // open parents serves them with one open each.
      const dirs = this.dirs.splice(0).sort((a, b) => Buffer.compare(b.target.path, a.target.path));
      for (const d of dirs) {
        try {
          // Opened with O_NOFOLLOW all the way: whatever happened since, only this directory is touched.
          const fd = this.target.openInChain(d.target);
          try {
            this.warnAll(d.target.path, applyAt(fd, SELF, d.attrs, false));
          } finally {
            closeFd(fd);
          }
        } catch (err) {
          this.report(d.target.path, 'error', err);
        }
      }
      return { ...this.totals };
    } finally {
      this.target.close();
    }
  }
}
