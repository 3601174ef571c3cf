/**
 * Restore chains, as pruning must respect them: an Incremental builds on the last good
 * backup of its Job, Client and FileSet before it, a Differential on the last good Full
 * (jobs/baseline.ts makes backups this way). A job that is kept must stay restorable,
 * so every job its chain reaches back through is kept too, whatever its age: pruning
 * never leaves an Incremental without its Full. (Bareos keeps only the newest chain of
 * each FileSet; Burrow keeps the chain of every job it keeps, because a kept job that
 * cannot be restored is worse than a job kept a little longer.)
 */
import { FINAL_JOB_STATUSES, LEVEL_NAMES, type Catalog, type JobRow } from '../catalog/index.js';

/** A candidate that stays, and why: the job log says so. */
export interface KeptJob {
  job: JobRow;
  reason: string;
}

export interface PruneChoice {
  prune: JobRow[];
  kept: KeptJob[];
}

const startOf = (j: JobRow): number => j.startTime ?? j.schedTime;
const good = (j: JobRow): boolean => j.status === 'T' || j.status === 'W';
const levelName = (j: JobRow): string => LEVEL_NAMES[j.level as 'F'] ?? j.level;

/** The jobs of one backup chain family: same Job name, Client and FileSet. */
function familyKey(j: JobRow): string {
  return `${j.name}\u0000${j.clientId ?? ''}\u0000${j.fileSetId ?? ''}`;
}

/**
 * For each good backup of a family (oldest first), the index of the job it builds on:
 * an Incremental the good backup just before it, a Differential the last Full.
 */
function priors(family: readonly JobRow[]): Array<number | null> {
  let lastFull: number | null = null;
  return family.map((j, i) => {
    const prior = j.level === 'I' ? (i > 0 ? i - 1 : null) : j.level === 'D' ? lastFull : null;
    if (j.level === 'F') lastFull = i;
    return prior;
  });
}

/** Which of `candidates` may be deleted: never a job still running, never a link of a kept job's chain. */
export async function choosePrunable(catalog: Catalog, candidates: readonly JobRow[]): Promise<PruneChoice> {
  const kept: KeptJob[] = [];
  const finished = candidates.filter((j) => {
    if (FINAL_JOB_STATUSES.includes(j.status)) return true;
    kept.push({ job: j, reason: `JobId ${j.jobId} is still running: it is not pruned` });
    return false;
  });
  const wanted = new Set(finished.map((j) => j.jobId));
  const protectedBy = new Map<number, JobRow>();
  const families = new Map<string, JobRow>();
  for (const j of finished) if (j.type === 'B' && good(j)) families.set(familyKey(j), j);
  for (const sample of families.values()) await protectChains(catalog, sample, wanted, protectedBy);
  const prune = finished.filter((j) => {
    const by = protectedBy.get(j.jobId);
    if (by === undefined) return true;
    kept.push({
      job: j,
      reason: `JobId ${j.jobId} (${levelName(j)}) is kept: JobId ${by.jobId} (${levelName(by)}), which is kept, builds on it`,
    });
    return false;
  });
  return { prune, kept };
}

/** Marks in `protectedBy` every wanted job that a kept job of `sample`'s family builds on. */
async function protectChains(catalog: Catalog, sample: JobRow, wanted: ReadonlySet<number>, protectedBy: Map<number, JobRow>): Promise<void> {
  const family = (await catalog.listJobs({ client: sample.clientName ?? undefined, name: sample.name, type: 'B' }))
    .filter((j) => good(j) && j.clientId === sample.clientId && j.fileSetId === sample.fileSetId)
    .sort((a, b) => startOf(a) - startOf(b) || a.jobId - b.jobId);
  const prior = priors(family);
  // Newest first, so a job protected by a later one protects its own chain in turn.
  for (let i = family.length - 1; i >= 0; i--) {
    const j = family[i]!;
    const keeps = !wanted.has(j.jobId) || protectedBy.has(j.jobId);
    if (!keeps) continue;
    for (let p = prior[i]; p !== null && p !== undefined; p = prior[p]) {
      const link = family[p]!;
      if (!wanted.has(link.jobId) || protectedBy.has(link.jobId)) break;
      protectedBy.set(link.jobId, j);
    }
  }
}
