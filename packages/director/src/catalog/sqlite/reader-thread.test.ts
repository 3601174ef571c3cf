import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import { syntheticBackup } from '../synthetic.js';
import { TREE_PAGE } from '../tree-page.js';
import type { Catalog } from '../catalog.js';
import type { TreePage } from '../types.js';
import { openSqliteCatalog } from './open.js';
import { CatalogReader } from './reader-thread.js';

/** More than two pages, so a stream runs past the reader's window. */
const FILES = 45_000;
const PAGES = Array.from({ length: Math.ceil(FILES / TREE_PAGE) }, (_, i) => Math.min(TREE_PAGE, FILES - i * TREE_PAGE));

async function withBigJob(work: (c: Catalog, jobId: number, file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-reader-'));
  const file = join(dir, 'c.db');
  const c = openSqliteCatalog(file);
  try {
    const { jobId } = await syntheticBackup(c, { files: FILES, finish: true });
    await work(c, jobId, file);
  } finally {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every entry's full path, from the pages' names and directories. */
function paths(pages: TreePage[]): string[] {
  return pages.flatMap((p) => Array.from({ length: p.count }, (_, i) =>
    `${p.dirs.get(p.pathId[i] as number)?.toString() ?? '?'}${p.names.subarray(p.nameStart[i], p.nameStart[i + 1]).toString()}`));
}

test('the reader thread sends a large job in pages, each with its directories, and the catalog works on meanwhile', async () => {
  await withBigJob(async (c, jobId) => {
    const pages: TreePage[] = [];
    for await (const page of c.restoreTreePages([jobId])) {
      pages.push(page);
      // The main thread's connection is free while the reader reads.
      assert.equal((await c.getJob(jobId))?.status, 'T');
    }
    assert.ok(PAGES.length > 2);
    assert.deepEqual(pages.map((p) => p.count), PAGES);
    const all = paths(pages);
    assert.equal(new Set(all).size, FILES);
    assert.ok(all.includes('/bench/d2/e0/f0/file-40000.dat'), all.slice(40_000, 40_002).join());
    assert.deepEqual([...new Set(pages.flatMap((p) => Array.from(p.jobId)))], [jobId]);
  });
});

test('a restore selection of a whole large job comes back in batches, in order, with its volume and paths', async () => {
  await withBigJob(async (c, jobId) => {
    const rows = await c.selectRestoreFiles([jobId]);
    assert.equal(rows.length, FILES);
    assert.ok(rows.every((r, i) => r.fileIndex === i + 1 && r.jobId === jobId && r.volumeName === 'Vol-0001'));
    assert.equal(rows[FILES - 1]?.path.toString(), `/bench/d2/e4/f19/file-${FILES - 1}.dat`);
    const versions = await c.fileVersions([jobId], Buffer.from('/bench/d0/e0/f0/file-7.dat'));
    assert.deepEqual(versions.map((v) => [v.jobId, v.fileIndex, v.volumeName, Buffer.isBuffer(v.digest)]), [[jobId, 8, 'Vol-0001', true]]);
  });
});

test('a consumer that stops early ends its stream; the next one is served, and sees the catalog as it began', async () => {
  await withBigJob(async (c, jobId) => {
    for await (const page of c.restoreTreePages([jobId])) {
      assert.equal(page.count, TREE_PAGE);
      break;
    }
    const stream = c.restoreTreePages([jobId])[Symbol.asyncIterator]();
    const first = await stream.next();
    assert.equal(first.done, false);
    // Pruned while the stream is open: its pages still come from the catalog as it was.
    assert.equal(await c.deleteFiles([jobId]), FILES);
    let rest = 0;
    for (let next = await stream.next(); next.done !== true; next = await stream.next()) rest += next.value.count;
    assert.equal(rest, FILES - TREE_PAGE);
    let after = 0;
    for await (const page of c.restoreTreePages([jobId])) after += page.count;
    assert.equal(after, 0, 'a stream begun after the prune sees none');
  });
});

test('a catalog closed while a stream is open ends the stream with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-reader-'));
  try {
    const c = openSqliteCatalog(join(dir, 'c.db'));
    const { jobId } = await syntheticBackup(c, { files: FILES, finish: true });
    const stream = c.restoreTreePages([jobId])[Symbol.asyncIterator]();
    await stream.next();
    c.close();
    await assert.rejects(async () => { for (let n = await stream.next(); n.done !== true; n = await stream.next()); },
      (err: unknown) => err instanceof BurrowError && err.code === 'CATALOG' && /is closed/.test(err.message));
    await assert.rejects(c.restoreTreePages([jobId])[Symbol.asyncIterator]().next(), /is closed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader thread that dies fails its stream with an error naming the catalog', async () => {
  const reader = new CatalogReader('/nonexistent/burrow-reader/c.db');
  try {
    await assert.rejects(reader.treePages([1])[Symbol.asyncIterator]().next(),
      (err: unknown) => err instanceof BurrowError && err.code === 'CATALOG'
        && /catalog \/nonexistent\/burrow-reader\/c\.db: the reader thread stopped: ./.test(err.message));
  } finally {
    reader.close();
  }
});

test('the WAL is checkpointed off the main thread: what is committed reaches the database file, and the WAL starts again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-reader-'));
  const file = join(dir, 'c.db');
  const c = openSqliteCatalog(file);
  try {
    const { jobId } = await syntheticBackup(c, { files: FILES, finish: true });
    await c.addLog(jobId, 0, 'a last line, after the files');
    // What the database file holds without its WAL, read from a copy of it alone.
    const copy = join(dir, 'copy.db');
    const inFileAlone = (): { files: number; lines: number } => {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
      copyFileSync(file, copy);
      const db = new Database(copy);
      try {
        const count = (sql: string): number => (db.prepare(sql).get(jobId) as { n: number }).n;
        return { files: count('SELECT COUNT(*) AS n FROM File WHERE JobId = ?'), lines: count('SELECT COUNT(*) AS n FROM Log WHERE JobId = ?') };
      } catch {
        return { files: -1, lines: -1 }; // copied in the middle of a checkpoint: look again
      } finally {
        db.close();
      }
    };
    // The writer checkpoints by itself only past 10,000 pages; a small last write never
    // reaches the file unless the thread checkpoints it (nothing more is asked of the catalog).
    let seen = inFileAlone();
    for (let waited = 0; (seen.files !== FILES || seen.lines === 0) && waited < 10_000; waited += 100) {
      await sleep(100);
      seen = inFileAlone();
    }
    assert.equal(seen.files, FILES, 'every file row is in the database file');
    assert.ok(seen.lines > 0, 'the last log line is in the database file');
    // All of it copied: the next write starts the WAL again from its beginning.
    await c.addLog(jobId, 0, 'one more line');
    const probe = new Database(file);
    try {
      const [wal] = probe.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
      assert.ok(wal !== undefined && wal.log < 20, `the WAL holds only the last write: ${JSON.stringify(wal)}`);
    } finally {
      probe.close();
    }
  } finally {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
