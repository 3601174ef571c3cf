/**
 * Saves one directory entry: its ATTRIBUTES record, then for a regular file its data
 * and digest. Holds the per-job state: the next file index, the totals and the
 * hard-link map (only inodes with more than one link, the one per-inode state).
 *
 * Entries are reached as (open directory, name) — see walker.ts — so no path is
 * ever resolved whole; `path` is only what the record and the job log say.
 */
import { closeFd, dataRegions, hasNoDumpFlag, readlinkAt, setTimesAt, sizeBySeek, statAt, statFd, type EntryStat, type Fd, type Time } from '@burrow/fsx';
import { describeError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { FileOptions } from '../fileset/index.js';
import { sizeMatches } from '@burrow/common/fileset/options';
import { fileTypeOf, sameTime, statsToAttributes } from './attributes.js';
import { FileReadError, sendFileData, sendStreamData } from './reader.js';
import { fifoPieces } from './fifo.js';
import type { FsTypes } from './fstype.js';
import { dataSourceOf, openSource } from './sources.js';
import { asBuffer, type FileIssue, type RecordSink } from './record.js';
import { readExtendedAttributes } from './xattrs.js';
import { comparesContents, type AccurateTable } from '../accurate/table.js';
import { compareContents } from '../accurate/contents.js';
import type { Hashers } from '../digest/hashers.js';
import type { Offload } from './chunks.js';
import type { FramePool } from '@burrow/common/net/frame-pool';

export interface BackupTotals {
  /** Entries saved (each has an ATTRIBUTES record). */
  files: number;
  /** File data bytes read. */
  bytes: number;
  /** Warnings and errors reported through onFileIssue. */
  issues: number;
}

export interface SaverParams {
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly chunkSize: number;
  readonly report: (issue: FileIssue) => void;
  readonly hashers: Hashers;
  /**
   * Incremental or Differential: only entries changed at or after this time are saved
   * (mtime or ctime, or mtime alone with `mtimeonly`); null for a Full. Directories are
   * always saved, so a restore can recreate the tree with its attributes.
   */
  readonly since: Time | null;
  /** Accurate mode: the current backup state; replaces `since`. */
  readonly accurate: AccurateTable | null;
  /** `estimate`: attributes only; file data is counted by size, never read. */
  readonly estimate?: boolean;
  /** Verify: a file's data is read only when its options ask for a digest (`signature`). */
  readonly digestOnly?: boolean;
  /** File system types by device (`fstype`). */
  readonly fsTypes: FsTypes;
  /** How long `readfifo` waits for a FIFO's writer (fifo.ts). */
  readonly fifoWaitMs: number;
  /** Where small chunks compress, off the main thread (chunks.ts); `sink` is then its sequence. */
  readonly offload?: Offload | null;
  /** Buffers for chunks, given back once sent (chunks.ts). */
  readonly chunkPool?: FramePool | null;
}

/** Whether `a` is at or after `b`. */
function atOrAfter(a: Time, b: Time): boolean {
  return a.sec > b.sec || (a.sec === b.sec && a.nsec >= b.nsec);
}

export function changedSince(st: EntryStat, since: Time, mtimeOnly: boolean): boolean {
  return atOrAfter(st.mtime, since) || (!mtimeOnly && atOrAfter(st.ctime, since));
}

/**
 * `checkfilechanges`: what moved between listing a file and finishing its read, in
 * Bareos's words and order (findlib HasFileChanged); null when nothing did.
 */
function changeDuringRead(listed: EntryStat, after: EntryStat): string | null {
  if (after.nlink === 0) return 'was deleted during backup';
  if (!sameTime(after.mtime, listed.mtime)) return 'mtime changed during backup';
  if (!sameTime(after.ctime, listed.ctime)) return 'ctime changed during backup';
  if (after.size !== listed.size) return 'size changed during backup';
  return null;
}

/** One entry to save: `name` in the open directory `dir`, or `dir` itself when name is empty. */
export interface EntryRef {
  readonly dir: Fd;
  readonly name: Buffer;
  readonly path: Buffer;
  /** A top-level `File =` entry: a block device named so is saved as a raw partition. */
  readonly explicit?: boolean;
}

/** What judge() decided: skip, save, or compare the contents with this entry of the state. */
type Verdict = 'skip' | 'save' | { readonly table: AccurateTable; readonly seq: number };

interface SavedLink {
  readonly path: Buffer;
  readonly fileIndex: number;
}

function statOpen(fd: Fd): EntryStat {
  try {
    return statFd(fd);
  } catch (err) {
    throw new FileReadError(err);
  }
}

/** A running backup as `status client` shows it: its totals so far and the entry at hand. */
export interface BackupView {
  readonly totals: Readonly<BackupTotals>;
  readonly current: Buffer | null;
}

export class EntrySaver implements BackupView {
  readonly totals: BackupTotals = { files: 0, bytes: 0, issues: 0 };
  /** The entry being saved now (status client's "Processing file"). */
  current: Buffer | null = null;
  private nextIndex = 1;
  private readonly links = new Map<string, SavedLink>();

  constructor(private readonly p: SaverParams) {}

  /** Reports a per-file problem or note; warnings and errors count in the totals. */
  issue(issue: FileIssue): void {
    if (issue.severity !== 'info') this.totals.issues++;
    this.p.report(issue);
  }

  private problem(path: Buffer, severity: FileIssue['severity'], message: string): void {
    this.issue({ path, severity, message, code: 'FILE_ACCESS' });
  }

  private async writeAttributes(index: number, attrs: burrow.FileAttributes.$Properties, options: FileOptions): Promise<void> {
    const data = asBuffer(burrow.FileAttributes.encode(attrs).finish());
    await this.p.sink.write({ fileIndex: index, stream: burrow.Stream.STREAM_ATTRIBUTES, data }, options);
  }

  /**
   * Whether an Incremental/Differential saves the entry: directories always; other
   * entries when changed since `since`, or in Accurate mode when new or different
   * from the saved state by the `accurate=` letters (marking the state's entry met).
   * Contents (letters 5 and 1) are compared last, as in Bareos, and only for regular
   * files of Options with a Signature: that needs the file open (sameContents).
   */
  private judge(path: Buffer, st: EntryStat, type: burrow.FileType, options: FileOptions): Verdict {
    const acc = this.p.accurate;
    if (acc !== null) {
      const seq = acc.lookup(path);
      if (seq === 0) return 'save';
      acc.markSeen(seq);
      if (type === burrow.FileType.FT_DIRECTORY || acc.changed(seq, st, options.accurate)) return 'save';
      const contents = comparesContents(options.accurate) && type === burrow.FileType.FT_REGULAR && options.signature !== null;
      return contents ? { table: acc, seq } : 'skip';
    }
    const save = this.p.since === null || type === burrow.FileType.FT_DIRECTORY || changedSince(st, this.p.since, options.mtimeOnly);
    return save ? 'save' : 'skip';
  }

  /** Accurate letters 5, 1: whether the open file's contents equal the saved state's (then it is not saved again). */
  private async sameContents(path: Buffer, entry: { table: AccurateTable; seq: number }, fd: Fd): Promise<boolean> {
    try {
      const v = await compareContents({ ...entry, fd, hashers: this.p.hashers, signal: this.p.signal });
      if ('unknown' in v) this.problem(path, 'warning', v.unknown);
      return 'same' in v && v.same;
    } catch (err) {
      if (this.p.signal.aborted) throw err;
      return false; // a read error: the save reads it again and reports it
    }
  }

  /** Saves the entry (already selected by the FileSet) with the stats fstatat gave. */
  async save(e: EntryRef, st: EntryStat, options: FileOptions): Promise<void> {
    this.current = e.path;
    const type = fileTypeOf(st);
    if (type === burrow.FileType.FT_SOCKET || type === burrow.FileType.FT_UNKNOWN) {
      this.issue({ path: e.path, severity: 'info', message: 'socket skipped' });
      return;
    }
    if (type !== burrow.FileType.FT_DIRECTORY && !this.p.fsTypes.allows(st.dev, options.fsTypes)) return;
    if (type === burrow.FileType.FT_REGULAR && options.size !== null && !sizeMatches(options.size, st.size)) return;
    const verdict = this.judge(e.path, st, type, options);
    if (verdict === 'skip') return;
    // hardlinks = no: every name is saved with its own data, as if it were the only one.
    const linkKey = options.hardLinks && type !== burrow.FileType.FT_DIRECTORY && st.nlink > 1 ? `${st.dev}:${st.ino}` : null;
    const earlier = linkKey === null ? undefined : this.links.get(linkKey);
    if (earlier !== undefined) {
      // A further name of an inode saved in this job: Bareos compares no contents for it.
      if (verdict !== 'save') return;
      const attrs = statsToAttributes(e.path, st, burrow.FileType.FT_HARDLINK);
      attrs.hardlinkTarget = earlier.path;
      attrs.hardlinkFileIndex = earlier.fileIndex;
      await this.writeAttributes(this.nextIndex++, attrs, options);
      this.totals.files++;
      return;
    }
    const attrs = statsToAttributes(e.path, st, type);
    const source = dataSourceOf(type, options, e.explicit === true);
    let fd: Fd | undefined;
    try {
      // Open (or read the link) before sending anything, so an unreadable file is
      // reported and left out rather than saved without its content.
      if (source !== null) fd = openSource(e, source, options);
      if (type === burrow.FileType.FT_SYMLINK) attrs.linkTarget = readLinkKeepingAtime(e, st);
      if (source === 'raw' && fd !== undefined) attrs.size = sizeBySeek(fd);
    } catch (err) {
      if (fd !== undefined) closeFd(fd);
      const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
      this.problem(e.path, gone ? 'warning' : 'error', gone ? 'vanished before it could be read' : `cannot read: ${describeError(err)}`);
      return;
    }
    if (verdict !== 'save' && fd !== undefined && await this.sameContents(e.path, verdict, fd)) {
      closeFd(fd);
      return;
    }
    // A regular file's xattrs through its open descriptor: the very inode being saved.
    const own = fd === undefined ? e : { ...e, dir: fd, name: Buffer.alloc(0) };
    readExtendedAttributes(own, attrs, options, (message) => this.problem(e.path, 'warning', message));
    if (fd !== undefined && options.honorNoDump && hasNoDumpFlag(fd)) {
      closeFd(fd);
      return;
    }
    const sparse = source === 'file' && fd !== undefined && options.sparse && st.blocks * 512 < st.size ? { regions: dataRegions(fd, st.size), size: st.size } : null;
    // A raw device's holes are its runs of zeros (SEEK_DATA does not apply to devices).
    const skipZeros = source === 'raw' && options.sparse;
    if (sparse !== null || skipZeros) attrs.sparse = true;
    if (source === 'raw' || source === 'fifo') attrs.withData = true;
    if (source === 'fifo') attrs.streamed = true;
    const index = this.nextIndex++;
    try {
      await this.writeAttributes(index, attrs, options);
    } catch (err) {
      if (fd !== undefined) closeFd(fd);
      throw err;
    }
    this.totals.files++;
    if (linkKey !== null) this.links.set(linkKey, { path: e.path, fileIndex: index });
    if (fd !== undefined && (this.p.estimate === true || (this.p.digestOnly === true && options.signature === null))) {
      this.totals.bytes += st.size;
      closeFd(fd);
    } else if (source === 'fifo' && fd !== undefined) {
      await this.saveFifo(e.path, { fd, index, options });
    } else if (fd !== undefined) {
      // A raw device's size is what seeking to its end found (stat says 0).
      const sizeHint = typeof attrs.size === 'number' ? attrs.size : st.size;
      await this.saveData(e.path, st, { fd, index, options, sparse, skipZeros, sizeHint });
    }
  }

  private async saveData(
    path: Buffer,
    st: EntryStat,
    f: { fd: Fd; index: number; options: FileOptions; sparse: { regions: Array<[number, number]>; size: number } | null; skipZeros: boolean; sizeHint: number },
  ): Promise<void> {
    try {
      const before = statOpen(f.fd);
      if (before.ino !== st.ino || before.dev !== st.dev) {
        this.problem(path, 'warning', 'was replaced between listing and reading');
      }
      this.totals.bytes += await sendFileData({ fd: f.fd, fileIndex: f.index, options: f.options, sparse: f.sparse, skipZeros: f.skipZeros, sizeHint: f.sizeHint, ...this.p });
      const after = statOpen(f.fd);
      const change = f.options.checkFileChanges ? changeDuringRead(st, after) : null;
      if (change !== null) {
        this.problem(path, 'warning', change);
      } else if (f.options.keepAtime && !sameTime(after.atime, st.atime)) {
        // keepatime: reading moved the atime (noatime = no, or O_NOATIME refused): put it back.
        setTimesAt(f.fd, Buffer.alloc(0), st.atime, st.mtime);
      }
    } catch (err) {
      // Only the file's own read errors are per-file; a failing sink ends the job.
      if (!(err instanceof FileReadError)) throw err;
      this.problem(path, 'error', `read error: ${describeError(err.cause)}`);
    } finally {
      closeFd(f.fd);
    }
  }

  /** readfifo: what writers send into the FIFO during the backup is its content. */
  private async saveFifo(path: Buffer, f: { fd: Fd; index: number; options: FileOptions }): Promise<void> {
    const onTimeout = (sawWriter: boolean): void => this.problem(path, 'warning',
      `${sawWriter ? 'its writer sent nothing' : 'nobody opened it for writing'} within ${this.p.fifoWaitMs / 1000} s (readfifo); saved what came`);
    try {
      const pieces = fifoPieces(f.fd, { waitMs: this.p.fifoWaitMs, signal: this.p.signal, onTimeout });
      this.totals.bytes += await sendStreamData(pieces, { fileIndex: f.index, options: f.options, sink: this.p.sink, signal: this.p.signal, chunkSize: this.p.chunkSize, hashers: this.p.hashers, offload: this.p.offload });
    } catch (err) {
      if (!(err instanceof FileReadError)) throw err;
      this.problem(path, 'error', `read error: ${describeError(err.cause)}`);
    } finally {
      closeFd(f.fd);
    }
  }

  /**
   * An entry that is no directory entry: its attributes made up by the caller and its
   * data from `source` (bpipe). Errors of the source propagate after the attributes
   * and the data read so far were sent; the caller reports them.
   */
  async saveStreamed(attrs: burrow.FileAttributes.$Properties, options: FileOptions, source: AsyncIterable<Buffer>): Promise<void> {
    const acc = this.p.accurate;
    const seq = acc === null ? 0 : acc.lookup(Buffer.from(attrs.path ?? []));
    if (seq !== 0) acc?.markSeen(seq); // always saved again, and never "deleted"
    const index = this.nextIndex++;
    this.current = Buffer.from(attrs.path ?? []);
    await this.writeAttributes(index, { ...attrs, streamed: true }, options);
    this.totals.files++;
    // A verify does not run a command to hash its output: the entry is listed only.
    if (this.p.estimate === true || this.p.digestOnly === true) return;
    this.totals.bytes += await sendStreamData(source, { fileIndex: index, options, sink: this.p.sink, signal: this.p.signal, chunkSize: this.p.chunkSize, hashers: this.p.hashers, offload: this.p.offload });
  }
}

/**
 * readlink updates a symlink's atime (relatime) and no flag prevents it, so the
 * saved atime is put back when the read moved it: the backup must not change what
 * it saves. (Putting it back moves the link's ctime, as Bareos's keepatime does.)
 */
function readLinkKeepingAtime(e: EntryRef, st: EntryStat): Buffer {
  const target = readlinkAt(e.dir, e.name);
  const now = statAt(e.dir, e.name);
  if (!sameTime(now.atime, st.atime) && sameTime(now.mtime, st.mtime)) setTimesAt(e.dir, e.name, st.atime, st.mtime);
  return target;
}
