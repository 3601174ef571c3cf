/**
 * The filters of `list jobs`, under Bareos's keywords: jobstatus= (one or more status
 * letters, `jobstatus=E,f,A`), joblevel=, jobtype= (B, R, V), days= and hours= (jobs
 * that started, or were scheduled, that recently), and Burrow's since= (a date, as
 * `restore before=` takes one). The dashboard's job list and scripts use the same ones.
 * Status letters keep their case: `f` (fatal) is not `F` (waiting on the FD).
 */
import { BurrowError } from '@burrow/common/errors/index';
import { JOB_STATUSES, LEVEL_NAMES, type JobRow } from '../../catalog/index.js';
import { count, text } from '../arg-types.js';
import { parseWhen } from '../restore/selection.js';

const HOUR_MS = 3_600_000;
const TYPES = ['B', 'R', 'V'] as const;

export const jobFilterArgs = {
  jobstatus: text().optional(),
  joblevel: text().optional(),
  jobtype: text().optional(),
  days: count().optional(),
  hours: count().optional(),
  since: text().optional(),
};

export interface JobFilterArgs {
  jobstatus?: string;
  joblevel?: string;
  jobtype?: string;
  days?: number;
  hours?: number;
  since?: string;
}

/** What a job must be to be listed; `type` also narrows the catalog's query. */
export interface JobFilter {
  type?: (typeof TYPES)[number];
  /** Whether a row passes the filters other than type. */
  keeps(j: JobRow): boolean;
  /** Whether any filter beyond type is set (the catalog's limit must then come after them). */
  narrows: boolean;
}

/** Levels as the catalog writes them: F, I, D for backups (or their names), Verify's own letters. */
const LEVELS = ['F', 'I', 'D', 'V', 'C', 'O', 'd', 'A'];
const LEVEL_LETTER = new Map(Object.entries(LEVEL_NAMES).map(([letter, name]) => [name.toLowerCase(), letter]));

function letters(keyword: string, value: string, allowed: readonly string[], words?: ReadonlyMap<string, string>): Set<string> {
  const got = value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => words?.get(s.toLowerCase()) ?? s);
  const bad = got.filter((s) => !allowed.includes(s));
  if (got.length === 0 || bad.length > 0) throw new BurrowError('BAD_REQUEST', `${keyword}= must be one or more of ${allowed.join(', ')} (comma-separated), not "${value}"`);
  return new Set(got);
}

export function jobFilter(a: JobFilterArgs, now: number): JobFilter {
  const statuses = a.jobstatus === undefined ? undefined : letters('jobstatus', a.jobstatus, JOB_STATUSES);
  const levels = a.joblevel === undefined ? undefined : letters('joblevel', a.joblevel, LEVELS, LEVEL_LETTER);
  let type: JobFilter['type'];
  if (a.jobtype !== undefined) {
    const t = a.jobtype.toUpperCase();
    if (!(TYPES as readonly string[]).includes(t)) throw new BurrowError('BAD_REQUEST', `jobtype= must be B (backup), R (restore) or V (verify), not "${a.jobtype}"`);
    type = t as JobFilter['type'];
  }
  const from = Math.max(
    a.days === undefined ? -Infinity : now - a.days * 24 * HOUR_MS,
    a.hours === undefined ? -Infinity : now - a.hours * HOUR_MS,
    a.since === undefined ? -Infinity : parseWhen(a.since),
  );
  return {
    ...(type ? { type } : {}),
    narrows: statuses !== undefined || levels !== undefined || from > -Infinity,
    keeps: (j) => (statuses === undefined || statuses.has(j.status))
      && (levels === undefined || levels.has(j.level))
      && (j.startTime ?? j.schedTime) >= from,
  };
}
