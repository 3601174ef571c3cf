import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { catalogConformance, fileRow, NON_UTF8, seed } from '../conformance.js';
import { rejectionCode } from '../conformance-fixtures.js';
import { FILE_CHUNK } from './prune.js';
import { buildBootstrap } from '../bootstrap.js';
import type { FileInput } from '../types.js';
import { openSqliteCatalog } from './open.js';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-catalog-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

catalogConformance('sqlite', () => {
  const t = tempDir();
  const catalog = openSqliteCatalog(join(t.dir, 'burrow.db'));
  return { catalog, cleanup: () => { catalog.close(); t.cleanup(); } };
});

test('sqlite: WAL mode, foreign keys, and data kept across a reopen', async () => {
  const t = tempDir();
  try {
    const file = join(t.dir, 'burrow.db');
    const c = openSqliteCatalog(file);
    const s = await seed(c);
    const j = await c.createJob({ name: 'j', type: 'B', level: 'F', clientId: s.clientId, fileSetId: s.fileSetId,
      poolId: s.poolId, schedTime: 1 });
    await c.insertFiles(j, [fileRow(NON_UTF8, 1, s.mediaId, 64)]);
    c.close();
    c.close(); // closing twice is harmless

    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.prepare("SELECT typeof(Name) FROM File").pluck().get(), 'blob');
    assert.equal(raw.prepare("SELECT typeof(Path) FROM Path").pluck().get(), 'blob');
    raw.close();

    const again = openSqliteCatalog(file);
    assert.ok((await again.listFiles(j))[0]?.path.equals(NON_UTF8));
    // A new job after reopening never reuses an id, as job ids are session ids on volumes.
    const k = await again.createJob({ name: 'j', type: 'B', level: 'F', clientId: s.clientId, fileSetId: s.fileSetId,
      poolId: s.poolId, schedTime: 2 });
    assert.ok(k > j);
    again.close();
    await assert.rejects(again.countFiles(j), { name: 'BurrowError', code: 'CATALOG' });
  } finally {
    t.cleanup();
  }
});

test('sqlite: a file that is not a database is refused with a CATALOG error', () => {
  const t = tempDir();
  try {
    const file = join(t.dir, 'junk.db');
    writeFileSync(file, Buffer.alloc(8192, 0x41));
    assert.throws(() => openSqliteCatalog(file), { name: 'BurrowError', code: 'CATALOG' });
  } finally {
    t.cleanup();
  }
});

test('sqlite: restore selection feeds a bootstrap straight from the catalog', async () => {
  const t = tempDir();
  const c = openSqliteCatalog(join(t.dir, 'burrow.db'));
  try {
    const s = await seed(c);
    const vol2 = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
    const j = await c.createJob({ name: 'j', type: 'B', level: 'F', clientId: s.clientId, fileSetId: s.fileSetId,
      poolId: s.poolId, schedTime: 1 });
    // File 3 starts near the end of Full-0001 and runs on into Full-0002.
    await c.insertFiles(j, [fileRow('/d/1', 1, s.mediaId, 64), fileRow('/d/2', 2, s.mediaId, 64),
      fileRow('/d/3', 3, s.mediaId, 5000), fileRow('/d/4', 4, vol2, 32)]);
    await c.addJobMedia({ jobId: j, mediaId: s.mediaId, firstIndex: 1, lastIndex: 3, startAddr: 64, endAddr: 9000, volIndex: 1 });
    await c.addJobMedia({ jobId: j, mediaId: vol2, firstIndex: 3, lastIndex: 4, startAddr: 32, endAddr: 700, volIndex: 2 });
    const rows = await c.selectRestoreFiles([j], { paths: [Buffer.from('/d/2'), Buffer.from('/d/3')] });
    assert.deepEqual(buildBootstrap(rows, await c.listJobMedia(j)).sections, [
      { volume: 'Full-0001', mediaType: 'File', sessionId: j, startAddr: 64, endAddr: 9000, fileIndexes: [{ first: 2, last: 3 }], count: 2 },
      { volume: 'Full-0002', mediaType: 'File', sessionId: j, startAddr: 32, endAddr: 700, fileIndexes: [{ first: 3, last: 3 }], count: 1 },
    ]);
  } finally {
    c.close();
    t.cleanup();
  }
});

test('sqlite: a deletion of files cut off half-way leaves a job no restore reads; the next prune or purge finishes it', async () => {
  const t = tempDir();
  const file = join(t.dir, 'burrow.db');
  let c = openSqliteCatalog(file);
  try {
    const s = await seed(c);
    const job = async (level: 'F' | 'I', at: number, paths: number): Promise<number> => {
      const j = await c.createJob({ name: 'j', type: 'B', level, clientId: s.clientId, fileSetId: s.fileSetId, poolId: s.poolId, schedTime: at });
      await c.startJob(j, at);
      await c.insertFiles(j, Array.from({ length: paths }, (_, i) => fileRow(`/d/file-${i}`, i + 1, s.mediaId, 64)));
      await c.addJobMedia({ jobId: j, mediaId: s.mediaId, firstIndex: 1, lastIndex: paths, startAddr: 0, endAddr: 9, volIndex: 1 });
      await c.finishJob(j, { status: 'T', endTime: at, jobFiles: paths, jobBytes: 1 });
      return j;
    };
    const full = await job('F', 1000, 1);
    const rows = FILE_CHUNK * 2 + 5000;
    const inc = await job('I', 2000, rows);
    // The first chunk goes at once; the Director "stops" before the second.
    for (const cut of [(ids: number[]) => c.deleteFiles(ids), (ids: number[]) => c.deleteJobs(ids)]) {
      const deleting = cut([inc]);
      c.close();
      assert.equal(await rejectionCode(deleting), 'CATALOG');
      c = openSqliteCatalog(file);
      assert.equal((await c.getJob(inc))?.purgedFiles, true);
      const left = await c.countFiles(inc);
      assert.ok(left > 0 && left < rows, `${left} rows left`);
      // Its rows left are never read for a restore: the Full's version is the newest there is.
      assert.deepEqual((await c.selectRestoreFiles([full, inc])).map((r) => [r.jobId, r.path.toString()]), [[full, '/d/file-0']]);
      let entries = 0;
      for await (const page of c.restoreTreePages([full, inc])) entries += page.count;
      assert.equal(entries, 1);
      assert.deepEqual((await c.fileVersions([full, inc], Buffer.from('/d/file-0'))).map((v) => v.jobId), [full]);
      const state = await c.snapshotCurrentState([full, inc]);
      assert.equal(state.count, 1);
      await state.drop();
      // The next prune of files finds it again; a purge of its jobs too (it keeps its JobMedia).
      assert.deepEqual((await c.jobsOlderThan({ before: 5000, withFiles: true })).map((j) => j.jobId), [full, inc]);
      assert.deepEqual((await c.jobsOnMedia(s.mediaId)).map((j) => j.jobId), [full, inc]);
    }
    assert.deepEqual(await c.deleteJobs([inc]), [s.mediaId]);
    assert.deepEqual([await c.getJob(inc), await c.countFiles(inc)], [undefined, 0]);
    assert.deepEqual((await c.jobsOlderThan({ before: 5000, withFiles: true })).map((j) => j.jobId), [full]);
  } finally {
    c.close();
    t.cleanup();
  }
});

test('sqlite: insert rate of the file hot path (printed, not asserted)', async () => {
  const t = tempDir();
  const c = openSqliteCatalog(join(t.dir, 'burrow.db'));
  try {
    const s = await seed(c);
    const j = await c.createJob({ name: 'j', type: 'B', level: 'F', clientId: s.clientId, fileSetId: s.fileSetId,
      poolId: s.poolId, schedTime: 1 });
    const total = 200_000;
    const batch = 10_000;
    const attributes = Buffer.alloc(120, 7);
    const digest = Buffer.alloc(32, 9);
    // 50 files per directory, like a real tree; the batches are what the SD sends.
    const rows: FileInput[] = [];
    for (let i = 1; i <= total; i++) {
      rows.push({ fileIndex: i, path: Buffer.from(`/srv/data/d${Math.floor(i / 50)}/file-${i}.dat`),
        mediaId: s.mediaId, addr: i * 4096, type: 1, size: i, mtime: i, attributes, digest, digestAlgorithm: 3 });
    }
    const started = process.hrtime.bigint();
    for (let i = 0; i < total; i += batch) await c.insertFiles(j, rows.slice(i, i + batch));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`catalog insertFiles: ${total} rows in ${seconds.toFixed(2)} s = ` +
      `${Math.round(total / seconds)} rows/s`);
    assert.equal(await c.countFiles(j), total);
    const listStart = process.hrtime.bigint();
    let n = 0;
    for await (const r of c.iterateFiles(j)) n += r.fileIndex > 0 ? 1 : 0;
    const listSeconds = Number(process.hrtime.bigint() - listStart) / 1e9;
    console.log(`catalog iterateFiles: ${n} rows in ${listSeconds.toFixed(2)} s`);
    assert.equal(n, total);
    const restoreStart = process.hrtime.bigint();
    const chosen = await c.selectRestoreFiles([j], { paths: [Buffer.from('/srv/data/d7')] });
    console.log(`catalog selectRestoreFiles (one dir of ${total}): ` +
      `${((Number(process.hrtime.bigint() - restoreStart)) / 1e6).toFixed(1)} ms`);
    assert.equal(chosen.length, 50);
  } finally {
    c.close();
    t.cleanup();
  }
});
