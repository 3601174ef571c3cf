/**
 * A tree builder and a tree comparer for end-to-end tests. The comparer walks two
 * trees by raw byte names and reports every difference by path: type, mode, owner,
 * size, content digest, link target, hard-link grouping and mtime.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, linkSync, lutimesSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '@burrow/common/names/index';

/** Builds a tree with the file kinds Burrow 0.1 restores exactly. Returns its file count. */
export function buildSampleTree(root: string): number {
  mkdirSync(join(root, 'docs', 'deep', 'deeper'), { recursive: true });
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'readonly'));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'docs', 'hello.txt'), 'hello, world\n');
  writeFileSync(join(root, 'docs', 'deep', 'compressible.txt'), 'burrow '.repeat(200_000));
  writeFileSync(join(root, 'docs', 'deep', 'deeper', 'random.bin'), randomBytes(3 * 1024 * 1024 + 17));
  writeFileSync(join(root, 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(join(root, 'bin', 'tool'), 0o755);
  writeFileSync(join(root, 'bin', 'setuid-tool'), 'pretend binary');
  writeFileSync(join(root, 'secret'), 'only me');
  chmodSync(join(root, 'secret'), 0o600);
  writeFileSync(join(root, 'owned'), 'by someone else');
  chownSync(join(root, 'owned'), 1234, 5678);
  chownSync(join(root, 'bin', 'setuid-tool'), 4321, 4321);
  chmodSync(join(root, 'bin', 'setuid-tool'), 0o4755);
  symlinkSync('docs/hello.txt', join(root, 'relative-link'));
  symlinkSync('/etc/hostname', join(root, 'absolute-link'));
  symlinkSync('does/not/exist', join(root, 'dangling-link'));
  linkSync(join(root, 'docs', 'hello.txt'), join(root, 'hardlink-to-hello'));
  writeFileSync(join(root, 'readonly', 'inside'), 'in a 0555 directory');
  writeFileSync(join(root, 'old'), 'from long ago');
  utimesSync(join(root, 'old'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
  lutimesSync(join(root, 'relative-link'), new Date('2010-01-01T00:00:00Z'), new Date('2010-01-01T00:00:00Z'));
  chmodSync(join(root, 'readonly'), 0o555);
  chmodSync(join(root, 'docs', 'deep'), 0o750);
  utimesSync(join(root, 'docs'), new Date('2020-05-05T05:05:05Z'), new Date('2020-05-05T05:05:05Z'));
  return countEntries(Buffer.from(root));
}

function countEntries(dir: Buffer): number {
  let n = 1;
  for (const name of readdirSync(dir, { encoding: 'buffer' })) {
    const p = Buffer.concat([dir, Buffer.from('/'), name]);
    n += lstatSync(p).isDirectory() ? countEntries(p) : 1;
  }
  return n;
}

interface Entry {
  rel: string;
  st: BigIntStats;
  digest?: string;
  target?: string;
}

function walk(root: Buffer, rel: Buffer, out: Map<string, Entry>): void {
  const full = rel.length ? Buffer.concat([root, Buffer.from('/'), rel]) : root;
  const st = lstatSync(full, { bigint: true });
  const key = rel.toString('latin1');
  const entry: Entry = { rel: displayPath(rel), st };
  if (st.isFile()) entry.digest = createHash('sha256').update(readFileSync(full)).digest('hex');
  if (st.isSymbolicLink()) entry.target = readlinkSync(full, { encoding: 'buffer' }).toString('hex');
  out.set(key, entry);
  if (st.isDirectory()) {
    for (const name of readdirSync(full, { encoding: 'buffer' })) {
      walk(root, rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name, out);
    }
  }
}

function kind(st: BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'char device';
  if (st.isBlockDevice()) return 'block device';
  return 'socket';
}

/**
 * Every difference between two trees, one line each; empty when they are the same.
 * `excluded` names entries (relative paths) the backup left out on purpose: they and
 * everything below them must be absent from the actual tree.
 */
export function compareTrees(expectedRoot: string, actualRoot: string, excluded: string[] = []): string[] {
  const a = new Map<string, Entry>();
  const b = new Map<string, Entry>();
  walk(Buffer.from(expectedRoot), Buffer.alloc(0), a);
  walk(Buffer.from(actualRoot), Buffer.alloc(0), b);
  for (const key of [...a.keys()]) {
    if (excluded.some((x) => key === x || key.startsWith(`${x}/`))) a.delete(key);
  }
  const diffs: string[] = [];
  const linkGroups = (m: Map<string, Entry>): Map<string, string> => {
    const byInode = new Map<bigint, string[]>();
    for (const [k, e] of m) if (!e.st.isDirectory() && e.st.nlink > 1n) byInode.set(e.st.ino, [...(byInode.get(e.st.ino) ?? []), k]);
    const group = new Map<string, string>();
    for (const names of byInode.values()) for (const n of names) group.set(n, [...names].sort().join('|'));
    return group;
  };
  const ga = linkGroups(a);
  const gb = linkGroups(b);
  for (const [k, e] of a) {
    const f = b.get(k);
    const at = e.rel || '.';
    if (!f) { diffs.push(`${at}: missing`); continue; }
    if (kind(e.st) !== kind(f.st)) { diffs.push(`${at}: type ${kind(f.st)}, expected ${kind(e.st)}`); continue; }
    if ((e.st.mode & 0o7777n) !== (f.st.mode & 0o7777n)) diffs.push(`${at}: mode ${(f.st.mode & 0o7777n).toString(8)}, expected ${(e.st.mode & 0o7777n).toString(8)}`);
    if (e.st.uid !== f.st.uid || e.st.gid !== f.st.gid) diffs.push(`${at}: owner ${f.st.uid}:${f.st.gid}, expected ${e.st.uid}:${e.st.gid}`);
    if (e.st.isFile() && e.st.size !== f.st.size) diffs.push(`${at}: size ${f.st.size}, expected ${e.st.size}`);
    if (e.digest !== f.digest) diffs.push(`${at}: content differs`);
    if (e.target !== f.target) diffs.push(`${at}: link target differs`);
    // Microseconds: what Node can set (the exact-times issue takes this further).
    if (e.st.mtimeNs / 1000n !== f.st.mtimeNs / 1000n) diffs.push(`${at}: mtime ${f.st.mtimeNs}, expected ${e.st.mtimeNs}`);
    if (ga.get(k) !== gb.get(k)) diffs.push(`${at}: hard-link group ${gb.get(k) ?? 'none'}, expected ${ga.get(k) ?? 'none'}`);
  }
  for (const [k, f] of b) if (!a.has(k)) diffs.push(`${f.rel || '.'}: not expected`);
  return diffs;
}
