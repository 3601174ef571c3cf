import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storagesWithRoom, waitReason, type QueueEntry } from './admission.js';
import type { BackupPlan, RunLimits } from './plan.js';

const limits = (o: Partial<RunLimits> = {}): RunLimits => ({
  jobMax: 1, clientMax: 1, storageMax: 1, maxRunTimeMs: null, maxWaitTimeMs: null, allowDuplicates: true,
  cancelQueuedDuplicates: false, reschedule: { onError: false, intervalMs: 0, times: 0 }, ...o,
});

function entry(jobId: number, o: { job?: string; client?: string; storage?: string; storages?: string[]; using?: string; priority?: number; state?: 'waiting' | 'running'; limits?: Partial<RunLimits> }): QueueEntry {
  const l = limits({ storageMax: 10, clientMax: 10, ...o.limits });
  const storages = (o.storages ?? [o.storage ?? 'File']).map((name) => ({ name, maximumConcurrentJobs: l.storageMax }));
  const plan = {
    kind: 'backup', jobName: o.job ?? `job${jobId}`, client: { name: o.client ?? `client${jobId}` },
    storage: storages[0], storages, limits: l,
  } as unknown as BackupPlan;
  const { using } = o;
  return { jobId, plan, priority: o.priority ?? 10, state: o.state ?? 'waiting', ...(using ? { storageInUse: () => using } : {}) };
}

test('a backup with several Storages waits only when each is at its limit, counting jobs where they write', () => {
  const one = { storageMax: 1 };
  const onSd1 = entry(1, { storages: ['sd1', 'sd2'], state: 'running', limits: one });
  const next = entry(2, { storages: ['sd1', 'sd2'], limits: one });
  assert.equal(waitReason(next, [onSd1, next], 10), undefined);
  assert.deepEqual(storagesWithRoom(next, [onSd1, next]), ['sd2']);
  // Job 1 listed sd1 first but writes to sd2: sd1 has room.
  const movedToSd2 = entry(1, { storages: ['sd1', 'sd2'], using: 'sd2', state: 'running', limits: one });
  assert.deepEqual(storagesWithRoom(next, [movedToSd2, next]), ['sd1']);
  const onSd2 = entry(3, { storages: ['sd2'], state: 'running', limits: one });
  assert.equal(waitReason(next, [onSd1, onSd2, next], 10), 'is waiting on max Storage jobs');
});

test('the Director limit, then priorities, then the Job, Client and Storage limits', () => {
  const a = entry(1, { state: 'running' });
  const b = entry(2, {});
  assert.equal(waitReason(b, [a, b], 1), 'is waiting on max total jobs');
  assert.equal(waitReason(b, [a, b], 2), undefined);

  const urgent = entry(3, { priority: 5 });
  assert.equal(waitReason(b, [b, urgent], 5), 'is waiting for higher priority jobs to finish');
  assert.equal(waitReason(urgent, [b, urgent], 5), undefined);
  const runningLow = entry(4, { priority: 20, state: 'running' });
  assert.equal(waitReason(b, [runningLow, b], 5), 'is waiting for jobs of priority 20 to finish');

  const sameJob = [entry(5, { job: 'nightly', state: 'running' }), entry(6, { job: 'nightly' })];
  assert.equal(waitReason(sameJob[1] as QueueEntry, sameJob, 5), 'is waiting on max Job jobs');
  const sameClient = [entry(7, { client: 'c', state: 'running' }), entry(8, { client: 'c', limits: { clientMax: 1 } })];
  assert.equal(waitReason(sameClient[1] as QueueEntry, sameClient, 5), 'is waiting on max Client jobs');
  const sameStorage = [entry(9, { state: 'running' }), entry(10, { limits: { storageMax: 1 } })];
  assert.equal(waitReason(sameStorage[1] as QueueEntry, sameStorage, 5), 'is waiting on max Storage jobs');
});

test('an equal-priority job stuck on its client does not hold back the next', () => {
  const running = entry(1, { client: 'busy', state: 'running' });
  const stuck = entry(2, { client: 'busy', limits: { clientMax: 1 } });
  const free = entry(3, { client: 'idle' });
  const all = [running, stuck, free];
  assert.equal(waitReason(stuck, all, 5), 'is waiting on max Client jobs');
  assert.equal(waitReason(free, all, 5), undefined);
});
