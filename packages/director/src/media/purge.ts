/**
 * Purging (Bareos's ua_purge.cc): like pruning, but whatever the retention — the
 * operator asked. Only catalog rows go, never data; a job still running is never
 * purged (its rows are being written). `purge volume` marks the volume Purged even if
 * nothing was written on it yet (the operator's word), and, with Action On Purge =
 * Truncate, the caller has the SD truncate it.
 */
import { FINAL_JOB_STATUSES, type Catalog, type JobRow, type MediaRow } from '../catalog/index.js';
import { markPurgedIfEmpty, purgeEmptied } from './purged.js';
import { isOneOf, PURGEABLE } from './statuses.js';

export interface PurgeResult {
  lines: string[];
  purgedJobIds: number[];
  /** The volume ended Purged (`purge volume`). */
  volumePurged?: boolean;
}

function running(jobs: readonly JobRow[]): { done: JobRow[]; lines: string[] } {
  const lines: string[] = [];
  const done = jobs.filter((j) => {
    if (FINAL_JOB_STATUSES.includes(j.status)) return true;
    lines.push(`JobId ${j.jobId} is still running: it is not purged.`);
    return false;
  });
  return { done, lines };
}

/** Deletes the jobs' rows everywhere (Bareos's PurgeJobListFromCatalog). */
export async function purgeJobs(catalog: Catalog, jobs: readonly JobRow[]): Promise<PurgeResult> {
  const { done, lines } = running(jobs);
  if (done.length === 0) return { lines: [...lines, 'No jobids found to be purged'], purgedJobIds: [] };
  const ids = done.map((j) => j.jobId);
  lines.push(`Purging the following ${ids.length} JobIds: ${ids.join(',')}`);
  const touched = await catalog.deleteJobs(ids);
  lines.push(...(await purgeEmptied(catalog, touched)).lines);
  return { lines, purgedJobIds: ids };
}

/** Deletes the jobs' File rows; the jobs stay, marked PurgedFiles. */
export async function purgeFiles(catalog: Catalog, jobs: readonly JobRow[]): Promise<PurgeResult> {
  const { done, lines } = running(jobs);
  const removed = await catalog.deleteFiles(done.map((j) => j.jobId));
  lines.push(`Purged ${removed} File records of ${done.length} Jobs from catalog.`);
  return { lines, purgedJobIds: done.map((j) => j.jobId) };
}

/** Every job with data on the volume, then the volume itself (PurgeJobsFromVolume, forced). */
export async function purgeVolume(catalog: Catalog, m: MediaRow): Promise<PurgeResult> {
  if (!isOneOf(m.volStatus, PURGEABLE)) {
    if (m.volStatus === 'Purged') return { lines: [`Volume "${m.volumeName}" is already purged.`], purgedJobIds: [], volumePurged: true };
    return {
      lines: [`Volume "${m.volumeName}" has VolStatus "${m.volStatus}" and cannot be purged.`,
        'The VolStatus must be: Append, Full, Used or Error to be purged.'],
      purgedJobIds: [], volumePurged: false,
    };
  }
  const jobs = await catalog.jobsOnMedia(m.mediaId);
  const lines: string[] = [];
  let purgedJobIds: number[] = [];
  if (jobs.length === 0) {
    lines.push(`No Jobs found for media ${m.volumeName} to purge from catalog.`);
  } else {
    lines.push(`Found ${jobs.length} Jobs for media "${m.volumeName}" in catalog.`);
    const out = await purgeJobs(catalog, jobs);
    lines.push(...out.lines);
    purgedJobIds = out.purgedJobIds;
    if (purgedJobIds.length > 0) {
      lines.push(`${purgedJobIds.length} Job${purgedJobIds.length === 1 ? '' : 's'} on Volume "${m.volumeName}" purged from catalog.`);
    }
  }
  const now = await catalog.getMedia(m.mediaId);
  const marked = now ? await markPurgedIfEmpty(catalog, now, { force: true }) : { purged: false, lines: [] };
  lines.push(...marked.lines);
  return { lines, purgedJobIds, volumePurged: marked.purged };
}
