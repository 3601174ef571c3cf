/**
 * Which Pool a backup writes to, decided with its level as Bareos decides it
 * (dird/job.cc ApplyPoolOverrides), and in Bareos's words for where it came from —
 * the report's `Pool: "Full" (From Job FullPool override)`.
 *
 * The candidates: the *base* pool (the Job's `Pool`, a Schedule Run line's `Pool=`, or
 * the run command's `pool=`) and a pool per level (the Job's `Full Backup Pool`,
 * `Incremental Backup Pool`, `Differential Backup Pool`, each replaced by a Run
 * line's `FullPool=`, `IncrementalPool=`, `DifferentialPool=`). The rules:
 *  1. `pool=` on the run command wins, unless the level was upgraded (an Incremental
 *     with no Full to build on became a Full): then the level's pool applies after all.
 *  2. A Run line's `Pool=` with none of the Run line's level pools wins.
 *  3. Otherwise the level's pool, if there is one; else the base pool.
 */
import type { PoolPlan } from '../media/pools.js';
import type { BackupLevel } from '../catalog/index.js';

/** Where the base pool came from. */
export type BasePoolSource = 'Job resource' | 'command line' | 'Run Pool override';

export type PoolSource = BasePoolSource
  | 'Job FullPool override' | 'Run FullPool override'
  | 'Job IncPool override' | 'Run IncPool override'
  | 'Job DiffPool override' | 'Run DiffPool override';

/** A level's pool, and whether a Schedule Run line gave it. */
export interface LevelPool {
  pool: PoolPlan;
  fromRun: boolean;
}

export interface PoolCandidates {
  base: PoolPlan;
  baseSource: BasePoolSource;
  levels: Partial<Record<BackupLevel, LevelPool>>;
}

export interface PoolChoice {
  pool: PoolPlan;
  source: PoolSource;
}

const WORD: Record<BackupLevel, 'Full' | 'Inc' | 'Diff'> = { F: 'Full', I: 'Inc', D: 'Diff' };

export function poolForLevel(c: PoolCandidates, level: BackupLevel, upgraded: boolean): PoolChoice {
  const base: PoolChoice = { pool: c.base, source: c.baseSource };
  if (c.baseSource === 'command line' && !upgraded) return base;
  const runGaveLevelPools = Object.values(c.levels).some((l) => l.fromRun);
  if (c.baseSource === 'Run Pool override' && !runGaveLevelPools) return base;
  const own = c.levels[level];
  if (!own) return base;
  return { pool: own.pool, source: `${own.fromRun ? 'Run' : 'Job'} ${WORD[level]}Pool override` };
}
