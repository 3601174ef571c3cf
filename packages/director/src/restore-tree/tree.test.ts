import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteCatalog, type Catalog, type FileInput } from '../catalog/index.js';
import { burrow } from '@burrow/common/proto/index';
import { RestoreTree } from './tree.js';
import { ownedBy } from './owner.js';
import { matches, wildcard } from './wildcard.js';

const NON_UTF8 = Buffer.from([0x2f, 0x64, 0x2f, 0xff, 0x66]); // "/d/\xfff"

function row(path: string | Buffer, fileIndex: number, mediaId: number | null, type = 1, size = 10): FileInput {
  return { fileIndex, path: typeof path === 'string' ? Buffer.from(path) : path, mediaId, addr: fileIndex * 100, type, size,
    mtime: 1_700_000_000_000, attributes: Buffer.alloc(4) };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function withCatalog(work: (c: Catalog, job: (level: 'F' | 'I', rows: FileInput[]) => Promise<number>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-tree-'));
  const c = openSqliteCatalog(join(dir, 'c.db'));
  try {
    const clientId = await c.ensureClient('fd');
    const fileSetId = await c.ensureFileSet('fs', 'd');
    const poolId = await c.ensurePool({ name: 'Full' });
    const mediaId = await c.createMedia({ volumeName: 'V1', poolId, mediaType: 'File' });
    await work(c, async (level, rows) => {
      const jobId = await c.createJob({ name: 'b', type: 'B', level, clientId, fileSetId, poolId, schedTime: 1 });
      await c.insertFiles(jobId, rows.map((r) => ({ ...r, mediaId: r.fileIndex === 0 ? null : mediaId })));
      return jobId;
    });
  } finally {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the tree holds the newest version of each path, hides deleted files and finds names as bytes', async () => {
  await withCatalog(async (c, job) => {
    const full = await job('F', [row('/d', 1, 1, 2), row('/d/a.txt', 2, 1), row('/d/sub', 3, 1, 2), row('/d/sub/b.conf', 4, 1), row(NON_UTF8, 5, 1), row('/d/gone', 6, 1)]);
    const inc = await job('I', [row('/d/a.txt', 1, 1, 1, 99), row('/d/gone', 0, null)]);
    const tree = await RestoreTree.from(c.restoreTreePages([full, inc]));
    const d = tree.lookup(Buffer.from('/d'));
    assert.ok(d > 0 && tree.isDir(d));
    assert.deepEqual(Array.from(tree.childrenOf(d)).map((n) => tree.name(n).toString('latin1')), ['a.txt', 'sub', '\xfff']);
    const a = tree.lookup(Buffer.from('/d/a.txt'));
    assert.equal(tree.info(a).jobId, inc);
    assert.equal(tree.info(a).size, 99);
    assert.equal(tree.lookup(Buffer.from('/d/gone')), -1);
    assert.equal(tree.path(tree.lookup(NON_UTF8)).equals(NON_UTF8), true);
    assert.equal(tree.info(0).jobId, 0, 'the root was not saved itself');

    assert.equal(await tree.setMark(tree.lookup(Buffer.from('/d/sub')), true), 2);
    assert.deepEqual([...tree.markedFiles()].map((n) => tree.path(n).toString()), ['/d/sub', '/d/sub/b.conf']);
    await tree.setMark(0, true);
    assert.equal([...tree.markedFiles()].length, 5);
    await tree.setMark(0, false);
    assert.equal(tree.marks, 0);
  });
});

test("one job's tree comes from packed pages with names as bytes, old mtimes and every column intact", async () => {
  await withCatalog(async (c, job) => {
    const odd = Buffer.from([0x2f, 0x64, 0x2f, 0xc0, 0x80, 0x2c, 0xe2, 0x82, 0xff, 0x0a]); // overlong, a comma, a cut sequence, a newline
    const rows = [row('/d', 1, 1, 2), { ...row(odd, 2, 1, 1, 2 ** 40), mtime: -86_400_123 }, row(NON_UTF8, 3, 1), row('/d/sub', 4, 1, 2), row('/d/sub/x', 5, 1)];
    const full = await job('F', rows);
    const pages = await collect(c.restoreTreePages([full]));
    assert.equal(pages.reduce((n, p) => n + p.count, 0), 5);
    const tree = await RestoreTree.from(pages);
    const n = tree.lookup(odd);
    assert.ok(n > 0, 'the odd name is found as the same bytes');
    assert.ok(tree.path(n).equals(odd));
    const info = tree.info(n);
    assert.deepEqual([info.jobId, info.fileIndex, info.addr, info.size, info.mtime, info.type], [full, 2, 200, 2 ** 40, -86_400_123, 1]);
    assert.ok(tree.lookup(NON_UTF8) > 0);
    assert.equal(tree.info(tree.lookup(Buffer.from('/d/sub/x'))).fileIndex, 5);
    await tree.setMark(0, true);
    assert.equal([...tree.markedFiles()].length, 5);
  });
});

/** A row whose attributes say who owned it (a user's console filters on that). */
function owned(path: string, fileIndex: number, uid: number, type = 1): FileInput {
  const attributes = Buffer.from(burrow.FileAttributes.encode({ path: Buffer.from(path), type, uid, gid: uid }).finish());
  return { ...row(path, fileIndex, 1, type), attributes };
}

test("a user's tree holds only their files, and other owners' directories only on the way to them", async () => {
  await withCatalog(async (c, job) => {
    const full = await job('F', [
      owned('/h', 1, 0, 2), owned('/h/u1', 2, 2001, 2), owned('/h/u1/a', 3, 2001), owned('/h/u2', 4, 2002, 2), owned('/h/u2/c', 5, 2002),
      owned('/h/shared', 6, 2002, 2), owned('/h/shared/mine', 7, 2001), owned('/h/shared/theirs', 8, 2002), owned('/h/shared/empty', 9, 2002, 2),
    ]);
    const tree = await RestoreTree.from(ownedBy(c.restoreTreePages([full], { owners: true }), 2001));
    await tree.setMark(0, true);
    assert.deepEqual([...tree.markedFiles()].map((n) => tree.path(n).toString()).sort(), ['/h/shared/mine', '/h/u1', '/h/u1/a']);
    assert.equal(tree.lookup(Buffer.from('/h/u2')), -1, "a directory with nothing of theirs is not shown");
    assert.equal(tree.lookup(Buffer.from('/h/shared/theirs')), -1);
    assert.equal(tree.lookup(Buffer.from('/h/shared/empty')), -1);
    const shared = tree.lookup(Buffer.from('/h/shared'));
    assert.ok(shared > 0 && tree.isDir(shared), 'shown to reach their file');
    assert.equal(tree.info(shared).jobId, 0, "another owner's directory is not restored with its attributes");
    await assert.rejects(collect(ownedBy(c.restoreTreePages([full]), 2001)), /lack their owner/);
  });
});

test('wildcards match bytes', () => {
  assert.ok(matches(wildcard(Buffer.from('*.conf')), Buffer.from('b.conf')));
  assert.ok(!matches(wildcard(Buffer.from('*.conf')), Buffer.from('b.confx')));
  assert.ok(matches(wildcard(Buffer.from('[!a]?')), Buffer.from('bc')));
  assert.ok(matches(wildcard(Buffer.from('*f')), Buffer.from([0xff, 0x66])));
});

test('marking a large tree lets the event loop run, and marks every file all the same', async () => {
  await withCatalog(async (c, job) => {
    const files = 50_000;
    const rows = [row('/big', 1, 1, 2), ...Array.from({ length: files }, (_, i) => row(`/big/f${i}`, i + 2, 1))];
    const tree = await RestoreTree.from(c.restoreTreePages([await job('F', rows)]));
    let turns = 0;
    const ticking = setInterval(() => { turns++; }, 0);
    try {
      assert.equal(await tree.setMark(0, true), files + 2);
    } finally {
      clearInterval(ticking);
    }
    assert.ok(turns > 0, 'timers ran while the tree was marked');
    assert.equal([...tree.markedFiles()].length, files + 1);
  });
});
