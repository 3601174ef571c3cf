import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Catalog } from './catalog.js';
import { backup, fileRow, NON_UTF8, rejectionCode, seed, T0, type CatalogFixture } from './conformance-fixtures.js';
import { mediaConformance } from './conformance-media.js';

export { fileRow, NON_UTF8, seed, type CatalogFixture } from './conformance-fixtures.js';

/**
 * The contract every Catalog implementation must meet (STYLE.md habit 12): a test
 * file per implementation calls this with a factory that opens a fresh, empty catalog
 * and a cleanup that closes and removes it.
 */

export function catalogConformance(name: string, open: () => CatalogFixture): void {
  const withCatalog = (fn: (c: Catalog) => void | Promise<void>) => async () => {
    const f = open();
    try { await fn(f.catalog); } finally { f.cleanup(); }
  };

  describe(`Catalog conformance: ${name}`, () => {
    it('ensures resources idempotently, a FileSet row per digest, pools updated from config', withCatalog(async (c) => {
      assert.equal(await c.ensureClient('a-fd'), await c.ensureClient('a-fd'));
      assert.notEqual(await c.ensureClient('a-fd'), await c.ensureClient('b-fd'));
      assert.equal(await c.ensureStorage('File'), await c.ensureStorage('File'));
      const f1 = await c.ensureFileSet('Set', 'd1');
      assert.equal(await c.ensureFileSet('Set', 'd1'), f1);
      const f2 = await c.ensureFileSet('Set', 'd2');
      assert.notEqual(f2, f1);
      assert.equal((await c.getFileSet(f2))?.digest, 'd2');
      const p = await c.ensurePool({ name: 'Inc', maximumVolumeJobs: 1 });
      assert.equal(await c.ensurePool({ name: 'Inc', maximumVolumeJobs: 5, recycle: false }), p);
      const pool = await c.getPool('Inc');
      assert.equal(pool?.maximumVolumeJobs, 5);
      assert.equal(pool?.recycle, false);
      assert.equal(pool?.autoPrune, true);
      assert.equal(pool?.poolType, 'Backup');
    }));

    it('runs a job through its lifecycle and keeps a final status final', withCatalog(async (c) => {
      const s = await seed(c);
      const jobId = await c.createJob({ name: 'backup-client1', type: 'B', level: 'F', clientId: s.clientId,
        fileSetId: s.fileSetId, poolId: s.poolId, schedTime: T0 });
      const created = await c.getJob(jobId);
      assert.equal(created?.status, 'C');
      assert.match(created?.job ?? '', new RegExp(`^backup-client1\\.\\d{4}-\\d\\d-\\d\\d_\\d\\d\\.\\d\\d\\.\\d\\d_0*${jobId}$`));
      assert.equal((await c.getJobByName(created?.job ?? ''))?.jobId, jobId);
      await c.startJob(jobId, T0 + 5);
      await c.setJobStatus(jobId, 'M');
      assert.equal((await c.getJob(jobId))?.status, 'M');
      await c.finishJob(jobId, { status: 'W', endTime: T0 + 60, jobFiles: 3, jobBytes: 300, jobErrors: 1 });
      const done = await c.getJob(jobId);
      assert.deepEqual([done?.status, done?.startTime, done?.endTime, done?.jobFiles, done?.jobBytes, done?.jobErrors],
        ['W', T0 + 5, T0 + 60, 3, 300, 1]);
      assert.equal(done?.clientName, 'client1-fd');
      assert.equal(done?.poolName, 'Full');
      assert.equal(await rejectionCode(c.finishJob(jobId, { status: 'T', endTime: T0, jobFiles: 0, jobBytes: 0 })), 'CATALOG');
      assert.equal(await rejectionCode(c.setJobStatus(jobId, 'R')), 'CATALOG');
      assert.equal(await rejectionCode(c.startJob(9999, T0)), 'NOT_FOUND');
      assert.equal(await rejectionCode(c.finishJob(jobId, { status: 'R', endTime: T0, jobFiles: 0, jobBytes: 0 })), 'BAD_REQUEST');
    }));

    it('finds the last good backup per level, client and fileset', withCatalog(async (c) => {
      const s = await seed(c);
      const full = await backup(c, s, 'F', T0);
      await c.finishJob(full, { status: 'T', endTime: T0 + 10, jobFiles: 1, jobBytes: 1 });
      const inc = await backup(c, s, 'I', T0 + 100);
      await c.finishJob(inc, { status: 'W', endTime: T0 + 110, jobFiles: 1, jobBytes: 1 });
      const failed = await backup(c, s, 'I', T0 + 200);
      await c.finishJob(failed, { status: 'E', endTime: T0 + 210, jobFiles: 0, jobBytes: 0 });
      const q = { clientId: s.clientId, fileSetId: s.fileSetId };
      assert.equal((await c.lastSuccessfulJob(q))?.jobId, inc);
      assert.equal((await c.lastSuccessfulJob({ ...q, levels: ['F'] }))?.jobId, full);
      assert.equal(await c.lastSuccessfulJob({ ...q, fileSetId: await c.ensureFileSet('LinuxAll', 'changed') }), undefined);
      assert.deepEqual((await c.listJobs()).map((j) => j.jobId), [full, inc, failed]);
      assert.deepEqual((await c.listJobs({ limit: 2 })).map((j) => j.jobId), [inc, failed]);
      assert.deepEqual(await c.listJobs({ client: 'nobody' }), []);
    }));

    it('marks jobs cut off by a dying daemon as fatal, with a log line', withCatalog(async (c) => {
      const s = await seed(c);
      const running = await backup(c, s, 'F', T0);
      const waiting = await c.createJob({ name: 'x', type: 'R', level: ' ', clientId: s.clientId, fileSetId: null,
        poolId: null, schedTime: T0 });
      const done = await backup(c, s, 'F', T0);
      await c.finishJob(done, { status: 'T', endTime: T0 + 1, jobFiles: 0, jobBytes: 0 });
      assert.deepEqual(await c.markInterruptedJobs(T0 + 99), [running, waiting]);
      assert.equal((await c.getJob(running))?.status, 'f');
      assert.equal((await c.getJob(running))?.endTime, T0 + 99);
      assert.equal((await c.getJob(done))?.status, 'T');
      assert.match((await c.getLog(waiting))[0]?.text ?? '', /Fatal error/);
      assert.deepEqual(await c.markInterruptedJobs(T0 + 100), []);
    }));

    it('keeps job logs in the order asked for, awaited or not, and lists messages not yet shown', withCatalog(async (c) => {
      const s = await seed(c);
      const j = await backup(c, s, 'F', T0);
      const [first] = await Promise.all([c.addLog(j, T0, 'started'), c.addLog(null, T0 + 1, 'director message'), c.addLog(j, T0 + 2, 'ended')]);
      assert.deepEqual((await c.getLog(j)).map((l) => l.text), ['started', 'ended']);
      assert.deepEqual((await c.listLogsSince(first)).map((l) => [l.jobId, l.text]), [[null, 'director message'], [j, 'ended']]);
      assert.deepEqual((await c.listLogsSince(first, 1)).length, 1);
      assert.equal(await rejectionCode(c.addLog(j + 1000, T0, 'a job that is not there')), 'CATALOG');
    }));

    it('chooses the volume to append to and records its usage', withCatalog(async (c) => {
      const s = await seed(c);
      const other = await c.ensurePool({ name: 'Other' });
      const fresh = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
      await c.createMedia({ volumeName: 'Tape-1', poolId: s.poolId, mediaType: 'LTO' });
      await c.createMedia({ volumeName: 'Other-1', poolId: other, mediaType: 'File' });
      assert.equal((await c.findAppendableMedia(s.poolId, 'File'))?.mediaId, s.mediaId);
      await c.updateMediaUsage(fresh, { volBytes: 100, volBlocks: 2, lastWritten: T0 + 10, incrementJobs: true, volFiles: 4 });
      // A written volume is filled before a fresh one is opened.
      assert.equal((await c.findAppendableMedia(s.poolId, 'File'))?.mediaId, fresh);
      await c.updateMediaUsage(s.mediaId, { volBytes: 50, volBlocks: 1, lastWritten: T0 + 5 });
      assert.equal((await c.findAppendableMedia(s.poolId, 'File'))?.mediaId, s.mediaId, 'oldest LastWritten first');
      await c.setMediaStatus(s.mediaId, 'Full');
      // VolFiles only grows by usage: a writer's late report of fewer files does not lower it.
      await c.updateMediaUsage(fresh, { volBytes: 200, volBlocks: 3, lastWritten: T0 + 20, volStatus: 'Used', incrementJobs: true, volFiles: 3 });
      assert.equal(await c.findAppendableMedia(s.poolId, 'File'), undefined);
      const m = await c.getMediaByName('Full-0002');
      assert.deepEqual([m?.volStatus, m?.volBytes, m?.volBlocks, m?.volJobs, m?.volFiles, m?.firstWritten, m?.lastWritten],
        ['Used', 200, 3, 2, 4, T0 + 10, T0 + 20]);
      assert.equal(m?.poolName, 'Full');
      assert.equal(await c.countMedia(s.poolId), 3);
      assert.deepEqual((await c.listMedia({ poolId: other })).map((x) => x.volumeName), ['Other-1']);
      assert.equal((await c.listMedia()).length, 4);
      assert.equal(await rejectionCode(c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' })), 'CATALOG');
      assert.equal(await rejectionCode(c.setMediaStatus(s.mediaId, 'Bogus' as 'Full')), 'BAD_REQUEST');
      assert.equal(await rejectionCode(c.setMediaStatus(4242, 'Full')), 'NOT_FOUND');
    }));

    it('stores file names byte for byte, including names that are not UTF-8', withCatalog(async (c) => {
      const s = await seed(c);
      const j = await backup(c, s, 'F', T0);
      const odd = [NON_UTF8, Buffer.from('/'), Buffer.from([0x2f, 0x61, 0x2f, 0xfe, 0x0a]), Buffer.from('/noslash/dir/')];
      await c.insertFiles(j, odd.map((p, i) => fileRow(p, i + 1, s.mediaId, 32 + i)));
      const back = await c.listFiles(j);
      assert.equal(back.length, odd.length);
      const iterated = [];
      for await (const row of c.iterateFiles(j)) iterated.push(row);
      assert.deepEqual(iterated, back, 'iterateFiles gives the rows listFiles does, as Buffers');
      for (const p of odd) {
        const row = back.find((r) => r.path.equals(p));
        assert.ok(row, `path ${p.toString('hex')} came back`);
        assert.ok(row.attributes.equals(Buffer.concat([Buffer.from([0x0a]), p])));
      }
      const first = back.find((r) => r.fileIndex === 1);
      assert.deepEqual([first?.mediaId, first?.addr, first?.type, first?.size, first?.mtime, first?.digestAlgorithm],
        [s.mediaId, 32, 1, 10, T0 + 1, 3]);
      assert.ok(first?.digest?.equals(Buffer.from([1, 1, 2])));
      assert.equal(await c.countFiles(j), odd.length);
      for (const [i, p] of odd.entries()) assert.ok((await c.filePath(j, i + 1))?.equals(p), `FileIndex ${i + 1} names ${p.toString('hex')}`);
      assert.equal(await c.filePath(j, odd.length + 1), undefined);
      assert.equal(await c.filePath(j + 1000, 1), undefined);
    }));

    it('inserts a batch all or nothing', withCatalog(async (c) => {
      const s = await seed(c);
      const j = await backup(c, s, 'F', T0);
      const bad = [fileRow('/new/dir/a', 1, s.mediaId, 0), fileRow('/new/dir/b', 2, 99_999, 0)];
      assert.equal(await rejectionCode(c.insertFiles(j, bad)), 'CATALOG');
      assert.equal(await c.countFiles(j), 0);
      // The directory row the failed batch created was rolled back; a new batch must still work.
      await c.insertFiles(j, [fileRow('/new/dir/a', 1, s.mediaId, 0)]);
      assert.equal((await c.listFiles(j))[0]?.path.toString(), '/new/dir/a');
      assert.equal(await rejectionCode(c.insertFiles(777, [fileRow('/x', 1, s.mediaId, 0)])), 'NOT_FOUND');
    }));

    it('selects the newest version of each path for a restore, leaving deleted files out', withCatalog(async (c) => {
      const s = await seed(c);
      const vol2 = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
      const full = await backup(c, s, 'F', T0);
      await c.insertFiles(full, [fileRow('/etc/a', 1, s.mediaId, 100), fileRow('/etc/b', 2, s.mediaId, 100),
        fileRow('/etc/sub/c', 3, s.mediaId, 200), fileRow('/etcetera', 4, s.mediaId, 300), fileRow(NON_UTF8, 5, s.mediaId, 300)]);
      const inc = await backup(c, s, 'I', T0 + 100);
      await c.insertFiles(inc, [fileRow('/etc/b', 1, vol2, 40), { ...fileRow('/etc/a', 0, null, 0) }]);
      const all = await c.selectRestoreFiles([full, inc]);
      assert.deepEqual(all.map((r) => [r.path.toString('latin1'), r.jobId, r.fileIndex, r.volumeName, r.addr]), [
        ['/etc/sub/c', full, 3, 'Full-0001', 200],
        ['/etcetera', full, 4, 'Full-0001', 300],
        [NON_UTF8.toString('latin1'), full, 5, 'Full-0001', 300],
        ['/etc/b', inc, 1, 'Full-0002', 40],
      ]);
      const etc = await c.selectRestoreFiles([full, inc], { paths: [Buffer.from('/etc/')] });
      assert.deepEqual(etc.map((r) => r.path.toString()), ['/etc/sub/c', '/etc/b']);
      const one = await c.selectRestoreFiles([full, inc], { paths: [NON_UTF8] });
      assert.ok(one.length === 1 && one[0]?.path.equals(NON_UTF8));
      assert.deepEqual((await c.selectRestoreFiles([full], { paths: [Buffer.from('/etc/a')] })).map((r) => r.addr), [100]);
      assert.equal((await c.selectRestoreFiles([full, inc], { paths: [Buffer.from('/')] })).length, 4);
      assert.deepEqual(await c.selectRestoreFiles([]), []);
    }));

    it('snapshots the current state of a chain for Accurate mode, with digests only when asked', withCatalog(async (c) => {
      const s = await seed(c);
      const full = await backup(c, s, 'F', T0);
      await c.insertFiles(full, [fileRow('/d/a', 1, s.mediaId, 100), fileRow('/d/b', 2, s.mediaId, 100), { ...fileRow('/d/c', 3, s.mediaId, 100), digest: null, digestAlgorithm: 0 }]);
      const inc = await backup(c, s, 'I', T0 + 100);
      await c.insertFiles(inc, [fileRow('/d/b', 1, s.mediaId, 200), { ...fileRow('/d/a', 0, null, 0) }]);
      const plain = await c.snapshotCurrentState([full, inc]);
      const withDigests = await c.snapshotCurrentState([full, inc], { digests: true });
      try {
        assert.equal(plain.count, 2, 'a deleted file is not in the state');
        const page = await plain.page(0, 10);
        assert.deepEqual(page.map((e) => e.attributes.subarray(1).toString()).sort(), ['/d/b', '/d/c']);
        assert.ok(page.every((e) => !('digest' in e)), 'no digests unless asked');
        const digests = new Map((await withDigests.page(0, 10)).map((e) => [e.attributes.subarray(1).toString(), e.digest]));
        assert.deepEqual(digests.get('/d/b'), { algorithm: 3, value: Buffer.from([1, 1, 2]) }, 'the newest version\'s digest');
        assert.equal(digests.get('/d/c'), null, 'the catalog has none');
        assert.deepEqual(await plain.get([page[0]!.seq, 99]), [page[0]!.attributes, undefined]);
      } finally {
        await plain.drop();
        await withDigests.drop();
        await assert.rejects(plain.page(0, 10), /not there/, 'a dropped state is gone');
      }
    }));

    it('records the volumes each job used', withCatalog(async (c) => {
      const s = await seed(c);
      const j = await backup(c, s, 'F', T0);
      const vol2 = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
      await c.addJobMedia({ jobId: j, mediaId: vol2, firstIndex: 7, lastIndex: 9, startAddr: 0, endAddr: 500, volIndex: 2 });
      await c.addJobMedia({ jobId: j, mediaId: s.mediaId, firstIndex: 1, lastIndex: 7, startAddr: 64, endAddr: 9000, volIndex: 1 });
      assert.deepEqual((await c.listJobMedia(j)).map((m) => [m.volumeName, m.volIndex, m.firstIndex, m.lastIndex, m.startAddr, m.endAddr]),
        [['Full-0001', 1, 1, 7, 64, 9000], ['Full-0002', 2, 7, 9, 0, 500]]);
    }));
    mediaConformance(withCatalog);

    it('runs read-only queries, and no statement that writes', withCatalog(async (c) => {
      const s = await seed(c);
      await c.ensureClient('client2-fd');
      const both = await c.readOnlyQuery('SELECT ClientId, Name FROM Client WHERE Name LIKE ? ORDER BY Name', ['client%'], 10);
      assert.deepEqual(both, { columns: ['ClientId', 'Name'], rows: [[s.clientId, 'client1-fd'], [s.clientId + 1, 'client2-fd']], truncated: false });
      assert.deepEqual(await c.readOnlyQuery('SELECT Name FROM Client ORDER BY Name', [], 1), { columns: ['Name'], rows: [['client1-fd']], truncated: true });
      for (const sql of [
        'DELETE FROM Client',
        "WITH gone AS (SELECT 1) UPDATE Client SET Name = 'x'",
        'SELECT 1; DELETE FROM Client',
        "ATTACH DATABASE '/tmp/burrow-query-attach.db' AS other",
        'PRAGMA query_only = OFF',
        'SELEKT * FROM Client',
      ]) {
        assert.equal(await rejectionCode(c.readOnlyQuery(sql, [], 10)), 'BAD_REQUEST', sql);
      }
      assert.equal((await c.readOnlyQuery('SELECT COUNT(*) AS n FROM Client', [], 10)).rows[0]?.[0], 2, 'nothing was changed');
    }));
  });
}
