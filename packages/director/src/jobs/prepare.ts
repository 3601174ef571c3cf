/**
 * What a run is once the catalog has been asked, as Bareos's job setup decides it
 * (dird/job.cc SetupJob): a backup's level (an Incremental with no Full becomes a
 * Full) and what it builds on, the Pool that level writes to (pools.ts), and the job's
 * catalog row. Decided when the job is submitted, so `status dir` and `list jobs` show
 * the level it will run at.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { poolRefusal } from '@burrow/common/config/index';
import type { Catalog, JobInput, JobLevel } from '../catalog/index.js';
import { chooseBaseline, type Basis } from './baseline.js';
import { VERIFY_LEVEL_CODES, type JobPlan } from './plan.js';
import { poolForLevel } from './pools.js';
import { writingStorages } from './storage-choice.js';

export interface PreparedRun {
  /** The plan with its level decided. */
  plan: JobPlan;
  /** What a backup builds on; nothing for other jobs. */
  basis: Basis;
  /** The job's catalog row. */
  row: JobInput;
}

const TYPES = { backup: 'B', restore: 'R', verify: 'V' } as const;

export async function prepareRun(catalog: Catalog, requested: JobPlan, schedTime: number): Promise<PreparedRun> {
  let plan = requested;
  const clientId = await catalog.ensureClient(plan.client.name);
  let level: JobLevel = ' ';
  let fileSetId: number | null = null;
  let poolId: number | null = null;
  let basis: Basis = { since: null, prior: null, note: null, continues: null };
  if (plan.kind === 'backup') {
    fileSetId = await catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
    const { level: decided, ...built } = await chooseBaseline(catalog, plan, clientId, fileSetId);
    // The pool follows the level, also an upgraded one (Bareos's forced pool overrides).
    const { pool, source } = poolForLevel(plan.pools, decided, decided !== plan.level);
    // Checked on the pool the level decided, whichever way it came (Job, run pool=, Run line, upgrade).
    const refusal = poolRefusal(pool, plan.client.name);
    if (refusal) throw new BurrowError('BAD_REQUEST', `Job "${plan.jobName}" refused: ${refusal}.`);
    // The Pool's Storage overrides the Job's, so the Storage follows the pool too.
    const { storages, storageSource } = writingStorages(plan.jobStorages, plan.storageSource === 'command line' ? 'command line' : 'Job resource', pool);
    const storage = storages[0] ?? plan.storage;
    plan = { ...plan, level: decided, pool, poolSource: source, storages, storage, storageSource, limits: { ...plan.limits, storageMax: storage.maximumConcurrentJobs } };
    basis = built;
    level = plan.level;
    poolId = (await catalog.getPool(plan.pool.name))?.poolId ?? null;
  } else if (plan.kind === 'verify') {
    fileSetId = await catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
    level = VERIFY_LEVEL_CODES[plan.level];
  }
  const storageId = await catalog.ensureStorage(plan.storage.name);
  const row: JobInput = {
    name: plan.jobName, type: TYPES[plan.kind], level, clientId, fileSetId, poolId, storageId, schedTime,
    // A restore's job read; a backup's Incomplete job of its level it continues.
    priorJobId: plan.kind === 'restore' ? (plan.jobIds[plan.jobIds.length - 1] ?? null) : basis.continues?.jobId ?? null,
  };
  return { plan, basis, row };
}
