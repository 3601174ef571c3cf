/**
 * Restores count only once they match their source. The suite has its own comparer,
 * built for big trees: content is digested in 1 MiB reads (a 1 GiB file never sits in
 * memory), and mtimes are compared at the resolution the tool under test keeps (Bacula
 * and tar keep whole seconds, Burrow microseconds). It checks type, mode, owner, size,
 * content, link target, hard-link grouping and mtime; names are raw bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';

interface Entry { st: BigIntStats; digest?: string; target?: string }

const CHUNK = 1024 * 1024;

function digestFile(path: Buffer, buf: Buffer): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

function walk(root: Buffer, out: Map<string, Entry>): void {
  const buf = Buffer.alloc(CHUNK);
  const stack: Buffer[] = [Buffer.alloc(0)];
  for (let rel = stack.pop(); rel !== undefined; rel = stack.pop()) {
    const full = rel.length ? Buffer.concat([root, Buffer.from('/'), rel]) : root;
    const st = lstatSync(full, { bigint: true });
    const entry: Entry = { st };
    if (st.isFile()) entry.digest = digestFile(full, buf);
    if (st.isSymbolicLink()) entry.target = readlinkSync(full, { encoding: 'buffer' }).toString('hex');
    out.set(rel.toString('latin1'), entry);
    if (st.isDirectory()) {
      for (const name of readdirSync(full, { encoding: 'buffer' })) stack.push(rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name);
    }
  }
}

function kind(st: BigIntStats): string {
  return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'special';
}

/** For each name with siblings by inode, the sorted group it belongs to. */
function linkGroups(m: Map<string, Entry>): Map<string, string> {
  const byInode = new Map<bigint, string[]>();
  for (const [k, e] of m) if (!e.st.isDirectory() && e.st.nlink > 1n) byInode.set(e.st.ino, [...(byInode.get(e.st.ino) ?? []), k]);
  const group = new Map<string, string>();
  for (const names of byInode.values()) for (const n of names) group.set(n, [...names].sort().join('|'));
  return group;
}

export function compareTrees(expectedRoot: string, actualRoot: string, mtimeResolutionNs: bigint): string[] {
  const a = new Map<string, Entry>();
  const b = new Map<string, Entry>();
  walk(Buffer.from(expectedRoot), a);
  walk(Buffer.from(actualRoot), b);
  const ga = linkGroups(a);
  const gb = linkGroups(b);
  const diffs: string[] = [];
  for (const [k, e] of a) {
    const f = b.get(k);
    const at = k || '.';
    if (!f) { diffs.push(`${at}: missing`); continue; }
    if (kind(e.st) !== kind(f.st)) { diffs.push(`${at}: type ${kind(f.st)}, expected ${kind(e.st)}`); continue; }
    if ((e.st.mode & 0o7777n) !== (f.st.mode & 0o7777n)) diffs.push(`${at}: mode ${(f.st.mode & 0o7777n).toString(8)}, expected ${(e.st.mode & 0o7777n).toString(8)}`);
    if (e.st.uid !== f.st.uid || e.st.gid !== f.st.gid) diffs.push(`${at}: owner ${f.st.uid}:${f.st.gid}, expected ${e.st.uid}:${e.st.gid}`);
    if (e.st.isFile() && e.st.size !== f.st.size) diffs.push(`${at}: size ${f.st.size}, expected ${e.st.size}`);
    if (e.digest !== f.digest) diffs.push(`${at}: content differs`);
    if (e.target !== f.target) diffs.push(`${at}: link target differs`);
    if (!e.st.isSymbolicLink() && e.st.mtimeNs / mtimeResolutionNs !== f.st.mtimeNs / mtimeResolutionNs) diffs.push(`${at}: mtime ${f.st.mtimeNs}, expected ${e.st.mtimeNs}`);
    if (ga.get(k) !== gb.get(k)) diffs.push(`${at}: hard-link group ${gb.get(k) ?? 'none'}, expected ${ga.get(k) ?? 'none'}`);
  }
  for (const k of b.keys()) if (!a.has(k)) diffs.push(`${k || '.'}: not expected`);
  return diffs;
}

/** Throws, naming the first differences, unless `restored` matches `source`. */
export function assertSameTree(source: string, restored: string, what: string, mtimeResolutionNs: bigint): void {
  const diffs = compareTrees(source, restored, mtimeResolutionNs);
  if (diffs.length > 0) {
    throw new Error(`${what}: the restore differs from its source in ${diffs.length} places:\n${diffs.slice(0, 20).join('\n')}`);
  }
}

/** Bytes under a folder (volume files, archives), for compression ratios. */
export function bytesUnder(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += bytesUnder(join(path, name));
  return total;
}
