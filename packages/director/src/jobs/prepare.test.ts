import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteCatalog } from '../catalog/index.js';
import type { PoolPlan } from '../media/pools.js';
import type { BackupPlan } from './plan.js';
import { currentChain } from './baseline.js';
import { prepareRun } from './prepare.js';
import type { StorageTarget } from '../sd/storage-link.js';

const pool = (name: string): PoolPlan => ({ name, labelFormat: null, maximumVolumeBytes: 0, allowedClients: [] });

const target = (name: string, maximumConcurrentJobs: number): StorageTarget => ({
  name, address: '127.0.0.1', port: 9103, password: 'x', device: `${name}Storage`, devices: [`${name}Storage`], mediaType: name, autoChanger: false, maximumConcurrentJobs,
});

function backupPlan(level: BackupPlan['level']): BackupPlan {
  const storage = target('File', 3);
  // The Full pool writes to a Storage of its own, which overrides the Job's.
  const levels = { F: { pool: { ...pool('Full'), storages: [target('Tape', 1)] }, fromRun: false }, I: { pool: pool('Incremental'), fromRun: false } };
  return {
    kind: 'backup', jobName: 'backup-client', level, accurate: false, maximumBandwidth: 0, spool: { data: false, attributes: false, size: 0 }, writeBootstrap: null, messages: 'Standard', priority: 10, scripts: [],
    client: { name: 'client-fd', address: '127.0.0.1', port: 9102, password: 'x', connectFromDirector: true, connectFromClient: false, passive: false },
    storage, storages: [storage], jobStorages: [storage], storageSource: 'Job resource',
    pool: levels.I.pool, poolSource: 'Job IncPool override', pools: { base: pool('Job'), baseSource: 'Job resource', levels },
    fileset: { name: 'Set', spec: { name: 'Set', includes: [] }, digest: 'd1' },
    limits: { jobMax: 1, clientMax: 1, storageMax: 3, maxRunTimeMs: null, maxWaitTimeMs: null, allowDuplicates: true, cancelQueuedDuplicates: false, reschedule: { onError: false, intervalMs: 0, times: 0 } },
    pruning: { clientName: 'client-fd', clientAutoPrune: false, clientJobRetention: 0, clientFileRetention: 0, pruneJobs: false, pruneFiles: false, pruneVolumes: false },
  };
}

test('an Incremental with no Full becomes a Full in the Full pool; with a Full it stays in the Incremental pool', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-prepare-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    for (const name of ['Job', 'Full', 'Incremental']) await catalog.ensurePool({ name });
    const first = await prepareRun(catalog, backupPlan('I'), 1000);
    assert.equal(first.plan.kind === 'backup' && first.plan.level, 'F');
    assert.equal(first.plan.kind === 'backup' && `${first.plan.pool.name} (From ${first.plan.poolSource})`, 'Full (From Job FullPool override)');
    assert.equal(first.row.level, 'F');
    assert.equal(first.row.poolId, (await catalog.getPool('Full'))?.poolId);
    // The upgraded job's Storage follows its pool's, with that Storage's limit.
    assert.equal(first.plan.kind === 'backup' && `${first.plan.storage.name} (From ${first.plan.storageSource}) max ${first.plan.limits.storageMax}`, 'Tape (From Pool resource) max 1');
    assert.equal(first.row.storageId, await catalog.ensureStorage('Tape'));
    assert.match(first.basis.note ?? '', /No prior Full backup/);

    const fullId = await catalog.createJob(first.row);
    await catalog.startJob(fullId, 1000);
    await catalog.finishJob(fullId, { status: 'T', endTime: 2000, jobFiles: 1, jobBytes: 1 });
    const next = await prepareRun(catalog, backupPlan('I'), 3000);
    assert.equal(next.plan.kind === 'backup' && `${next.plan.level} ${next.plan.pool.name}`, 'I Incremental');
    assert.equal(next.row.poolId, (await catalog.getPool('Incremental'))?.poolId);
    assert.equal(next.plan.kind === 'backup' && `${next.plan.storage.name} (From ${next.plan.storageSource})`, 'File (From Job resource)');
    assert.equal(next.basis.since, 1000);
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an Incremental upgraded to a Full is refused when the Full pool's Allowed Clients leave its client out", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-prepare-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    for (const name of ['Job', 'Full', 'Incremental']) await catalog.ensurePool({ name });
    const plan = backupPlan('I');
    const full = { ...pool('Full'), allowedClients: ['other-fd'] };
    const limited: BackupPlan = { ...plan, pools: { ...plan.pools, levels: { ...plan.pools.levels, F: { pool: full, fromRun: false } } } };
    await assert.rejects(prepareRun(catalog, limited, 1000), {
      code: 'BAD_REQUEST',
      message: 'Job "backup-client" refused: Pool "Full" takes data only of its Allowed Clients (other-fd), not of Client "client-fd".',
    });
    // The same client named in another case is the same Client.
    const allowed: BackupPlan = { ...plan, pools: { ...plan.pools, levels: { ...plan.pools.levels, F: { pool: { ...full, allowedClients: ['Client-FD'] }, fromRun: false } } } };
    assert.equal((await prepareRun(catalog, allowed, 1000)).plan.kind === 'backup' && (await prepareRun(catalog, allowed, 1000)).row.level, 'F');
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an Incomplete Differential is continued by the next Differential (its since, PriorJobId), not by an Incremental; the current chain takes both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-prepare-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    for (const name of ['Job', 'Full', 'Incremental']) await catalog.ensurePool({ name });
    const run = async (level: BackupPlan['level'], at: number, end: { status: 'T' | 'I'; since?: number }): Promise<Awaited<ReturnType<typeof prepareRun>> & { jobId: number }> => {
      const prepared = await prepareRun(catalog, backupPlan(level), at);
      const jobId = await catalog.createJob(prepared.row);
      await catalog.startJob(jobId, at);
      await catalog.finishJob(jobId, { status: end.status, endTime: at + 500, jobFiles: 2, jobBytes: 2, since: end.since ?? null });
      return { ...prepared, jobId };
    };
    const full = await run('F', 1000, { status: 'T' });
    const broken = await run('D', 3000, { status: 'I', since: 1000 });
    assert.equal(broken.basis.continues, null);

    // An Incremental does not continue it: it builds on the Full, the last good backup.
    const incr = await prepareRun(catalog, backupPlan('I'), 4000);
    assert.equal(incr.basis.continues, null);
    assert.equal(incr.basis.since, 1000);

    const next = await run('D', 5000, { status: 'T', since: 1000 });
    assert.equal(next.basis.continues?.jobId, broken.jobId);
    assert.equal(next.basis.since, 1000, 'the window of the Differential it continues');
    assert.equal(next.row.priorJobId, broken.jobId);
    assert.match(next.basis.note ?? '', new RegExp(`Differential since .* Continuing the Incomplete Differential JobId ${broken.jobId}: the 2 files it saved are sent again only if they changed\\.`));
    assert.deepEqual((await currentChain(catalog, 'client-fd')).map((j) => j.jobId), [full.jobId, broken.jobId, next.jobId]);

    // The next Incremental builds on the Differential that finished it, whole.
    const after = await prepareRun(catalog, backupPlan('I'), 6000);
    assert.equal(after.basis.continues, null);
    assert.equal(after.basis.since, 5000);
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
