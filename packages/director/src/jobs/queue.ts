/**
 * The Director's job queue: gives each run its catalog row and id, starts jobs as
 * the Director's Maximum Concurrent Jobs allows (highest priority — lowest number —
 * first, then in order of submission), lets `wait` and `cancel` find them, and keeps
 * one job's failure from touching any other.
 */
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { JobLevel } from '../catalog/types.js';
import type { JobEnv, JobIdentity } from './env.js';
import { runBackup } from './backup.js';
import type { JobPlan } from './plan.js';
import { runRestore } from './restore.js';
import { chooseBaseline, type Baseline } from './baseline.js';
import type { FinalStatus } from './status.js';

interface QueuedJob {
  id: JobIdentity;
  plan: JobPlan;
  baseline: Baseline | null;
  priority: number;
  state: 'waiting' | 'running';
  abort: AbortController;
  done: Promise<FinalStatus>;
  resolve: (s: FinalStatus) => void;
}

export interface JobSummary {
  jobId: number;
  job: string;
  name: string;
  kind: 'backup' | 'restore';
  state: 'waiting' | 'running';
  level: string;
  client: string;
}

export class JobQueue {
  private readonly jobs = new Map<number, QueuedJob>();
  private running = 0;

  constructor(private readonly env: JobEnv, private readonly maxConcurrent: number) {}

  /** Records the job in the catalog (status C) and queues it; returns its id at once. */
  submit(plan: JobPlan): JobIdentity {
    const { catalog } = this.env;
    const schedTime = Date.now();
    const clientId = catalog.ensureClient(plan.client.name);
    const storageId = catalog.ensureStorage(plan.storage.name);
    let level: JobLevel = ' ';
    let fileSetId: number | null = null;
    let poolId: number | null = null;
    let baseline: Baseline | null = null;
    if (plan.kind === 'backup') {
      fileSetId = catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
      poolId = catalog.getPool(plan.pool.name)?.poolId ?? null;
      baseline = chooseBaseline(catalog, plan, clientId, fileSetId);
      level = baseline.level;
    }
    const jobId = catalog.createJob({
      name: plan.jobName, type: plan.kind === 'backup' ? 'B' : 'R', level, clientId, fileSetId, poolId, storageId, schedTime,
      priorJobId: plan.kind === 'restore' ? (plan.jobIds[plan.jobIds.length - 1] ?? null) : null,
    });
    const row = catalog.getJob(jobId);
    const id: JobIdentity = { jobId, job: row?.job ?? `${plan.jobName}.${jobId}`, schedTime };
    let resolve!: (s: FinalStatus) => void;
    const done = new Promise<FinalStatus>((r) => { resolve = r; });
    this.jobs.set(jobId, { id, plan, baseline, priority: plan.priority, state: 'waiting', abort: new AbortController(), done, resolve });
    this.pump();
    return id;
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((j) => ({
      jobId: j.id.jobId, job: j.id.job, name: j.plan.jobName, kind: j.plan.kind, state: j.state,
      level: j.baseline?.level ?? ' ', client: j.plan.client.name,
    }));
  }

  /** Resolves when the job ends (at once, with undefined, if it is not in the queue). */
  async wait(jobId?: number): Promise<void> {
    if (jobId !== undefined) {
      await this.jobs.get(jobId)?.done;
      return;
    }
    while (this.jobs.size > 0) await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  cancel(jobId: number): boolean {
    const j = this.jobs.get(jobId);
    if (!j) return false;
    j.abort.abort(new BurrowError('JOB_CANCELED', `JobId ${jobId} canceled by the operator`));
    if (j.state === 'waiting') {
      this.jobs.delete(jobId);
      this.env.catalog.finishJob(jobId, { status: 'A', endTime: Date.now(), jobFiles: 0, jobBytes: 0 });
      j.resolve('A');
    }
    return true;
  }

  /** Cancels everything (Director shutdown) and waits for the jobs to wind down. */
  async shutdown(): Promise<void> {
    for (const jobId of [...this.jobs.keys()]) this.cancel(jobId);
    await this.wait();
  }

  private pump(): void {
    while (this.running < this.maxConcurrent) {
      const next = [...this.jobs.values()]
        .filter((j) => j.state === 'waiting')
        .sort((a, b) => a.priority - b.priority || a.id.jobId - b.id.jobId)[0];
      if (!next) return;
      next.state = 'running';
      this.running++;
      void this.run(next);
    }
  }

  private async run(j: QueuedJob): Promise<void> {
    let status: FinalStatus = 'f';
    try {
      status = j.plan.kind === 'backup'
        ? await runBackup(this.env, { ...j.plan, level: j.baseline?.level ?? j.plan.level }, j.baseline, j.id, j.abort.signal)
        : await runRestore(this.env, j.plan, j.id, j.abort.signal);
    } catch (err) {
      // A job runner that throws is a bug; the job fails, the Director goes on.
      this.env.log.error({ jobId: j.id.jobId, err: describeError(err) }, 'job runner failed');
      try {
        this.env.catalog.finishJob(j.id.jobId, { status: 'f', endTime: Date.now(), jobFiles: 0, jobBytes: 0 });
      } catch {
        // Already final.
      }
    } finally {
      this.running--;
      this.jobs.delete(j.id.jobId);
      j.resolve(status);
      this.pump();
    }
  }
}
