/**
 * The comparer must be able to fail: each kind of difference it promises to see is
 * made on a copy of one small tree and must be reported, by path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, ftruncateSync, mkdtempSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT_FDCWD, closeFd, mkdirAt, openAt, openDirAt, setTimesAt, setXattr, symlinkAt } from '@burrow/fsx';
import { compareTrees } from './compare.js';
import { removeTree } from './kinds.js';

const B = (s: string): Buffer => Buffer.from(s);

function make(root: string, variant: Record<string, boolean>): void {
  const d = openDirAt(AT_FDCWD, B(root));
  try {
    const fd = openAt(d, B('f'), constants.O_WRONLY | constants.O_CREAT, 0o644);
    writeSync(fd, B(variant.content ? 'other' : 'hello'));
    if (variant.sparse) ftruncateSync(fd, 1 << 20);
    closeFd(fd);
    const big = openAt(d, B('holes'), constants.O_WRONLY | constants.O_CREAT, 0o644);
    writeSync(big, B('x'), 0, 1, 0);
    writeSync(big, B('y'), 0, 1, 1 << 21);
    if (variant.filled) writeSync(big, Buffer.alloc(1 << 16), 0, 1 << 16, 8192); // same content, more allocated
    ftruncateSync(big, (1 << 21) + 1);
    closeFd(big);
    symlinkAt(B(variant.target ? 'elsewhere' : 'f'), d, B('l'));
    mkdirAt(d, B('\nodd'), 0o755);
    if (!variant.xattr) setXattr(d, B('f'), B('user.k'), B('v'));
    setTimesAt(d, B('f'), { sec: 1, nsec: variant.atime ? 2 : 1 }, { sec: -5, nsec: variant.mtime ? 7 : 6 });
    for (const name of ['holes', 'l', '\nodd', '']) setTimesAt(d, B(name), { sec: 3, nsec: 0 }, { sec: 4, nsec: 0 });
  } finally {
    closeFd(d);
  }
}

test('compareTrees reports each kind of difference by path', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'burrow-cmp-'));
  t.after(() => removeTree(base));
  const variants = ['content', 'sparse', 'filled', 'target', 'xattr', 'atime', 'mtime'];
  mkdirAt(AT_FDCWD, B(join(base, 'same')), 0o755);
  make(join(base, 'same'), {});
  for (const v of ['want', ...variants]) {
    mkdirAt(AT_FDCWD, B(join(base, v)), 0o755);
    make(join(base, v), v === 'want' ? {} : { [v]: true });
  }
  const want = join(base, 'want');
  assert.deepEqual(compareTrees(want, join(base, 'same'), [], { atime: true }), []);
  const diffs = (v: string): string => compareTrees(want, join(base, v), [], { atime: true }).join('\n');
  assert.match(diffs('content'), /^f: content differs$/m);
  assert.match(diffs('sparse'), /^f: size 1048576, expected 5$/m);
  assert.match(diffs('filled'), /^holes: sparse file allocates \d+ bytes, expected \d+$/m);
  assert.doesNotMatch(diffs('filled'), /content differs/, 'allocated zeros read the same as holes');
  assert.match(diffs('target'), /^l: link target differs$/m);
  assert.match(diffs('xattr'), /^f: xattr user.k absent, expected 76$/m);
  assert.match(diffs('atime'), /^f: atime 1.000000002, expected 1.000000001$/m);
  assert.match(diffs('mtime'), /^f: mtime -5.000000007, expected -5.000000006$/m);
  assert.equal(compareTrees(want, join(base, 'mtime')).length, 1, 'atimes only compared on request');
});
