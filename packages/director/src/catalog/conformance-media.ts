/**
 * The catalog operations of the media lifecycle, as every Catalog must do them: pools
 * with their recycling settings, the next-volume search steps in Bareos's orders, a
 * volume's own limits, and the deletion of jobs and files that pruning and purging
 * need. Run from catalogConformance, inside its describe block.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Catalog } from './catalog.js';
import { backup, fileRow, rejectionCode, seed, T0 } from './conformance-fixtures.js';
import type { MediaDefaults } from './types.js';

type WithCatalog = (fn: (c: Catalog) => void | Promise<void>) => () => Promise<void>;

const DEFAULTS: MediaDefaults = {
  maxVolBytes: 5000, maxVolJobs: 2, maxVolFiles: 100, volRetention: 3_600_000, volUseDuration: 60_000,
  recycle: false, recyclePoolId: null, actionOnPurge: 1, minBlocksize: 0, maxBlocksize: 0,
};

export function mediaConformance(withCatalog: WithCatalog): void {
  it('keeps every pool directive of the media lifecycle, and lists pools', withCatalog(async (c) => {
    const scratch = await c.ensurePool({ name: 'Scratch', poolType: 'Scratch' });
    const id = await c.ensurePool({
      name: 'Tape', maximumVolumeFiles: 9, fileRetention: 1000, jobRetention: 2000, recycleOldestVolume: true,
      purgeOldestVolume: true, recycleCurrentVolume: true, recyclePoolId: scratch, scratchPoolId: scratch,
      actionOnPurge: 1, cleaningPrefix: 'CLEAN', minBlocksize: 1024, maxBlocksize: 65536,
    });
    const p = await c.getPoolById(id);
    assert.deepEqual([p?.maximumVolumeFiles, p?.fileRetention, p?.jobRetention, p?.recycleOldestVolume, p?.purgeOldestVolume,
      p?.recycleCurrentVolume, p?.recyclePoolId, p?.scratchPoolId, p?.actionOnPurge, p?.cleaningPrefix, p?.minBlocksize,
      p?.maxBlocksize], [9, 1000, 2000, true, true, true, scratch, scratch, 1, 'CLEAN', 1024, 65536]);
    await c.ensurePool({ name: 'Tape' });
    const reset = await c.getPool('Tape');
    assert.deepEqual([reset?.recyclePoolId, reset?.recycleOldestVolume, reset?.cleaningPrefix], [null, false, 'CLN'],
      'the configuration in force replaces every value');
    assert.deepEqual((await c.listPools()).map((x) => x.name), ['Scratch', 'Tape']);
    assert.equal(await c.getPoolById(999), undefined);
  }));

  it('creates volumes with their own limits, in every status, and changes them field by field', withCatalog(async (c) => {
    const s = await seed(c);
    const other = await c.ensurePool({ name: 'Other' });
    const id = await c.createMedia({ volumeName: 'U1', poolId: s.poolId, mediaType: 'File', volStatus: 'Unlabeled', ...DEFAULTS });
    const m = await c.getMedia(id);
    assert.deepEqual([m?.volStatus, m?.maxVolJobs, m?.maxVolFiles, m?.volUseDuration, m?.recycle, m?.actionOnPurge, m?.enabled],
      ['Unlabeled', 2, 100, 60_000, false, 1, 1]);
    await c.updateMedia(id, { volStatus: 'Cleaning', poolId: other, recyclePoolId: s.poolId, enabled: 2, slot: 4, inChanger: true });
    const moved = await c.getMedia(id);
    assert.deepEqual([moved?.volStatus, moved?.poolName, moved?.recyclePoolName, moved?.enabled, moved?.slot, moved?.inChanger],
      ['Cleaning', 'Other', 'Full', 2, 4, true]);
    await c.updateMedia(id, { volumeName: 'U2', firstWritten: null, volStatus: 'Disabled' });
    assert.equal((await c.getMediaByName('U2'))?.mediaId, id);
    assert.equal(await rejectionCode(c.updateMedia(id, { volumeName: 'Full-0001' })), 'CATALOG');
    assert.equal(await rejectionCode(c.updateMedia(id, { volStatus: 'Bogus' as 'Full' })), 'BAD_REQUEST');
    assert.equal(await rejectionCode(c.updateMedia(id, { enabled: 3 as 2 })), 'BAD_REQUEST');
    assert.equal(await rejectionCode(c.updateMedia(4242, { slot: 1 })), 'NOT_FOUND');
    assert.equal(await c.highestMediaId(), id);
  }));

  it('keeps volume writes in the order asked for, awaited or not', withCatalog(async (c) => {
    const s = await seed(c);
    const event = (text: string) => c.addMediaEvent({ mediaId: s.mediaId, volumeName: 'Full-0001', time: T0, event: 'moved', place: 'vault', jobId: null, text });
    const writes = [
      c.updateMedia(s.mediaId, { slot: 1, volStatus: 'Used' }), event('first'), c.setMediaStatus(s.mediaId, 'Full'),
      c.updateMedia(s.mediaId, { slot: 2 }), event('second'), c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' }),
    ];
    // Asked after the writes and before any is awaited: it sees all of them.
    const [row, history, count] = [c.getMedia(s.mediaId), c.listMediaEvents('Full-0001'), c.countMedia(s.poolId)];
    await Promise.all(writes);
    assert.deepEqual([(await row)?.slot, (await row)?.volStatus], [2, 'Full']);
    assert.deepEqual((await history).map((e) => e.text), ['first', 'second']);
    assert.equal(await count, 2);
    assert.equal(await rejectionCode(c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' })), 'CATALOG');
  }));

  it('copies a pool\'s limits into one volume or all volumes of the pool', withCatalog(async (c) => {
    const s = await seed(c);
    const second = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
    assert.equal(await c.updateMediaDefaults(DEFAULTS, { mediaId: second }), 1);
    assert.deepEqual([(await c.getMedia(second))?.maxVolJobs, (await c.getMedia(s.mediaId))?.maxVolJobs], [2, 0]);
    assert.equal(await c.updateMediaDefaults({ ...DEFAULTS, maxVolJobs: 7 }, { poolId: s.poolId }), 2);
    assert.deepEqual((await c.listMedia({ poolId: s.poolId })).map((x) => [x.maxVolJobs, x.volRetention]), [[7, 3_600_000], [7, 3_600_000]]);
  }));

  it('finds volumes in Bareos\'s orders: the one being filled first, the oldest to recycle', withCatalog(async (c) => {
    const s = await seed(c);
    const vol = async (name: string, status: 'Append' | 'Purged' | 'Recycle', lastWritten: number | null, more = {}): Promise<number> => {
      const id = await c.createMedia({ volumeName: name, poolId: s.poolId, mediaType: 'File', volStatus: status, ...more });
      if (lastWritten !== null) await c.updateMedia(id, { lastWritten });
      return id;
    };
    const old = await vol('A-old', 'Append', T0);
    const recent = await vol('A-recent', 'Append', T0 + 50);
    await vol('A-never', 'Append', null);
    await vol('A-disabled', 'Append', T0 + 99, { enabled: 0 });
    const find = async (statuses: ('Append' | 'Purged' | 'Recycle')[], order: 'most-recently-written' | 'oldest-written', more = {}) =>
      (await c.findMedia({ poolId: s.poolId, mediaType: 'File', statuses, order, ...more }))?.volumeName;
    assert.equal(await find(['Append'], 'most-recently-written'), 'A-recent', 'the most recently written first');
    assert.equal(await find(['Append'], 'most-recently-written', { exclude: new Set(['A-recent']) }), 'A-old');
    assert.equal(await find(['Append'], 'most-recently-written', { exclude: new Set(['A-recent', 'A-old']) }), 'Full-0001',
      'then never written ones, by MediaId');
    assert.equal(await find(['Append'], 'most-recently-written', { mediaType: 'LTO' }), undefined);
    await c.updateMedia(old, { inChanger: true, storageId: await c.ensureStorage('Changer') });
    assert.equal(await find(['Append'], 'most-recently-written', { inChangerOf: await c.ensureStorage('Changer') }), 'A-old');
    await vol('P-recycle-no', 'Purged', T0 - 100, { recycle: false });
    await vol('P-new', 'Purged', T0 + 10);
    await vol('P-old', 'Purged', T0 + 1);
    assert.equal(await find(['Purged'], 'oldest-written', { recyclable: true }), 'P-old');
    assert.equal(await find(['Purged'], 'oldest-written'), 'P-recycle-no');
    assert.equal(await c.findMedia({ poolId: s.poolId, mediaType: 'File', statuses: ['Recycle'], order: 'oldest-written' }), undefined);
    await c.setMediaStatus(recent, 'Full');
    const oldest = (await c.listMedia({ poolId: s.poolId, statuses: ['Full', 'Append'], order: 'oldest-written' })).map((x) => x.volumeName);
    assert.deepEqual(oldest, ['Full-0001', 'A-never', 'A-old', 'A-recent', 'A-disabled'],
      'never written first, then oldest LastWritten first; Purged volumes left out');
  }));

  it('lists the volumes of a pool or recycling into it, for pruning', withCatalog(async (c) => {
    const s = await seed(c);
    const scratch = await c.ensurePool({ name: 'Scratch' });
    await c.createMedia({ volumeName: 'S1', poolId: scratch, mediaType: 'File', recyclePoolId: s.poolId });
    await c.createMedia({ volumeName: 'S2', poolId: scratch, mediaType: 'File' });
    const names = (await c.listMedia({ poolOrRecyclePool: { poolId: s.poolId, recyclePoolIds: [s.poolId] }, mediaType: 'File' }))
      .map((x) => x.volumeName);
    assert.deepEqual(names.sort(), ['Full-0001', 'S1']);
  }));

  it('finds jobs by age and by volume, and deletes jobs and files with everything that is theirs', withCatalog(async (c) => {
    const s = await seed(c);
    const vol2 = await c.createMedia({ volumeName: 'Full-0002', poolId: s.poolId, mediaType: 'File' });
    const full = await backup(c, s, 'F', T0);
    await c.insertFiles(full, [fileRow('/a', 1, s.mediaId, 0), fileRow('/b', 2, vol2, 0)]);
    await c.addJobMedia({ jobId: full, mediaId: s.mediaId, firstIndex: 1, lastIndex: 1, startAddr: 0, endAddr: 9, volIndex: 1 });
    await c.addJobMedia({ jobId: full, mediaId: vol2, firstIndex: 2, lastIndex: 2, startAddr: 0, endAddr: 9, volIndex: 2 });
    await c.finishJob(full, { status: 'T', endTime: T0 + 10, jobFiles: 2, jobBytes: 2 });
    const lastLog = await c.addLog(full, T0, 'log line');
    const inc = await backup(c, s, 'I', T0 + 1000);
    await c.insertFiles(inc, [fileRow('/c', 1, vol2, 0)]);
    await c.addJobMedia({ jobId: inc, mediaId: vol2, firstIndex: 1, lastIndex: 1, startAddr: 10, endAddr: 19, volIndex: 1 });
    const restore = await c.createJob({ name: 'r', type: 'R', level: ' ', clientId: s.clientId, fileSetId: null, poolId: null,
      schedTime: T0 + 2000, priorJobId: full });
    assert.deepEqual((await c.jobsOlderThan({ before: T0 + 500 })).map((j) => j.jobId), [full]);
    assert.deepEqual((await c.jobsOlderThan({ before: T0 + 5000, clientId: s.clientId, poolId: s.poolId })).map((j) => j.jobId), [full, inc]);
    assert.deepEqual((await c.jobsOnMedia(vol2)).map((j) => j.jobId), [full, inc]);
    assert.equal(await c.deleteFiles([inc]), 1);
    assert.equal((await c.getJob(inc))?.purgedFiles, true);
    assert.equal(await c.countFiles(inc), 0);
    assert.deepEqual((await c.jobsOlderThan({ before: T0 + 5000, withFiles: true })).map((j) => j.jobId), [full, restore]);
    assert.equal(await rejectionCode(c.deleteMedia(vol2)), 'CATALOG', 'a volume with jobs is not deleted');
    assert.deepEqual(await c.deleteJobs([full]), [s.mediaId, vol2]);
    assert.equal(await c.getJob(full), undefined);
    assert.deepEqual([await c.countFiles(full), (await c.listJobMedia(full)).length, (await c.getLog(full)).length], [0, 0, 0]);
    assert.equal((await c.getJob(restore))?.priorJobId, null, 'the restore keeps its row');
    assert.ok(await c.addLog(null, T0, 'after') > lastLog, 'a deleted log line\'s id is never handed out again (messages keeps its place by id)');
    assert.deepEqual(await c.jobsOnMedia(s.mediaId), []);
    await c.setMediaStatus(s.mediaId, 'Full');
    assert.deepEqual(await c.markEmptyMediaPurged([s.mediaId, vol2]), [], 'never written: not purged (vol2 still holds a job)');
    await c.updateMedia(s.mediaId, { firstWritten: T0, lastWritten: T0 });
    assert.deepEqual((await c.markEmptyMediaPurged([s.mediaId, vol2])).map((m) => [m.volumeName, m.poolId]), [['Full-0001', s.poolId]]);
    assert.equal((await c.getMedia(s.mediaId))?.volStatus, 'Purged');
    await c.deleteMedia(s.mediaId);
    assert.equal(await c.getMedia(s.mediaId), undefined);
    assert.deepEqual([await c.deleteJobs([]), await c.deleteFiles([])], [[], 0]);
  }));
}
