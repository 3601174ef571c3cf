/**
 * Whether a waiting job may start now, and if not, what it waits for — in the words
 * Bareos's `status dir` uses. Rules: the Director's, the Job's, the Client's and the
 * Storage's Maximum Concurrent Jobs; the lowest Priority number goes first, and jobs
 * of different priorities do not run at the same time. A backup with several Storages
 * waits on the Storage limit only when each of them is at its limit; a running job
 * counts against the Storage it uses (the one it chose, not the first of its list).
 */
import type { JobPlan } from './plan.js';

export interface QueueEntry {
  jobId: number;
  plan: JobPlan;
  priority: number;
  state: 'waiting' | 'running';
  /** The Storage a running job uses, once it chose among several; else its plan's. */
  storageInUse?: () => string;
}

/** The Storage `j` counts against. */
function storageOf(j: QueueEntry): string {
  return (j.storageInUse?.() ?? j.plan.storage.name).toLowerCase();
}

/** The Storages a job may use, each with its Director limit. */
function candidates(job: QueueEntry): Array<{ name: string; max: number }> {
  if (job.plan.kind === 'backup') return job.plan.storages.map((s) => ({ name: s.name, max: s.maximumConcurrentJobs }));
  return [{ name: job.plan.storage.name, max: job.plan.limits.storageMax }];
}

/** Those of `job`'s Storages below their Maximum Concurrent Jobs, counting the other running jobs. */
export function storagesWithRoom(job: QueueEntry, all: readonly QueueEntry[]): string[] {
  const others = all.filter((j) => j.state === 'running' && j.jobId !== job.jobId);
  return candidates(job).filter((c) => others.filter((j) => storageOf(j) === c.name.toLowerCase()).length < c.max).map((c) => c.name);
}

function clientOf(plan: JobPlan): string {
  return (plan.kind === 'restore' ? plan.restoreClient.name : plan.client.name).toLowerCase();
}

export function waitReason(job: QueueEntry, all: readonly QueueEntry[], directorMax: number): string | undefined {
  const running = all.filter((j) => j.state === 'running');
  if (running.length >= directorMax) return 'is waiting on max total jobs';
  // Jobs of equal priority do not block each other: one stuck on its client lets the next pass.
  if (all.some((j) => j.state === 'waiting' && j.priority < job.priority)) return 'is waiting for higher priority jobs to finish';
  const other = running.find((j) => j.priority !== job.priority);
  if (other) return `is waiting for jobs of priority ${other.priority} to finish`;
  const limits = job.plan.limits;
  if (running.filter((j) => j.plan.jobName === job.plan.jobName).length >= limits.jobMax) return 'is waiting on max Job jobs';
  if (running.filter((j) => clientOf(j.plan) === clientOf(job.plan)).length >= limits.clientMax) return 'is waiting on max Client jobs';
  if (storagesWithRoom(job, all).length === 0) return 'is waiting on max Storage jobs';
  return undefined;
}
