import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PoolPlan } from '../media/pools.js';
import { poolForLevel, type BasePoolSource, type PoolCandidates } from './pools.js';

const pool = (name: string): PoolPlan => ({ name, labelFormat: null, maximumVolumeBytes: 0, allowedClients: [] });

/** Job Pool "Job" with the stock JobDefs' level pools, plus what a test adds. */
function candidates(baseSource: BasePoolSource = 'Job resource', base = 'Job', run: Partial<Record<'F' | 'I' | 'D', string>> = {}): PoolCandidates {
  const levels: PoolCandidates['levels'] = { F: { pool: pool('Full'), fromRun: false }, I: { pool: pool('Incremental'), fromRun: false }, D: { pool: pool('Differential'), fromRun: false } };
  for (const [level, name] of Object.entries(run) as Array<['F' | 'I' | 'D', string]>) levels[level] = { pool: pool(name), fromRun: true };
  return { base: pool(base), baseSource, levels };
}

const chosen = (c: PoolCandidates, level: 'F' | 'I' | 'D', upgraded = false): string => {
  const r = poolForLevel(c, level, upgraded);
  return `${r.pool.name} (From ${r.source})`;
};

test('the Job\'s level pools decide the pool, in Bareos\'s words', () => {
  const c = candidates();
  assert.equal(chosen(c, 'F'), 'Full (From Job FullPool override)');
  assert.equal(chosen(c, 'I'), 'Incremental (From Job IncPool override)');
  assert.equal(chosen(c, 'D'), 'Differential (From Job DiffPool override)');
  // An Incremental upgraded to Full writes to the Full pool.
  assert.equal(chosen(c, 'F', true), 'Full (From Job FullPool override)');
});

test('without a level pool the Job\'s Pool is used', () => {
  const c: PoolCandidates = { base: pool('Job'), baseSource: 'Job resource', levels: { F: { pool: pool('Full'), fromRun: false } } };
  assert.equal(chosen(c, 'I'), 'Job (From Job resource)');
  assert.equal(chosen(c, 'F'), 'Full (From Job FullPool override)');
});

test('pool= on the run command wins over the level pools, unless the level was upgraded', () => {
  const c = candidates('command line', 'Scratchy');
  assert.equal(chosen(c, 'I'), 'Scratchy (From command line)');
  assert.equal(chosen(c, 'F'), 'Scratchy (From command line)');
  assert.equal(chosen(c, 'F', true), 'Full (From Job FullPool override)');
});

test('a Run line\'s Pool= alone wins over the Job\'s level pools', () => {
  const c = candidates('Run Pool override', 'Weekly');
  assert.equal(chosen(c, 'F'), 'Weekly (From Run Pool override)');
  assert.equal(chosen(c, 'I', true), 'Weekly (From Run Pool override)');
});

test('a Run line\'s level pools replace the Job\'s; with them, its Pool= is only the fallback', () => {
  const withRunFull = candidates('Run Pool override', 'Weekly', { F: 'OffsiteFull' });
  assert.equal(chosen(withRunFull, 'F'), 'OffsiteFull (From Run FullPool override)');
  assert.equal(chosen(withRunFull, 'I'), 'Incremental (From Job IncPool override)');
  const onlyRunInc = candidates('Job resource', 'Job', { I: 'FastInc' });
  assert.equal(chosen(onlyRunInc, 'I'), 'FastInc (From Run IncPool override)');
  assert.equal(chosen(onlyRunInc, 'F'), 'Full (From Job FullPool override)');
  const noLevelPools: PoolCandidates = { base: pool('Weekly'), baseSource: 'Run Pool override', levels: { F: { pool: pool('OffsiteFull'), fromRun: true } } };
  assert.equal(chosen(noLevelPools, 'D'), 'Weekly (From Run Pool override)');
});
