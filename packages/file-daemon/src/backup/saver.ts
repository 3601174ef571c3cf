/**
 * Saves one directory entry: its ATTRIBUTES record, then for a regular file its data
 * and digest. Holds the per-job state: the next file index, the totals and the
 * hard-link map (only inodes with more than one link, the one per-inode state).
 */
import { constants, type BigIntStats } from 'node:fs';
import { open, readlink, type FileHandle } from 'node:fs/promises';
import { describeError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { FileOptions } from '../fileset/index.js';
import { fileTypeOf, statsToAttributes } from './attributes.js';
import { FileReadError, sendFileData } from './reader.js';
import { asBuffer, type FileIssue, type RecordSink } from './record.js';

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
}

interface SavedLink {
  readonly path: Buffer;
  readonly fileIndex: number;
}

// O_NONBLOCK: if the entry turned into a FIFO since lstat, open must not hang.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

async function statOpen(handle: FileHandle): Promise<BigIntStats> {
  try {
    return await handle.stat({ bigint: true });
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

  /** Saves `path` (already selected by the FileSet) with the stats lstat gave. */
  async save(path: Buffer, st: BigIntStats, options: FileOptions): Promise<void> {
    const type = fileTypeOf(st);
    if (type === burrow.FileType.FT_SOCKET || type === burrow.FileType.FT_UNKNOWN) {
      this.issue({ path, severity: 'info', message: 'socket skipped' });
      return;
    }
    const linkKey = type !== burrow.FileType.FT_DIRECTORY && st.nlink > 1n ? `${st.dev}:${st.ino}` : null;
    const earlier = linkKey === null ? undefined : this.links.get(linkKey);
    if (earlier !== undefined) {
      const attrs = statsToAttributes(path, st, burrow.FileType.FT_HARDLINK);
      attrs.hardlinkTarget = earlier.path;
      attrs.hardlinkFileIndex = earlier.fileIndex;
      await this.writeAttributes(this.nextIndex++, attrs);
      this.totals.files++;
      return;
    }
    const attrs = statsToAttributes(path, st, type);
    let handle: FileHandle | undefined;
    try {
      // Open (or read the link) before sending anything, so an unreadable file is
      // reported and left out rather than saved without its content.
      if (type === burrow.FileType.FT_REGULAR) handle = await open(path, OPEN_FLAGS);
      if (type === burrow.FileType.FT_SYMLINK) attrs.linkTarget = await readlink(path, { encoding: 'buffer' });
    } catch (err) {
      await handle?.close();
      const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
      this.problem(path, gone ? 'warning' : 'error', gone ? 'vanished before it could be read' : `cannot read: ${describeError(err)}`);
      return;
    }
    const index = this.nextIndex++;
    await this.writeAttributes(index, attrs);
    this.totals.files++;
    if (linkKey !== null) this.links.set(linkKey, { path, fileIndex: index });
    if (handle !== undefined) await this.saveData(path, st, handle, index, options);
  }

  private async saveData(path: Buffer, st: BigIntStats, handle: FileHandle, index: number, options: FileOptions): Promise<void> {
    try {
      const before = await statOpen(handle);
      if (before.ino !== st.ino || before.dev !== st.dev) {
        this.problem(path, 'warning', 'was replaced between listing and reading');
      }
      this.totals.bytes += await sendFileData({ handle, fileIndex: index, options, ...this.p });
      const after = await statOpen(handle);
      if (after.size !== st.size || after.mtimeNs !== st.mtimeNs) {
        this.problem(path, 'warning', 'changed while it was being read');
      }
    } catch (err) {
      // Only the file's own read errors are per-file; a failing sink ends the job.
      if (!(err instanceof FileReadError)) throw err;
      this.problem(path, 'error', `read error: ${describeError(err.cause)}`);
    } finally {
      await handle.close();
    }
  }
}
