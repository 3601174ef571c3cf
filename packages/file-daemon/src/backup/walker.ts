/**
 * Walks each Include's top-level files and saves what the FileSet selects. The walk
 * is iterative (an explicit stack of directory frames, each holding one directory's
 * names), so memory grows with depth and directory width, never with tree size.
 * Directories are saved after their contents, so a restore sets their times and
 * modes last.
 *
 * Each frame holds its directory open; children are stat'ed and opened relative to
 * it with O_NOFOLLOW (@burrow/fsx), so paths longer than the kernel's 4096-byte limit
 * are saved, and a directory swapped for a symlink mid-walk is never followed. Open
 * descriptors grow with depth only.
 */
import { AT_FDCWD, closeFd, hasNoDumpFlag, kindOf, listDir, openDirAt, statAt, type EntryStat, type Fd, type Time } from '@burrow/fsx';
import { describeError } from '@burrow/common/errors/index';
import type { CompiledFileSet, FileOptions, IncludeSelector } from '../fileset/index.js';
import { throwIfAborted } from './reader.js';
import { DEFAULT_CHUNK_SIZE, type FileIssueHandler, type RecordSink } from './record.js';
import { EntrySaver, type BackupTotals, type BackupView, type EntryRef } from './saver.js';
import type { AccurateTable } from '../accurate/table.js';
import { expandLists, type CommandRefusal } from '../fileset/lists.js';
import { saveCommandOutput } from './bpipe.js';
import { FIFO_WAIT_MS } from './fifo.js';
import { FsTypes } from './fstype.js';
import type { Hashers } from '../digest/hashers.js';
import type { CompressThread } from './compress-thread.js';
import { RecordSequence } from './sequence.js';
import { Offload } from './chunks.js';
import { FramePool } from '@burrow/common/net/frame-pool';

export interface BackupParams {
  readonly fileset: CompiledFileSet;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly onFileIssue: FileIssueHandler;
  /** The job's hashers, for the digests the Options' Signature asks for. */
  readonly hashers: Hashers;
  /** Data chunk size; DEFAULT_CHUNK_SIZE unless a test wants small chunks. */
  readonly chunkSize?: number;
  /** Save only what changed since then (Incremental, Differential); null or absent: everything. */
  readonly since?: Time | null;
  /** Accurate mode: save what is new or differs from this state, and mark what is met. */
  readonly accurate?: AccurateTable | null;
  /** `estimate`: only attributes go to the sink; data is counted, not read. */
  readonly estimate?: boolean;
  /** Verify: data is read only for the digest an entry's options ask for (saver.ts). */
  readonly digestOnly?: boolean;
  /**
   * Why the client will not run a FileSet's command (`|command` lists, bpipe
   * readers), or undefined when it will. Absent: no command runs.
   */
  readonly commandRefusal?: CommandRefusal;
  /** How long `readfifo` waits for a FIFO's writer; a minute unless a test wants less. */
  readonly fifoWaitMs?: number;
  /** The daemon's compression thread for small chunks; null or absent: they compress on the main thread. */
  readonly compressThread?: CompressThread | null;
  /** Given the backup's live view once it starts (status client). */
  readonly onStart?: (view: BackupView) => void;
}

const NO_COMMANDS: CommandRefusal = async () => 'this File daemon runs no FileSet commands';

interface DirFrame {
  readonly path: Buffer;
  /** The directory itself, open; -1 when it could not be opened (saved from its parent then). */
  readonly fd: Fd;
  /** Where the directory itself is reached from when fd is -1. */
  readonly parent: Fd;
  readonly name: Buffer;
  readonly st: EntryStat;
  readonly options: FileOptions;
  readonly names: Buffer[];
  next: number;
}

const SLASH = Buffer.from('/');

export function childPath(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 1 && dir[0] === 0x2f ? Buffer.concat([SLASH, name]) : Buffer.concat([dir, SLASH, name]);
}

class IncludeWalk {
  private readonly stack: DirFrame[] = [];

  constructor(
    private readonly include: IncludeSelector,
    private readonly saver: EntrySaver,
    private readonly signal: AbortSignal,
    private readonly fsTypes: FsTypes,
  ) {}

  private statOrReport(at: EntryRef, isRoot: boolean): EntryStat | null {
    const path = at.path;
    try {
      return statAt(at.dir, at.name);
    } catch (err) {
      const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
      // A missing top-level file is a FileSet mistake (error); a vanished entry is normal churn.
      const severity = gone && !isRoot ? 'warning' : 'error';
      const message = gone ? (isRoot ? 'does not exist' : 'vanished before it could be saved') : `cannot stat: ${describeError(err)}`;
      this.saver.issue({ path, severity, message, code: 'FILE_ACCESS' });
      return null;
    }
  }

  /** Opens and lists a directory (sorted, for repeatable file order), or returns null when it must be skipped. */
  private openDir(at: EntryRef, st: EntryStat, options: FileOptions, rootDev: bigint | null): DirFrame | null {
    const path = at.path;
    const closed: DirFrame = { path, fd: -1, parent: at.dir, name: at.name, st, options, names: [], next: 0 };
    if (rootDev !== null && options.onefs && st.dev !== rootDev) {
      this.saver.issue({ path, severity: 'info', message: 'is a different file system; not descending into it (onefs)' });
      return closed;
    }
    if (!this.fsTypes.allows(st.dev, options.fsTypes)) {
      this.saver.issue({ path, severity: 'info', message: `is on a ${this.fsTypes.typeOf(st.dev)} file system, not one of fstype ${options.fsTypes?.join(', ')}; not saved` });
      return null;
    }
    if (rootDev !== null && !options.recurse) return closed;
    let fd: Fd;
    let names: Buffer[];
    try {
      fd = openDirAt(at.dir, at.name);
    } catch (err) {
      this.saver.issue({ path, severity: 'error', message: `cannot open directory: ${describeError(err)}`, code: 'FILE_ACCESS' });
      return closed;
    }
    if (options.honorNoDump && hasNoDumpFlag(fd)) {
      closeFd(fd);
      return null;
    }
    try {
      names = listDir(fd);
    } catch (err) {
      this.saver.issue({ path, severity: 'error', message: `cannot list directory: ${describeError(err)}`, code: 'FILE_ACCESS' });
      return { ...closed, fd };
    }
    const marker = this.include.excludeDirContaining.find((m) => names.some((n) => n.equals(m)));
    if (marker !== undefined) {
      closeFd(fd);
      return null;
    }
    names.sort(Buffer.compare);
    return { ...closed, fd, names };
  }

  async walkRoot(root: Buffer): Promise<void> {
    const at: EntryRef = { dir: AT_FDCWD, name: root, path: root, explicit: true };
    const st = this.statOrReport(at, true);
    if (st === null) return;
    const isDir = kindOf(st.mode) === 'directory';
    const options = this.include.select(root, isDir);
    if (options === null) return;
    if (!isDir) return this.saver.save(at, st, options);
    const rootFrame = this.openDir(at, st, options, null);
    if (rootFrame === null) return;
    this.stack.push(rootFrame);
    try {
      while (this.stack.length > 0) {
        throwIfAborted(this.signal);
        const top = this.stack[this.stack.length - 1] as DirFrame;
        const name = top.names[top.next];
        if (name === undefined) {
          this.stack.pop();
          await this.saveDirectory(top);
          continue;
        }
        // Drop the name as soon as it is taken so the frame shrinks as it is worked off.
        top.names[top.next++] = EMPTY;
        await this.visit({ dir: top.fd, name, path: childPath(top.path, name) }, st.dev);
      }
    } finally {
      for (const f of this.stack.splice(0)) if (f.fd >= 0) closeFd(f.fd);
    }
  }

  /** Saves a directory after its contents, through its own descriptor when it has one. */
  private async saveDirectory(f: DirFrame): Promise<void> {
    try {
      const at = f.fd >= 0 ? { dir: f.fd, name: EMPTY, path: f.path } : { dir: f.parent, name: f.name, path: f.path };
      await this.saver.save(at, f.st, f.options);
    } finally {
      if (f.fd >= 0) closeFd(f.fd);
    }
  }

  private async visit(at: EntryRef, rootDev: bigint): Promise<void> {
    const st = this.statOrReport(at, false);
    if (st === null) return;
    const isDir = kindOf(st.mode) === 'directory';
    const options = this.include.select(at.path, isDir);
    if (options === null) return;
    if (!isDir) return this.saver.save(at, st, options);
    const frame = this.openDir(at, st, options, rootDev);
    if (frame !== null) this.stack.push(frame);
  }
}

const EMPTY = Buffer.alloc(0);

/** Runs the backup of a whole FileSet into the sink; per-file problems go to onFileIssue. */
export async function backupFileSet(p: BackupParams): Promise<BackupTotals> {
  const refusal = p.commandRefusal ?? NO_COMMANDS;
  const fileset = await expandLists(p.fileset, refusal, p.signal);
  const fsTypes = new FsTypes();
  // Records in file order, also while small files' chunks compress on the thread.
  const sequence = new RecordSequence(p.sink);
  const compressThread = p.estimate === true || p.digestOnly === true ? null : p.compressThread ?? null;
  const saver = new EntrySaver({
    sink: sequence,
    offload: compressThread === null ? null : new Offload(compressThread, sequence),
    // Chunks' buffers serve again once the sink sent them, small ones cut from slabs: a
    // fresh buffer per chunk is external memory the collector answers with full
    // collections (@burrow/common/net/slab-pool).
    chunkPool: new FramePool(4, { slicedFrom: 0 }),
    signal: p.signal,
    chunkSize: p.chunkSize ?? DEFAULT_CHUNK_SIZE,
    report: p.onFileIssue,
    hashers: p.hashers,
    since: p.since ?? null,
    accurate: p.accurate ?? null,
    estimate: p.estimate ?? false,
    digestOnly: p.digestOnly ?? false,
    fsTypes,
    fifoWaitMs: p.fifoWaitMs ?? FIFO_WAIT_MS,
  });
  p.onStart?.(saver);
  for (const include of fileset.includes) {
    const walk = new IncludeWalk(include, saver, p.signal, fsTypes);
    for (const root of include.roots) {
      throwIfAborted(p.signal);
      await walk.walkRoot(root);
    }
    for (const spec of include.plugins) {
      throwIfAborted(p.signal);
      const options = include.select(Buffer.from(spec.file, 'utf8'), false);
      if (options !== null) await saveCommandOutput(spec, options, { saver, refusal, signal: p.signal, where: include.where });
    }
  }
  await sequence.finish();
  return { ...saver.totals };
}
