/**
 * Test helpers for the backup/restore pair (STYLE habit 13): an in-memory record
 * sink, temp directories that clean up, and a tree snapshot for comparing a restore
 * with its source. Not used by production code.
 */
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileRecord, RecordSink } from '../backup/index.js';

export class MemorySink implements RecordSink {
  readonly records: FileRecord[] = [];
  async write(rec: FileRecord): Promise<void> {
    this.records.push(rec);
  }
}

export interface TempDir extends AsyncDisposable {
  readonly path: string;
  readonly buf: Buffer;
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `burrow-${prefix}-`));
  return {
    path,
    buf: Buffer.from(path),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

export interface EntrySnapshot {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  /** mtime in whole microseconds (what a restore can set through Node). */
  mtimeUs: bigint;
  content?: string;
  target?: string;
  /** Index of the first entry sharing this inode (hard links), else undefined. */
  linkGroup?: string;
}

function typeName(st: import('node:fs').BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'chardev';
  return 'other';
}

/** Every entry below `root`, keyed by its relative path as hex of the bytes. */
export async function snapshotTree(root: Buffer): Promise<Map<string, EntrySnapshot>> {
  const out = new Map<string, EntrySnapshot>();
  const inodes = new Map<bigint, string>();
  const pending: Buffer[] = [Buffer.alloc(0)];
  while (pending.length > 0) {
    const rel = pending.pop() as Buffer;
    const names = (await readdir(Buffer.concat([root, rel]), { encoding: 'buffer' })).sort(Buffer.compare);
    for (const name of names) {
      const relPath = Buffer.concat([rel, Buffer.from('/'), name]);
      const full = Buffer.concat([root, relPath]);
      const st = await lstat(full, { bigint: true });
      const key = relPath.toString('hex');
      const snap: EntrySnapshot = {
        type: typeName(st),
        mode: Number(st.mode & 0o7777n),
        uid: Number(st.uid),
        gid: Number(st.gid),
        mtimeUs: st.mtimeNs / 1000n,
      };
      if (st.isFile()) snap.content = (await readFile(full)).toString('hex');
      if (st.isSymbolicLink()) snap.target = (await readlink(full, { encoding: 'buffer' })).toString('hex');
      if (!st.isDirectory() && st.nlink > 1n) {
        const first = inodes.get(st.ino);
        if (first === undefined) inodes.set(st.ino, key);
        snap.linkGroup = first ?? key;
      }
      if (st.isDirectory()) pending.push(relPath);
      if (snap.type === 'symlink') snap.mode = 0; // symlink modes are meaningless on Linux
      out.set(key, snap);
    }
  }
  return out;
}
