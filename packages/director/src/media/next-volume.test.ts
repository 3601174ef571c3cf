import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findNextVolume, type VolumeWanted } from './next-volume.js';
import { commitMounted } from './mounted.js';
import { DAY, mediaWorld, type MediaWorld } from './testing.js';
import type { PoolRow } from '../catalog/index.js';

async function wanted(w: MediaWorld, pool: PoolRow, o: Partial<VolumeWanted> = {}): Promise<VolumeWanted> {
  return { jobId: 99, pool, mediaType: 'File', storageId: await w.catalog.ensureStorage('File'), labelMedia: true, prune: pool.autoPrune, unwanted: new Set(), now: w.clock.now(), ...o };
}

const chosen = async (w: MediaWorld, pool: PoolRow, o: Partial<VolumeWanted> = {}): Promise<string | null> => (await findNextVolume(w.catalog, w.reservations, await wanted(w, pool, o))).found?.volumeName ?? null;

test('selection order: the most recently written Append volume, then Unlabeled; disabled, archived and read-only ones never', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'Full' });
    const a = await w.volume('A', pool);
    const b = await w.volume('B', pool);
    await w.volume('U', pool, { status: 'Unlabeled' });
    for (const status of ['Archive', 'Read-Only', 'Disabled', 'Cleaning'] as const) await w.volume(`X-${status}`, pool, { status });
    await w.backup('F', [a]);
    await w.clock.advanceTo(w.clock.now() + 1000);
    await w.backup('I', [b]);
    assert.equal(await chosen(w, pool), 'B', 'the most recently written first');
    assert.equal(await chosen(w, pool, { unwanted: new Set(['B']) }), 'A', 'unwanted volumes skipped');
    await w.catalog.setMediaStatus(a, 'Full');
    await w.catalog.setMediaStatus(b, 'Used');
    const u = (await findNextVolume(w.catalog, w.reservations, await wanted(w, pool))).found;
    assert.equal(u?.volumeName, 'U');
    assert.equal(u?.action, 'label');
    assert.equal(await chosen(w, pool, { labelMedia: false }), null, 'an Unlabeled volume needs a device that labels');
  } finally {
    w.close();
  }
});

test('limits: MaxVolJobs marks Used, MaxVolBytes Full, VolUseDuration counts from the first write; each at selection', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', maximumVolumeJobs: 1, labelFormat: 'P-' });
    const v = await w.volume('V1', pool);
    assert.equal(await chosen(w, pool), 'V1');
    await w.backup('F', [v]);
    const r = await findNextVolume(w.catalog, w.reservations, await wanted(w, pool));
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Used');
    assert.ok(r.lines.includes('Max Volume jobs=1 exceeded. Marking Volume "V1" as Used.'), r.lines.join('\n'));
    assert.equal(r.found?.volumeName, 'P-0002', 'then a new volume by the Label Format (next MediaId)');

    const big = await w.pool({ name: 'B', maximumVolumeBytes: 500 });
    const vb = await w.volume('VB', big);
    await w.backup('F', [vb]);
    assert.equal(await chosen(w, big), null);
    assert.equal((await w.catalog.getMedia(vb))?.volStatus, 'Full');

    const timed = await w.pool({ name: 'T', volumeUseDuration: 7 * DAY });
    const vt = await w.volume('VT', timed);
    await w.clock.advanceTo(w.clock.now() + 30 * DAY);
    assert.equal(await chosen(w, timed), 'VT', 'a label is not a first write: the duration has not started');
    await w.backup('F', [vt]);
    await w.clock.advanceTo(w.clock.now() + 7 * DAY - 1);
    assert.equal(await chosen(w, timed), 'VT');
    await w.clock.advanceTo(w.clock.now() + 1);
    assert.equal(await chosen(w, timed), null);
    assert.equal((await w.catalog.getMedia(vt))?.volStatus, 'Used');
  } finally {
    w.close();
  }
});

test('MaxVolJobs counts jobs still writing (held volumes), so a second concurrent job gets another volume', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', maximumVolumeJobs: 1 });
    await w.volume('V1', pool);
    await w.volume('V2', pool);
    w.reservations.hold(1, 'V1', false);
    assert.equal(await chosen(w, pool), 'V2');
  } finally {
    w.close();
  }
});

test('an expired Full volume is pruned, chosen for recycling, and recycled only once mounted', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', volumeRetention: 30 * DAY });
    const v = await w.volume('V1', pool);
    const job = await w.backup('F', [v]);
    await w.catalog.setMediaStatus(v, 'Full');
    assert.equal(await chosen(w, pool), null, 'not expired yet: nothing to use');
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Full');
    await w.clock.advanceTo(w.clock.now() + 31 * DAY);
    const r = await findNextVolume(w.catalog, w.reservations, await wanted(w, pool));
    assert.equal(r.found?.volumeName, 'V1');
    assert.equal(r.found?.action, 'recycle');
    assert.equal(await w.catalog.getJob(job), undefined, 'the expired job is pruned');
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Purged', 'purged, but not recycled before the SD mounts it');
    const { media, lines } = await commitMounted(w.catalog, r.found!.onMounted, { volumeName: 'V1', volBytes: 200, volBlocks: 1, labelled: true }, w.clock.now());
    assert.deepEqual([media.volStatus, media.volJobs, media.recycleCount, media.firstWritten, media.volMounts], ['Append', 0, 1, null, 1]);
    assert.deepEqual(lines, ['Recycled volume "V1"']);
  } finally {
    w.close();
  }
});

test('Recycle = no keeps a purged volume out; without AutoPrune nothing is pruned', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', volumeRetention: DAY, autoPrune: false });
    const v = await w.volume('V1', pool);
    await w.backup('F', [v]);
    await w.catalog.setMediaStatus(v, 'Full');
    await w.clock.advanceTo(w.clock.now() + 2 * DAY);
    assert.equal(await chosen(w, pool), null);
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Full');
    await w.catalog.updateMedia(v, { volStatus: 'Purged', recycle: false });
    assert.equal(await chosen(w, pool), null);
    await w.catalog.updateMedia(v, { recycle: true });
    assert.equal(await chosen(w, pool), 'V1');
  } finally {
    w.close();
  }
});

test('Scratch: a volume moves into the pool once mounted, taking its limits; refused when the pool is at Maximum Volumes', async () => {
  const w = await mediaWorld();
  try {
    const scratch = await w.pool({ name: 'Scratch', poolType: 'Scratch', maximumVolumeBytes: 5 });
    const pool = await w.pool({ name: 'P', maximumVolumeJobs: 3, maximumVolumes: 1 });
    const s1 = await w.volume('S1', scratch);
    const r = await findNextVolume(w.catalog, w.reservations, await wanted(w, pool));
    assert.equal(r.found?.volumeName, 'S1');
    assert.equal((await w.catalog.getMedia(s1))?.poolName, 'Scratch', 'not moved before the mount');
    await commitMounted(w.catalog, r.found!.onMounted, { volumeName: 'S1', volBytes: 200, volBlocks: 1, labelled: false }, w.clock.now());
    const moved = (await w.catalog.getMedia(s1))!;
    assert.deepEqual([moved.poolName, moved.maxVolJobs, moved.maxVolBytes], ['P', 3, 0]);
    await w.catalog.setMediaStatus(s1, 'Full');
    await w.volume('S2', scratch);
    const full = await findNextVolume(w.catalog, w.reservations, await wanted(w, pool));
    assert.equal(full.found, null);
    assert.ok(full.lines.includes('Unable add Scratch Volume, Pool "P" full MaxVols=1'), full.lines.join('\n'));
  } finally {
    w.close();
  }
});

test('Label Format: Vol0001, Vol0002 ... up to Maximum Volumes; ${...} variables; a name another job holds is skipped', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', labelFormat: 'Vol', maximumVolumes: 2 });
    const first = (await findNextVolume(w.catalog, w.reservations, await wanted(w, pool))).found!;
    assert.equal(first.volumeName, 'Vol0001');
    assert.equal(await w.catalog.getMediaByName('Vol0001'), undefined, 'no row before the SD has labelled it');
    w.reservations.hold(7, 'Vol0001', true);
    assert.equal(await chosen(w, pool), 'Vol0002', 'the name another job is labelling is not handed out twice');
    await commitMounted(w.catalog, first.onMounted, { volumeName: 'Vol0001', volBytes: 180, volBlocks: 1, labelled: true }, w.clock.now());
    const row = (await w.catalog.getMediaByName('Vol0001'))!;
    assert.deepEqual([row.volStatus, row.volBytes, row.poolName, row.firstWritten], ['Append', 180, 'P', null]);
    await w.catalog.setMediaStatus(row.mediaId, 'Full');
    await w.volume('Other', pool, { status: 'Full' });
    assert.equal(await chosen(w, pool), null, 'Maximum Volumes reached');
    const dated = await w.pool({ name: 'D', labelFormat: '${Pool}-${Year}${Month}${Day}-${NumVols:p/3/0/r}' });
    assert.equal(await chosen(w, dated), 'D-20260101-000', 'NumVols counts the volumes already there');
  } finally {
    w.close();
  }
});

test('Purge Oldest Volume ignores retention (the purge waits for the mount); Recycle Oldest Volume respects it', async () => {
  const w = await mediaWorld();
  try {
    const purging = await w.pool({ name: 'P', volumeRetention: 365 * DAY, purgeOldestVolume: true });
    const v = await w.volume('V1', purging);
    const job = await w.backup('F', [v]);
    await w.catalog.setMediaStatus(v, 'Full');
    const r = await findNextVolume(w.catalog, w.reservations, await wanted(w, purging));
    assert.equal(r.found?.volumeName, 'V1');
    assert.ok(r.lines.includes('Purging oldest volume "V1"'));
    assert.ok(await w.catalog.getJob(job), 'nothing purged before the mount');
    await commitMounted(w.catalog, r.found!.onMounted, { volumeName: 'V1', volBytes: 200, volBlocks: 1, labelled: true }, w.clock.now());
    assert.equal(await w.catalog.getJob(job), undefined);
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Append');

    const recycling = await w.pool({ name: 'R', volumeRetention: 10 * DAY, recycleOldestVolume: true, autoPrune: true });
    const v2 = await w.volume('V2', recycling);
    await w.backup('F', [v2]);
    await w.catalog.setMediaStatus(v2, 'Full');
    const none = await w.pool({ name: 'N', volumeRetention: 10 * DAY });
    assert.equal(await chosen(w, recycling), null, 'within retention: not recycled');
    assert.equal((await w.catalog.getMedia(v2))?.volStatus, 'Full');
    assert.equal(await chosen(w, none), null);
  } finally {
    w.close();
  }
});

test('Recycle Current Volume: the mounted volume is recycled before looking elsewhere, once its jobs have expired', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'Tapes', recycleCurrentVolume: true, volumeRetention: 7 * DAY, recycle: true });
    const loaded = await w.volume('T1', pool);
    const other = await w.volume('T2', pool);
    await w.backup('F', [loaded]);
    await w.catalog.setMediaStatus(loaded, 'Full');
    await w.clock.advanceTo(w.clock.now() + DAY);
    await w.backup('F', [other]);
    assert.equal(await chosen(w, pool, { mounted: 'T1' }), 'T2', 'within its retention the loaded volume stays; the Append one is taken');
    await w.clock.advanceTo(w.clock.now() + 7 * DAY);
    const r = await findNextVolume(w.catalog, w.reservations, await wanted(w, pool, { mounted: 'T1' }));
    assert.equal(r.found?.volumeName, 'T1', r.lines.join('\n'));
    assert.equal(r.found?.action, 'recycle');
    assert.ok(r.lines.includes('Pruning volume T1: 1 Jobs have expired and can be pruned.'), r.lines.join('\n'));
    assert.equal((await w.catalog.getMedia(loaded))?.volStatus, 'Purged');
    assert.equal(await chosen(w, pool, { mounted: 'T1', unwanted: new Set(['T1']) }), 'T2', 'an unwanted volume is not taken');
    // Without the directive the mounted volume waits its turn: the Append one first.
    const plain = await w.pool({ name: 'Plain', volumeRetention: 7 * DAY, recycle: true });
    const p1 = await w.volume('P1', plain, { status: 'Purged' });
    await w.volume('P2', plain);
    assert.equal(await chosen(w, plain, { mounted: 'P1' }), 'P2');
    await w.catalog.updateMedia(p1, { recycle: false });
    assert.equal(await chosen(w, pool, { mounted: 'P1' }), 'T2', 'a volume of another pool is never the current one');
  } finally {
    w.close();
  }
});

test('an autochanger: volumes in its slots first, at every step; then the others (Bareos clears InChanger and looks again) before a new one', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'Tapes', labelFormat: 'T-' });
    const changer = await w.catalog.ensureStorage('Library');
    const out = await w.volume('OUT', pool);
    const inside = await w.volume('IN', pool);
    await w.backup('F', [inside]);
    await w.clock.advanceTo(w.clock.now() + 1000);
    await w.backup('I', [out]);
    await w.catalog.updateMedia(inside, { inChanger: true, slot: 2, storageId: changer });
    await w.catalog.updateMedia(out, { inChanger: false, slot: 1, storageId: changer });
    assert.equal(await chosen(w, pool), 'OUT', 'without Auto Changer: the most recently written');
    assert.equal(await chosen(w, pool, { inChangerOf: changer }), 'IN', 'with it: the one in the changer');
    assert.equal(await chosen(w, pool, { inChangerOf: await w.catalog.ensureStorage('Other') }), 'OUT', 'in another changer only: not this one\'s');

    await w.catalog.setMediaStatus(inside, 'Full');
    assert.equal(await chosen(w, pool, { inChangerOf: changer }), 'OUT', 'none appendable in the changer: one out of it, before a new volume');
    await w.catalog.setMediaStatus(out, 'Full');
    assert.equal(await chosen(w, pool, { inChangerOf: changer }), 'T-0003', 'none at all: a new volume');

    const purged = await w.volume('P-OUT', pool, { status: 'Purged' });
    const purgedIn = await w.volume('P-IN', pool, { status: 'Purged' });
    await w.catalog.updateMedia(purgedIn, { inChanger: true, slot: 3, storageId: changer });
    assert.equal((await w.catalog.getMedia(purged))?.inChanger, false);
    assert.equal(await chosen(w, pool, { inChangerOf: changer }), 'P-IN', 'recycling too takes the changer\'s first');
  } finally {
    w.close();
  }
});
