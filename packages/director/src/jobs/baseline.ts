/**
 * What a Differential or Incremental builds on (Bareos's rules): a Differential
 * saves what changed since the last good Full, an Incremental since the last good
 * Full, Differential or Incremental, both of the same Job, client and FileSet.
 * *Since* is the start time of that job, so a file changed while it ran is saved
 * again. With no usable Full the job becomes a Full and says so. A changed FileSet
 * has a new identity, so it has no Full yet and its next backup is Full.
 */
import type { Catalog, JobRow } from '../catalog/index.js';
import { listDate } from './format.js';
import { LEVEL_NAMES, type BackupPlan } from './plan.js';

/** What a backup builds on: nothing for a Full. */
export interface Basis {
  /** Epoch ms; null for a Full. */
  since: number | null;
  /** The job built upon. */
  prior: JobRow | null;
  /** Said in the job log (an upgrade to Full, or what an Incremental builds on). */
  note: string | null;
  /**
   * The Incomplete job (JobStatus I) of the same level this one continues: it was the
   * Job's last backup, so this one sends only the files that one did not save (or that
   * changed since), and the two together are the Full, Differential or Incremental
   * (currentChain). An Incremental or Differential keeps that job's since-time and
   * prior. Null otherwise.
   */
  continues: JobRow | null;
}

/** The level a backup runs at once the catalog is asked, and what it builds on. */
export interface Baseline extends Basis {
  level: BackupPlan['level'];
}

export async function chooseBaseline(catalog: Catalog, plan: BackupPlan, clientId: number, fileSetId: number): Promise<Baseline> {
  if (plan.level === 'F') return await fullBaseline(catalog, plan, fileSetId, null);
  const full = await catalog.lastSuccessfulJob({ clientId, fileSetId, name: plan.jobName, levels: ['F'] });
  if (!full) {
    return await fullBaseline(catalog, plan, fileSetId,
       `No prior Full backup Job record found for Job "${plan.jobName}", Client "${plan.client.name}", FileSet "${plan.fileset.name}": ` +
        `doing a Full backup instead of ${LEVEL_NAMES[plan.level]}.`);
  }
  const prior = plan.level === 'D' ? full : await catalog.lastSuccessfulJob({ clientId, fileSetId, name: plan.jobName, levels: ['F', 'D', 'I'] }) ?? full;
  const continues = await incompleteToContinue(catalog, plan, fileSetId, plan.level);
  // Continuing: the same window as the Incomplete job's (it started from this prior too, nothing good ran since).
  const since = continues?.since ?? prior.startTime ?? prior.schedTime;
  const note = `${LEVEL_NAMES[plan.level]} since ${listDate(since)} (JobId ${prior.jobId}, ${LEVEL_NAMES[prior.level as 'F']})`;
  return { level: plan.level, since, prior, continues, note: continuing(note, continues) };
}

/** A Full; it continues the Job's last backup when that is an Incomplete Full of the same FileSet. */
async function fullBaseline(catalog: Catalog, plan: BackupPlan, fileSetId: number, note: string | null): Promise<Baseline> {
  const continues = await incompleteToContinue(catalog, plan, fileSetId, 'F');
  return { level: 'F', since: null, prior: null, continues, note: continuing(note, continues) };
}

/** The Job's last backup of the FileSet (canceled and failed ones aside) when it is Incomplete and of `level`. */
async function incompleteToContinue(catalog: Catalog, plan: BackupPlan, fileSetId: number, level: BackupPlan['level']): Promise<JobRow | null> {
  const last = (await catalog.listJobs({ client: plan.client.name, name: plan.jobName, type: 'B' }))
    .filter((j) => j.fileSetId === fileSetId && j.status !== 'A' && j.status !== 'E' && j.status !== 'f').pop();
  return last?.status === 'I' && last.level === level ? last : null;
}

function continuing(note: string | null, continues: JobRow | null): string | null {
  if (continues === null) return note;
  return `${note === null ? '' : `${note} `}Continuing the Incomplete ${LEVEL_NAMES[continues.level as 'F']} JobId ${continues.jobId}: ` +
    `the ${continues.jobFiles} files it saved are sent again only if they changed.`;
}

/**
 * The backups that make up a client's latest state (or its state before `before`):
 * the last good Full, the last Differential after it, and every Incremental after
 * those — oldest first, so that a later version of a file wins.
 */
export async function currentChain(catalog: Catalog, client: string, opts: { fileSetId?: number; before?: number } = {}): Promise<JobRow[]> {
  const good = (await catalog.listJobs({ client, type: 'B' })).filter((j) => (j.status === 'T' || j.status === 'W')
    && (opts.fileSetId === undefined || j.fileSetId === opts.fileSetId)
    && (opts.before === undefined || (j.startTime ?? j.schedTime) <= opts.before));
  const start = (j: JobRow): number => j.startTime ?? j.schedTime;
  const full = good.filter((j) => j.level === 'F').sort((a, b) => start(a) - start(b)).pop();
  if (!full) return [];
  const after = good.filter((j) => start(j) > start(full));
  const diff = after.filter((j) => j.level === 'D').sort((a, b) => start(a) - start(b)).pop();
  const base = diff ?? full;
  const incs = after.filter((j) => j.level === 'I' && start(j) > start(base)).sort((a, b) => start(a) - start(b));
  return (await Promise.all([full, ...(diff ? [diff] : []), ...incs].map((j) => withContinued(catalog, j)))).flat();
}

/**
 * `job` after the Incomplete jobs it continued (chooseBaseline), oldest first: they hold
 * the files it did not send again, so they come before it wherever it is restored from.
 */
export async function withContinued(catalog: Catalog, job: JobRow): Promise<JobRow[]> {
  const out: JobRow[] = [job];
  for (let j = job; j.priorJobId !== null;) {
    const prior = await catalog.getJob(j.priorJobId);
    if (prior?.status !== 'I' || prior.type !== 'B' || prior.level !== job.level) break;
    out.unshift(prior);
    j = prior;
  }
  return out;
}
