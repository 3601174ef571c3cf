/**
 * The Director's job queue: gives each run its catalog row and id, starts jobs as
 * the admission rules allow (admission.ts), enforces Max Wait Time and Max Run Time,
 * refuses or replaces duplicates as the Job says, reschedules failed jobs when asked,
 * lets `wait` and `cancel` find jobs, and keeps one job's failure from touching others.
 * A job keeps the JobEnv of the configuration it was submitted under (its Messages
 * destinations), so a reload changes only the jobs submitted after it.
 */
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { storagesWithRoom, waitReason, type QueueEntry } from './admission.js';
import type { Basis } from './baseline.js';
import type { JobEnv, JobIdentity } from './env.js';
import { backupJob } from './backup.js';
import { elapsed } from './format.js';
import { runJob, type JobType } from './lifecycle.js';
import { prepareRun } from './prepare.js';
import { VERIFY_LEVEL_CODES, type JobPlan } from './plan.js';
import { restoreJob } from './restore.js';
import { verifyJob } from './verify.js';
import type { FinalStatus } from './status.js';
import { JobWaits } from './waits.js';
import { JobEvents, type DriveChange, type JobEventSubject, type JobProgress } from './events.js';

interface QueuedJob extends QueueEntry {
  id: JobIdentity;
  env: JobEnv;
  /** The plan as submitted, before the level was decided: what a rerun starts from. */
  requested: JobPlan;
  /** What runs: made at submit, when a backup's level and basis are decided. */
  type: JobType;
  attempt: number;
  waitingFor: string | undefined;
  /** Made when the job starts: what it waits for while it runs (a volume), for status dir and Max Wait Time. */
  waits: JobWaits | undefined;
  /** When it started running, and how far it got (jobs/progress.ts), for status dir. */
  startedAt?: number;
  progress?: JobProgress;
  abort: AbortController;
  timers: NodeJS.Timeout[];
  done: Promise<FinalStatus>;
  resolve: (s: FinalStatus) => void;
}

export interface JobSummary {
  jobId: number;
  job: string;
  name: string;
  kind: JobPlan['kind'];
  state: 'waiting' | 'running';
  /** What a waiting job waits for, in Bareos's words (a running job too: a volume). */
  waitingFor: string | undefined;
  /** A running job's wait: what for (volume or pool, media type, storage) and since when. */
  wait?: { detail: string; since: number };
  level: string;
  client: string;
  priority: number;
  /** A running job's start, and its progress once the catalog stored some of its files. */
  startedAt?: number;
  progress?: JobProgress;
}

/** What the queue reads from the configuration in force, each time it needs it. */
export interface QueueSettings {
  /** The JobEnv of the configuration in force now. */
  env(): JobEnv;
  /** The Director's Maximum Concurrent Jobs now. */
  maxConcurrentJobs(): number;
  /** Where the queue tells of its jobs; its own when not given. */
  events?: JobEvents;
}

export class JobQueue {
  private readonly jobs = new Map<number, QueuedJob>();
  private readonly retries = new Set<NodeJS.Timeout>();
  /** shutdown() has begun: no job is queued any more. */
  private closing = false;
  /** Each job's queueing, start and end, for the metrics and live events. */
  readonly events: JobEvents;

  constructor(private readonly settings: QueueSettings) {
    this.events = settings.events ?? new JobEvents();
    this.events.on('progress', (p) => {
      const j = this.jobs.get(p.jobId);
      if (j) j.progress = p;
    });
  }

  /**
   * Records the job in the catalog (status C) and queues it; resolves with its id once it
   * is queued (the level and basis are decided from the catalog first).
   */
  async submit(requested: JobPlan, attempt = 1): Promise<JobIdentity> {
    if (this.closing) throw shuttingDown(`Job "${requested.jobName}" not started`);
    const env = this.settings.env();
    const { catalog } = env;
    const schedTime = env.clock.now();
    const { plan, basis, row } = await prepareRun(catalog, requested, schedTime);
    const jobId = await catalog.createJob(row);
    const id: JobIdentity = { jobId, job: (await catalog.getJob(jobId))?.job ?? `${plan.jobName}.${jobId}`, schedTime };
    let resolve!: (s: FinalStatus) => void;
    const done = new Promise<FinalStatus>((r) => { resolve = r; });
    const type = jobType(plan, basis);
    const job: QueuedJob = {
      jobId, id, env, plan, requested, type, attempt, priority: plan.priority, state: 'waiting', waitingFor: undefined, waits: undefined,
      abort: new AbortController(), timers: [], done, resolve, storageInUse: () => type.storageInUse?.() ?? plan.storage.name,
    };
    if (this.closing) {
      // shutdown() began while this job's row was written: it has canceled the others
      // and waits for them alone, so this one ends here, canceled, instead of running after.
      env.jobLog(jobId, plan.messages).fatal('The Director is shutting down.');
      this.end(job, 'A', true);
      throw shuttingDown(`JobId ${jobId} (Job "${plan.jobName}") canceled`);
    }
    if (!this.admitDuplicate(job)) return id;
    this.jobs.set(jobId, job);
    this.events.emit('queued', subject(job));
    const maxWait = plan.limits.maxWaitTimeMs;
    if (maxWait !== null) {
      job.timers.push(setTimeout(() => {
        if (job.state === 'waiting') this.cancel(jobId, `Max wait time exceeded (${elapsed(maxWait)}): the job did not start in time.`);
      }, maxWait).unref());
    }
    this.pump();
    return id;
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((j) => {
      const w = j.waits?.current;
      return {
        jobId: j.jobId, job: j.id.job, name: j.plan.jobName, kind: j.plan.kind, state: j.state, waitingFor: w?.words ?? j.waitingFor,
        ...(w ? { wait: { detail: w.detail, since: w.since } } : {}), level: levelCode(j.plan), client: j.plan.client.name, priority: j.priority,
        ...(j.startedAt !== undefined ? { startedAt: j.startedAt } : {}), ...(j.progress ? { progress: j.progress } : {}),
      };
    });
  }

  /** Resolves when the job ends, or when every job has ended. */
  async wait(jobId?: number): Promise<void> {
    if (jobId !== undefined) {
      await this.jobs.get(jobId)?.done;
      return;
    }
    while (this.jobs.size > 0) await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  /** Cancels a waiting or running job; `why` goes to its log. False when no such job. */
  cancel(jobId: number, why = 'Job canceled by the operator.'): boolean {
    const j = this.jobs.get(jobId);
    if (!j) return false;
    j.env.jobLog(jobId, j.plan.messages).fatal(why);
    j.abort.abort(new BurrowError('JOB_CANCELED', why));
    if (j.state === 'waiting') this.end(j, 'A', true);
    return true;
  }

  /**
   * Cancels everything (Director shutdown) and waits for the jobs to wind down. A submit
   * from then on is refused (JOB_CANCELED), even one that began before and was still
   * writing its job's row: that job is ended canceled rather than run after the cancels.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    for (const jobId of [...this.jobs.keys()]) this.cancel(jobId, 'The Director is shutting down.');
    await this.wait();
  }

  /** Allow Duplicate Jobs = no: keep one run of a Job, as Cancel Queued Duplicates says which. */
  private admitDuplicate(job: QueuedJob): boolean {
    if (job.plan.limits.allowDuplicates) return true;
    const twins = [...this.jobs.values()].filter((j) => j.plan.jobName === job.plan.jobName);
    if (twins.length === 0) return true;
    if (job.plan.limits.cancelQueuedDuplicates && twins.every((t) => t.state === 'waiting')) {
      for (const t of twins) this.cancel(t.jobId, `Canceled: a newer run of Job "${job.plan.jobName}" (JobId ${job.jobId}) replaces this queued duplicate.`);
      return true;
    }
    job.env.jobLog(job.jobId, job.plan.messages).fatal(`Duplicate job not allowed: JobId ${twins.map((t) => t.jobId).join(',')} of Job "${job.plan.jobName}" is already queued or running.`);
    this.end(job, 'A', true);
    return false;
  }

  private pump(): void {
    // Shutting down: a job the cancels free a slot for is canceled next, not started.
    if (this.closing) return;
    const entries = [...this.jobs.values()];
    const waiting = entries.filter((j) => j.state === 'waiting').sort((a, b) => a.priority - b.priority || a.jobId - b.jobId);
    for (const j of waiting) {
      j.waitingFor = waitReason(j, entries, this.settings.maxConcurrentJobs());
      if (j.waitingFor === undefined) {
        j.state = 'running';
        j.startedAt = j.env.clock.now();
        this.events.emit('started', subject(j));
        void this.run(j);
      }
    }
  }

  private async run(j: QueuedJob): Promise<void> {
    const maxRun = j.plan.limits.maxRunTimeMs;
    if (maxRun !== null) {
      j.timers.push(setTimeout(() => this.cancel(j.jobId, `Max run time exceeded (${elapsed(maxRun)}). Job canceled.`), maxRun).unref());
    }
    let status: FinalStatus = 'f';
    // Its waits once it runs (for volumes) count toward Max Wait Time from here, as Bareos
    // documents it ("counted from when the job starts"); the queue's wait has its own timer.
    j.waits = new JobWaits(() => j.env.clock.now(), j.plan.limits.maxWaitTimeMs);
    j.waits.observe((w) => (w ? this.events.emit('waiting', { ...subject(j), ...w }) : this.events.emit('resumed', subject(j))));
    try {
      const room = (): string[] => storagesWithRoom(j, [...this.jobs.values()]);
      const drive = (change: Omit<DriveChange, 'jobId'>): void => this.events.emit('drive', { ...change, jobId: j.jobId });
      status = await runJob(j.type, { env: j.env, id: j.id, signal: j.abort.signal, waits: j.waits, storagesWithRoom: room, drive });
    } catch (err) {
      // A job runner that throws is a bug; the job fails, the Director goes on.
      j.env.log.error({ jobId: j.jobId, err: describeError(err) }, 'job runner failed');
    }
    this.end(j, status, false);
    this.maybeReschedule(j, status);
  }

  /** Takes the job out of the queue; `record` writes its end for a job that never ran. */
  private end(j: QueuedJob, status: FinalStatus, record: boolean): void {
    for (const t of j.timers) clearTimeout(t);
    // Runs when asked (the catalog keeps its writes in order), so the row is final before
    // 'ended' is told. A refusal (a job already final, a catalog that failed) goes to the
    // Director's log: the job ends either way.
    if (record) {
      j.env.catalog.finishJob(j.jobId, { status, endTime: j.env.clock.now(), jobFiles: 0, jobBytes: 0 })
        .catch((err: unknown) => j.env.log.warn({ jobId: j.jobId, err: describeError(err) }, 'end of a job that never ran not recorded'));
    }
    this.jobs.delete(j.jobId);
    this.events.emit('ended', { ...subject(j), status });
    j.resolve(status);
    this.pump();
  }

  /** Reschedule On Error: run the Job again after Reschedule Interval, up to Reschedule Times. */
  private maybeReschedule(j: QueuedJob, status: FinalStatus): void {
    const r = j.plan.limits.reschedule;
    if (this.closing) return;
    if (!r.onError || (status !== 'E' && status !== 'f') || j.attempt > r.times) return;
    j.env.jobLog(j.jobId, j.plan.messages).info(`Rescheduled Job ${j.id.job} to re-run in ${elapsed(r.intervalMs)} (attempt ${j.attempt + 1} of ${r.times + 1}).`);
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.submit(j.requested, j.attempt + 1).catch((err: unknown) => {
        j.env.log.error({ jobId: j.jobId, err: describeError(err) }, 'rescheduled job could not be submitted');
      });
    }, r.intervalMs);
    timer.unref();
    this.retries.add(timer);
  }
}

/** The refusal of a job submitted once the Director began to shut down. */
function shuttingDown(what: string): BurrowError {
  return new BurrowError('JOB_CANCELED', `${what}: the Director is shutting down.`);
}

/** The job type that runs a plan; `basis` is what a backup builds on. */
function jobType(plan: JobPlan, basis: Basis): JobType {
  switch (plan.kind) {
    case 'backup': return backupJob(plan, basis);
    case 'restore': return restoreJob(plan);
    case 'verify': return verifyJob(plan);
  }
}

/** What the events say of a job. */
function subject(j: QueuedJob): JobEventSubject {
  return { jobId: j.jobId, job: j.id.job, name: j.plan.jobName, kind: j.plan.kind, level: levelCode(j.plan), client: j.plan.client.name };
}

/** The level as the catalog writes it (Bareos's letter). */
function levelCode(plan: JobPlan): string {
  switch (plan.kind) {
    case 'backup': return plan.level;
    case 'verify': return VERIFY_LEVEL_CODES[plan.level];
    case 'restore': return ' ';
  }
}
