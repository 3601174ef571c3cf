import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoprune } from './autoprune.js';
import { pruneFiles, pruneJobs, pruneVolume } from './prune.js';
import { purgeVolume } from './purge.js';
import { DAY, mediaWorld } from './testing.js';

test('pruning jobs keeps the Full and Differential that a kept Incremental builds on, and says so', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P' });
    const v = await w.volume('V', pool);
    const full = await w.backup('F', [v]);
    await w.clock.advanceTo(w.clock.now() + 10 * DAY);
    const diff = await w.backup('D', [v]);
    await w.clock.advanceTo(w.clock.now() + 10 * DAY);
    const inc1 = await w.backup('I', [v]);
    await w.clock.advanceTo(w.clock.now() + 10 * DAY);
    const failed = await w.backup('I', [v], { status: 'E' });
    await w.clock.advanceTo(w.clock.now() + 10 * DAY);
    const inc2 = await w.backup('I', [v]);
    // Job Retention 5 days: everything but inc2 is older.
    const r = await pruneJobs(w.catalog, { clientId: w.clientId, clientName: 'client1-fd', retention: 5 * DAY, now: w.clock.now() });
    assert.deepEqual(r.prunedJobIds, [failed], 'only the failed job goes: inc2 builds on inc1, diff and full');
    assert.deepEqual(r.kept.map((k) => k.job.jobId).sort(), [full, diff, inc1].sort());
    assert.ok(r.lines.includes(`JobId ${full} (Full) is kept: JobId ${inc2} (Incremental), which is kept, builds on it`), r.lines.join('\n'));
    assert.ok(r.lines.includes('Pruned 1 Job for client client1-fd from catalog.'));
    // A new Full breaks the old chain free.
    await w.clock.advanceTo(w.clock.now() + 20 * DAY);
    await w.backup('F', [v]);
    const again = await pruneJobs(w.catalog, { clientId: w.clientId, clientName: 'client1-fd', retention: 15 * DAY, now: w.clock.now() });
    assert.deepEqual(again.prunedJobIds.sort(), [full, diff, inc1, inc2].sort());
    assert.equal(await w.catalog.getJob(full), undefined);
  } finally {
    w.close();
  }
});

test('a Differential builds on the last Full only: Incrementals before it may go', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P' });
    const v = await w.volume('V', pool);
    const full = await w.backup('F', [v]);
    await w.clock.advanceTo(w.clock.now() + DAY);
    const inc = await w.backup('I', [v]);
    await w.clock.advanceTo(w.clock.now() + DAY);
    await w.backup('D', [v]);
    const r = await pruneJobs(w.catalog, { clientId: w.clientId, clientName: 'client1-fd', retention: DAY / 2, now: w.clock.now() });
    assert.deepEqual(r.prunedJobIds, [inc]);
    assert.ok(await w.catalog.getJob(full));
  } finally {
    w.close();
  }
});

test('running jobs are never pruned or purged; files are pruned by File Retention and the job stays', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P' });
    const v = await w.volume('V', pool);
    const running = await w.backup('F', [v], { status: 'R' });
    await w.clock.advanceTo(w.clock.now() + 100 * DAY);
    const r = await pruneJobs(w.catalog, { clientId: w.clientId, retention: DAY, now: w.clock.now() });
    assert.deepEqual(r.prunedJobIds, []);
    assert.ok(r.lines.includes(`JobId ${running} is still running: it is not pruned`));
    await w.catalog.finishJob(running, { status: 'T', endTime: w.clock.now(), jobFiles: 2, jobBytes: 1 });
    const f = await pruneFiles(w.catalog, { clientId: w.clientId, clientName: 'client1-fd', retention: DAY, now: w.clock.now() });
    assert.deepEqual(f.prunedJobIds, [running]);
    assert.equal(await w.catalog.countFiles(running), 0);
    assert.equal((await w.catalog.getJob(running))?.purgedFiles, true);
  } finally {
    w.close();
  }
});

test('volume pruning: only Full or Used, by the volume\'s own retention; the job goes from every volume; then Purged and to the Recycle Pool', async () => {
  const w = await mediaWorld();
  try {
    const scratch = await w.pool({ name: 'Scratch' });
    const pool = await w.pool({ name: 'P', volumeRetention: 30 * DAY, recyclePoolId: scratch.poolId });
    const a = await w.volume('A', pool);
    const b = await w.volume('B', pool);
    const job = await w.backup('F', [a, b]);
    await w.clock.advanceTo(w.clock.now() + 31 * DAY);
    const appending = await pruneVolume(w.catalog, (await w.catalog.getMedia(a))!, w.clock.now());
    assert.deepEqual(appending.lines, ['Pruning volume A: cannot prune as Volstatus is Append but needs to be Full or Used.']);
    await w.catalog.setMediaStatus(a, 'Full');
    await w.catalog.updateMedia(b, { volStatus: 'Full', volRetention: 90 * DAY });
    const r = await pruneVolume(w.catalog, (await w.catalog.getMedia(a))!, w.clock.now());
    assert.deepEqual(r.prunedJobIds, [job]);
    assert.equal(r.emptied, true);
    assert.ok(r.lines.includes('Volume "A" contains no jobs after pruning.'), r.lines.join('\n'));
    assert.deepEqual([(await w.catalog.getMedia(a))?.volStatus, (await w.catalog.getMedia(a))?.poolName], ['Purged', 'Scratch']);
    assert.equal((await w.catalog.getMedia(b))?.volStatus, 'Purged', 'the job left B as well, so B is purged too');
    await w.catalog.updateMedia(a, { volStatus: 'Full', enabled: 2 });
    assert.deepEqual((await pruneVolume(w.catalog, (await w.catalog.getMedia(a))!, w.clock.now())).lines, ['Cannot prune Volume "A" because it is archived.']);
  } finally {
    w.close();
  }
});

test('purge volume ignores retention; an Append volume nothing wrote on is purged only by the operator', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P' });
    const v = await w.volume('V', pool);
    const job = await w.backup('F', [v]);
    const r = await purgeVolume(w.catalog, (await w.catalog.getMedia(v))!);
    assert.deepEqual(r.purgedJobIds, [job]);
    assert.equal(r.volumePurged, true);
    assert.ok(r.lines.includes('1 Job on Volume "V" purged from catalog.'), r.lines.join('\n'));
    assert.equal((await w.catalog.getMedia(v))?.volStatus, 'Purged');
    assert.deepEqual((await purgeVolume(w.catalog, (await w.catalog.getMedia(v))!)).lines, ['Volume "V" is already purged.']);
    const ro = await w.volume('RO', pool, { status: 'Read-Only' });
    assert.equal((await purgeVolume(w.catalog, (await w.catalog.getMedia(ro))!)).volumePurged, false);
  } finally {
    w.close();
  }
});

test('autoprune at a job\'s end: the Pool\'s Job Retention wins over the Client\'s; AutoPrune = no prunes nothing', async () => {
  const w = await mediaWorld();
  try {
    const pool = await w.pool({ name: 'P', jobRetention: 10 * DAY });
    const v = await w.volume('V', pool);
    const old = await w.backup('F', [v]);
    await w.clock.advanceTo(w.clock.now() + 11 * DAY);
    await w.backup('F', [v]);
    const settings = { clientName: 'client1-fd', clientAutoPrune: false, clientJobRetention: 180 * DAY, clientFileRetention: 60 * DAY, pruneJobs: false, pruneFiles: false };
    assert.deepEqual(await autoprune(w.catalog, settings, pool, w.clock.now()), []);
    assert.ok(await w.catalog.getJob(old));
    const lines = await autoprune(w.catalog, { ...settings, clientAutoPrune: true }, pool, w.clock.now());
    assert.equal(await w.catalog.getJob(old), undefined, lines.join('\n'));
  } finally {
    w.close();
  }
});
