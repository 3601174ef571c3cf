/**
 * Walks each Include's top-level files and saves what the FileSet selects. The walk
 * is iterative (an explicit stack of directory frames, each holding one directory's
 * names), so memory grows with depth and directory width, never with tree size.
 * Directories are saved after their contents, so a restore sets their times and
 * modes last.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { describeError } from '@burrow/common/errors/index';
import type { CompiledFileSet, FileOptions, IncludeSelector } from '../fileset/index.js';
import { throwIfAborted } from './reader.js';
import { DEFAULT_CHUNK_SIZE, type FileIssueHandler, type RecordSink } from './record.js';
import { EntrySaver, type BackupTotals } from './saver.js';

export interface BackupParams {
  readonly fileset: CompiledFileSet;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly onFileIssue: FileIssueHandler;
  /** Data chunk size; 64 KiB unless a test wants small chunks. */
  readonly chunkSize?: number;
}

interface DirFrame {
  readonly path: Buffer;
  readonly st: BigIntStats;
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
  ) {}

  private async lstatOrReport(path: Buffer, isRoot: boolean): Promise<BigIntStats | null> {
    try {
      return await lstat(path, { bigint: true });
    } catch (err) {
      const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
      // A missing top-level file is a FileSet mistake (error); a vanished entry is normal churn.
      const severity = gone && !isRoot ? 'warning' : 'error';
      const message = gone ? (isRoot ? 'does not exist' : 'vanished before it could be saved') : `cannot stat: ${describeError(err)}`;
      this.saver.issue({ path, severity, message, code: 'FILE_ACCESS' });
      return null;
    }
  }

  /** Lists a directory (sorted, for repeatable file order), or returns null when it must be skipped. */
  private async openDir(path: Buffer, st: BigIntStats, options: FileOptions, rootDev: bigint | null): Promise<DirFrame | null> {
    const frame: DirFrame = { path, st, options, names: [], next: 0 };
    if (rootDev !== null && options.onefs && st.dev !== rootDev) {
      this.saver.issue({ path, severity: 'info', message: 'is a different file system; not descending into it (onefs)' });
      return frame;
    }
    if (rootDev !== null && !options.recurse) return frame;
    let names: Buffer[];
    try {
      names = await readdir(path, { encoding: 'buffer' });
    } catch (err) {
      this.saver.issue({ path, severity: 'error', message: `cannot list directory: ${describeError(err)}`, code: 'FILE_ACCESS' });
      return frame;
    }
    const marker = this.include.excludeDirContaining.find((m) => names.some((n) => n.equals(m)));
    if (marker !== undefined) return null;
    names.sort(Buffer.compare);
    frame.names.push(...names);
    return frame;
  }

  async walkRoot(root: Buffer): Promise<void> {
    const st = await this.lstatOrReport(root, true);
    if (st === null) return;
    const options = this.include.select(root, st.isDirectory());
    if (options === null) return;
    if (!st.isDirectory()) return this.saver.save(root, st, options);
    const rootFrame = await this.openDir(root, st, options, null);
    if (rootFrame === null) return;
    this.stack.push(rootFrame);
    while (this.stack.length > 0) {
      throwIfAborted(this.signal);
      const top = this.stack[this.stack.length - 1] as DirFrame;
      const name = top.names[top.next];
      if (name === undefined) {
        this.stack.pop();
        await this.saver.save(top.path, top.st, top.options);
        continue;
      }
      // Drop the name as soon as it is taken so the frame shrinks as it is worked off.
      top.names[top.next++] = EMPTY;
      await this.visit(childPath(top.path, name), st.dev);
    }
  }

  private async visit(path: Buffer, rootDev: bigint): Promise<void> {
    const st = await this.lstatOrReport(path, false);
    if (st === null) return;
    const options = this.include.select(path, st.isDirectory());
    if (options === null) return;
    if (!st.isDirectory()) return this.saver.save(path, st, options);
    const frame = await this.openDir(path, st, options, rootDev);
    if (frame !== null) this.stack.push(frame);
  }
}

const EMPTY = Buffer.alloc(0);

/** Runs the backup of a whole FileSet into the sink; per-file problems go to onFileIssue. */
export async function backupFileSet(p: BackupParams): Promise<BackupTotals> {
  const saver = new EntrySaver({
    sink: p.sink,
    signal: p.signal,
    chunkSize: p.chunkSize ?? DEFAULT_CHUNK_SIZE,
    report: p.onFileIssue,
  });
  for (const include of p.fileset.includes) {
    const walk = new IncludeWalk(include, saver, p.signal);
    for (const root of include.roots) {
      throwIfAborted(p.signal);
      await walk.walkRoot(root);
    }
  }
  return { ...saver.totals };
}
