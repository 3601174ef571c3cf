/**
 * A tree builder for end-to-end tests, and the tree comparer (compare.ts), which
 * reports every difference by path.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, linkSync, lutimesSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

export { compareTrees, type CompareOptions } from './compare.js';

/** The bytes of the regular files below `dir` so far (0 while it does not exist): how far a restore got. */
export function bytesBelow(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) n += statSync(p).size;
    }
  };
  try {
    walk(dir);
  } catch {
    // not made yet
  }
  return n;
}
