/**
 * Fires scheduled jobs while the Director runs. Every enabled Job with a Schedule
 * contributes one entry per Run line; the loop sleeps until the next firing (waking
 * at least every minute, so a changed wall clock is noticed) and submits every job
 * whose time has come. Runs missed while the Director was down are not caught up,
 * as in Bareos. A reload hands it the new configuration's entries (`replaceEntries`):
 * the loop wakes and goes on from the minute it had checked, with the new runs.
 */
import { findResource, poolRefusal, type DirectorConfig, type JobResource } from '@burrow/common/config/index';
import { Problems } from '@burrow/common/config/schema/problems';
import type { Logger } from '@burrow/common/log/index';
import { firingsBetween, type Firing } from './calendar.js';
import type { Clock } from '../time/clock.js';
import { parseRun, RUN_LEVELS, type RunLevel, type RunSpec } from './run-spec.js';

export interface ScheduledJob {
  job: JobResource;
  schedule: string;
}

export type ScheduleEntry = { run: RunSpec; item: ScheduledJob };

const MAX_SLEEP_MS = 60_000;
const LOOKAHEAD_MS = 8 * 86_400_000;

/**
 * Parses every Schedule a Job uses; all bad Run lines are reported together, into
 * `problems` when given (the configuration check), else as one CONFIG_INVALID error.
 */
export function scheduleEntries(config: DirectorConfig, problems?: Problems): ScheduleEntry[] {
  const entries: ScheduleEntry[] = [];
  const found = problems ?? new Problems();
  const parsed = new Map<string, RunSpec[]>();
  for (const s of config.schedules) {
    const runs: RunSpec[] = [];
    for (const line of s.run) {
      try {
        runs.push(parseRun(line));
      } catch (err) {
        found.error({ file: s.source.file, line: s.source.line, resource: s.source.label, directive: '', message: (err as Error).message });
      }
    }
    parsed.set(s.name.toLowerCase(), s.enabled ? runs : []);
  }
  for (const job of config.jobs) {
    if (!job.schedule || !job.enabled) continue;
    // As in Bareos, a disabled Client's jobs are not scheduled (a manual run still works).
    const client = job.client === undefined ? undefined : findResource(config.clients, job.client);
    if (client && !client.enabled) continue;
    const schedule = findResource(config.schedules, job.schedule);
    for (const run of parsed.get(job.schedule.toLowerCase()) ?? []) {
      const misfit = levelMisfit(job, run) ?? poolMisfit(config, job, run);
      if (misfit) found.error({ file: job.source.file, line: job.source.line, resource: job.source.label, directive: 'Schedule', message: `"${job.schedule}": ${misfit}` });
      else entries.push({ run, item: { job, schedule: schedule?.name ?? job.schedule } });
    }
  }
  if (!problems) found.throwIfAny();
  return entries;
}

/** A Run line's pool override that would put the Job's Client's data in a pool not allowed to it (Allowed Clients). */
function poolMisfit(config: DirectorConfig, job: JobResource, run: RunSpec): string | undefined {
  if ((job.type ?? 'Backup') !== 'Backup' || !job.client) return undefined;
  const o = run.overrides;
  for (const name of [o.pool, o.fullPool, o.incrementalPool, o.differentialPool]) {
    const pool = name === undefined ? undefined : findResource(config.pools, name);
    const refusal = pool && poolRefusal(pool, job.client);
    if (refusal) return refusal;
  }
  return undefined;
}

const SCHEDULED_LEVELS: Readonly<Record<string, readonly RunLevel[]>> = {
  Backup: RUN_LEVELS.slice(0, 3),
  Verify: RUN_LEVELS.slice(3),
};

/** Why a Run line cannot start this Job: a type the scheduler does not start, or a level of another type. */
function levelMisfit(job: JobResource, run: RunSpec): string | undefined {
  const type = job.type ?? 'Backup';
  const levels = SCHEDULED_LEVELS[type];
  if (!levels) return `a ${type} job cannot be started by a Schedule (Backup and Verify jobs can)`;
  const level = run.overrides.level;
  if (level && !levels.includes(level)) return `Run = "${run.text}": Level=${level} is not a level of a ${type} job (${levels.join(', ')})`;
  return undefined;
}

export class Scheduler {
  /** Ends the loop's current sleep early (new entries to look at). */
  private wakeUp: (() => void) | undefined;

  constructor(
    private entries: readonly ScheduleEntry[],
    private readonly clock: Clock,
    private readonly fire: (firing: Firing<ScheduledJob>) => void | Promise<void>,
    private readonly log: Logger,
  ) {}

  /** From now on, fire these runs (a reloaded configuration's). */
  replaceEntries(entries: readonly ScheduleEntry[]): void {
    this.entries = entries;
    this.wakeUp?.();
  }

  /** What will fire from now until `days` ahead (for `status dir`). */
  upcoming(days: number): Firing<ScheduledJob>[] {
    const now = this.clock.now();
    return firingsBetween(this.entries, now, now + days * 86_400_000);
  }

  /** Sleeps until `ms` have passed, the Director stops, or new entries arrive. */
  private async sleep(ms: number, signal: AbortSignal): Promise<void> {
    const sleeping = new AbortController();
    const wake = (): void => sleeping.abort();
    signal.addEventListener('abort', wake, { once: true });
    this.wakeUp = wake;
    try {
      await this.clock.sleep(ms, sleeping.signal);
    } finally {
      signal.removeEventListener('abort', wake);
      this.wakeUp = undefined;
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    let checked = this.clock.now();
    while (!signal.aborted) {
      const next = firingsBetween(this.entries, checked, checked + LOOKAHEAD_MS)[0];
      const wait = next ? Math.min(MAX_SLEEP_MS, Math.max(0, next.time - this.clock.now())) : MAX_SLEEP_MS;
      await this.sleep(wait, signal);
      if (signal.aborted) return;
      const now = this.clock.now();
      if (now < checked) {
        // The wall clock went back: do not fire the same minutes twice.
        checked = now;
        continue;
      }
      for (const f of firingsBetween(this.entries, checked, now)) {
        try {
          // One at a time, in their order: the jobs get their ids as they fire.
          await this.fire(f);
        } catch (err) {
          this.log.error({ job: f.item.job.name }, `scheduled run of Job "${f.item.job.name}" could not start: ${(err as Error).message}`);
        }
      }
      checked = now;
    }
  }
}
