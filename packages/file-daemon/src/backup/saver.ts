/**
 * Saves one directory entry: its ATTRIBUTES record, then for a regular file its data
 * and digest. Holds the per-job state: the next file index, the totals and the
 * hard-link map (only inodes with more than one link, the one per-inode state).
 *
 * Entries are reached as (open directory, name) — see walker.ts — so no path is
 * ever resolved whole; `path` is only what the record and the job log say.
 */
import { constants } from 'node:fs';
import { closeFd, dataRegions, openQuietly, readlinkAt, setTimesAt, statAt, statFd, type EntryStat, type Fd, type Time } from '@burrow/fsx';
import { describeError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { FileOptions } from '../fileset/index.js';
import { fileTypeOf, sameTime, statsToAttributes } from './attributes.js';
import { FileReadError, sendFileData } from './reader.js';
import { asBuffer, type FileIssue, type RecordSink } from './record.js';
import { readExtendedAttributes } from './xattrs.js';
import type { AccurateTable } from '../accurate/table.js';

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
}

/** Whether `a` is at or after `b`. */
function atOrAfter(a: Time, b: Time): boolean {
  return a.sec > b.sec || (a.sec === b.sec && a.nsec >= b.nsec);
}

export function changedSince(st: EntryStat, since: Time, mtimeOnly: boolean): boolean {
  return atOrAfter(st.mtime, since) || (!mtimeOnly && atOrAfter(st.ctime, since));
}

/** One entry to save: `name` in the open directory `dir`, or `dir` itself when name is empty. */
export interface EntryRef {
  readonly dir: Fd;
  readonly name: Buffer;
  readonly path: Buffer;
}

interface SavedLink {
  readonly path: Buffer;
  readonly fileIndex: number;
}

// O_NONBLOCK: if the entry turned into a FIFO since it was listed, open must not hang.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function statOpen(fd: Fd): EntryStat {
  try {
    return statFd(fd);
  } catch (err) {
    throw new FileReadError(err);
  }
}

export class EntrySaver {
  readonly totals: BackupTotals = { files: 0, bytes: 0, issues: 0 };
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

  private async writeAttributes(index: number, attrs: burrow.FileAttributes.$Properties): Promise<void> {
    const data = asBuffer(burrow.FileAttributes.encode(attrs).finish());
    await this.p.sink.write({ fileIndex: index, stream: burrow.Stream.STREAM_ATTRIBUTES, data });
  }

  /**
   * Whether an Incremental/Differential saves the entry: directories always; other
   * entries when changed since `since`, or in Accurate mode when new or different
   * from the saved state by the `accurate=` letters (marking the state's entry met).
   */
  private wanted(path: Buffer, st: EntryStat, type: burrow.FileType, options: FileOptions): boolean {
    const acc = this.p.accurate;
    if (acc !== null) {
      const seq = acc.lookup(path);
      if (seq === 0) return true;
      acc.markSeen(seq);
      return type === burrow.FileType.FT_DIRECTORY || acc.changed(seq, st, options.accurate);
    }
    return this.p.since === null || type === burrow.FileType.FT_DIRECTORY || changedSince(st, this.p.since, options.mtimeOnly);
  }

  /** Saves the entry (already selected by the FileSet) with the stats fstatat gave. */
  async save(e: EntryRef, st: EntryStat, options: FileOptions): Promise<void> {
    const type = fileTypeOf(st);
    if (type === burrow.FileType.FT_SOCKET || type === burrow.FileType.FT_UNKNOWN) {
      this.issue({ path: e.path, severity: 'info', message: 'socket skipped' });
      return;
    }
    if (!this.wanted(e.path, st, type, options)) return;
    const linkKey = type !== burrow.FileType.FT_DIRECTORY && st.nlink > 1 ? `${st.dev}:${st.ino}` : null;
    const earlier = linkKey === null ? undefined : this.links.get(linkKey);
    if (earlier !== undefined) {
      const attrs = statsToAttributes(e.path, st, burrow.FileType.FT_HARDLINK);
      attrs.hardlinkTarget = earlier.path;
      attrs.hardlinkFileIndex = earlier.fileIndex;
      await this.writeAttributes(this.nextIndex++, attrs);
      this.totals.files++;
      return;
    }
    const attrs = statsToAttributes(e.path, st, type);
    let fd: Fd | undefined;
    try {
      // Open (or read the link) before sending anything, so an unreadable file is
      // reported and left out rather than saved without its content.
      if (type === burrow.FileType.FT_REGULAR) fd = openQuietly(e.dir, e.name, OPEN_FLAGS);
      if (type === burrow.FileType.FT_SYMLINK) attrs.linkTarget = readLinkKeepingAtime(e, st);
    } catch (err) {
      if (fd !== undefined) closeFd(fd);
      const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
      this.problem(e.path, gone ? 'warning' : 'error', gone ? 'vanished before it could be read' : `cannot read: ${describeError(err)}`);
      return;
    }
    // A regular file's xattrs through its open descriptor: the very inode being saved.
    const own = fd === undefined ? e : { ...e, dir: fd, name: Buffer.alloc(0) };
    readExtendedAttributes(own, attrs, options, (message) => this.problem(e.path, 'warning', message));
    const sparse = fd !== undefined && options.sparse && st.blocks * 512 < st.size ? { regions: dataRegions(fd, st.size), size: st.size } : null;
    if (sparse !== null) attrs.sparse = true;
    const index = this.nextIndex++;
    try {
      await this.writeAttributes(index, attrs);
    } catch (err) {
      if (fd !== undefined) closeFd(fd);
      throw err;
    }
    this.totals.files++;
    if (linkKey !== null) this.links.set(linkKey, { path: e.path, fileIndex: index });
    if (fd !== undefined && this.p.estimate) {
      this.totals.bytes += st.size;
      closeFd(fd);
    } else if (fd !== undefined) {
      await this.saveData(e.path, st, { fd, index, options, sparse });
    }
  }

  private async saveData(
    path: Buffer,
    st: EntryStat,
    f: { fd: Fd; index: number; options: FileOptions; sparse: { regions: Array<[number, number]>; size: number } | null },
  ): Promise<void> {
    try {
      const before = statOpen(f.fd);
      if (before.ino !== st.ino || before.dev !== st.dev) {
        this.problem(path, 'warning', 'was replaced between listing and reading');
      }
      this.totals.bytes += await sendFileData({ fd: f.fd, fileIndex: f.index, options: f.options, sparse: f.sparse, ...this.p });
      const after = statOpen(f.fd);
      if (after.size !== st.size || !sameTime(after.mtime, st.mtime)) {
        this.problem(path, 'warning', 'changed while it was being read');
      } else if (after.nlink === 0) {
        this.problem(path, 'warning', 'was deleted while it was being read');
      }
    } catch (err) {
      // Only the file's own read errors are per-file; a failing sink ends the job.
      if (!(err instanceof FileReadError)) throw err;
      this.problem(path, 'error', `read error: ${describeError(err.cause)}`);
    } finally {
      closeFd(f.fd);
    }
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
