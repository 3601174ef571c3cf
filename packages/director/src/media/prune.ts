/**
 * Pruning: catalog rows whose retention has passed are deleted (Bareos's ua_prune.cc,
 * autoprune.cc). Never data on volumes, never a job still running, never a job a kept
 * job's restore chain needs (chains.ts). Jobs by Job Retention, Files by File
 * Retention (the Pool's when set, else the Client's), and a volume's jobs by its own
 * Volume Retention. Each returns the lines Bareos prints and what it did.
 */
import type { Catalog, JobRow, MediaRow } from '../catalog/index.js';
import { MEDIA_ARCHIVED } from '../catalog/index.js';
import { choosePrunable, type KeptJob } from './chains.js';
import { limitReached } from './limits.js';
import { markPurgedIfEmpty, purgeEmptied } from './purged.js';
import { isOneOf, PRUNABLE } from './statuses.js';

export interface PruneResult {
  /** Bareos's lines, for the console or the job log. */
  lines: string[];
  prunedJobIds: number[];
  kept: KeptJob[];
  /** Volumes that ended Purged. */
  purgedVolumes: string[];
}

/** Whose jobs: a client's, or a pool's, or both (at least one). */
export interface PruneScope {
  clientId?: number;
  clientName?: string;
  poolId?: number;
  /** Milliseconds. */
  retention: number;
  now: number;
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

function deleteChosen(catalog: Catalog, chosen: readonly JobRow[]): { lines: string[]; purgedVolumes: string[] } {
  if (chosen.length === 0) return { lines: [], purgedVolumes: [] };
  const ids = chosen.map((j) => j.jobId);
  const lines = [`Purging the following ${ids.length} JobIds: ${ids.join(',')}`];
  const touched = catalog.deleteJobs(ids);
  const before = new Set(touched.filter((id) => catalog.getMedia(id)?.volStatus === 'Purged'));
  const out = purgeEmptied(catalog, touched);
  lines.push(...out.lines);
  const purgedVolumes = touched.filter((id) => !before.has(id) && catalog.getMedia(id)?.volStatus === 'Purged')
    .map((id) => catalog.getMedia(id)!.volumeName);
  return { lines, purgedVolumes };
}

/** Jobs (and their files and JobMedia) older than the Job Retention. */
export function pruneJobs(catalog: Catalog, scope: PruneScope): PruneResult {
  const candidates = catalog.jobsOlderThan({ before: scope.now - scope.retention, clientId: scope.clientId, poolId: scope.poolId });
  const { prune, kept } = choosePrunable(catalog, candidates);
  const done = deleteChosen(catalog, prune);
  const lines = [...kept.map((k) => k.reason), ...done.lines];
  const who = scope.clientName ?? 'all clients';
  lines.push(prune.length > 0 ? `Pruned ${prune.length} ${plural(prune.length, 'Job', 'Jobs')} for client ${who} from catalog.` : 'No Jobs found to prune.');
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes: done.purgedVolumes };
}

/** File rows of jobs older than the File Retention; the jobs stay (their files can no longer be chosen). */
export function pruneFiles(catalog: Catalog, scope: PruneScope): PruneResult {
  const candidates = catalog.jobsOlderThan({ before: scope.now - scope.retention, clientId: scope.clientId, poolId: scope.poolId, withFiles: true });
  const { prune, kept } = choosePrunable(catalog, candidates);
  catalog.deleteFiles(prune.map((j) => j.jobId));
  const who = scope.clientName ?? 'all clients';
  const lines = [...kept.map((k) => k.reason),
    prune.length > 0 ? `Pruned Files from ${prune.length} Jobs for client ${who} from catalog.` : 'No Files found to prune.'];
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes: [] };
}

/**
 * One volume's jobs older than its Volume Retention, wherever else they have data.
 * Only Full and Used volumes (or an Append one whose limit has just been reached), never
 * an archived one; the volume becomes Purged when nothing is left on it.
 */
export function pruneVolume(catalog: Catalog, m: MediaRow, now: number): PruneResult & { emptied: boolean } {
  const none = { prunedJobIds: [], kept: [], purgedVolumes: [], emptied: false };
  if (m.enabled === MEDIA_ARCHIVED) return { ...none, lines: [`Cannot prune Volume "${m.volumeName}" because it is archived.`] };
  const reached = limitReached(m, now);
  if (reached) catalog.setMediaStatus(m.mediaId, reached.status);
  const status = reached?.status ?? m.volStatus;
  if (!isOneOf(status, PRUNABLE)) {
    return { ...none, lines: [`Pruning volume ${m.volumeName}: cannot prune as Volstatus is ${status} but needs to be Full or Used.`] };
  }
  const expired = catalog.jobsOnMedia(m.mediaId).filter((j) => (j.startTime ?? j.schedTime) < now - m.volRetention);
  const { prune, kept } = choosePrunable(catalog, expired);
  const lines = [`Pruning volume ${m.volumeName}: ${prune.length} Jobs have expired and can be pruned.`, ...kept.map((k) => k.reason)];
  if (prune.length > 0) {
    lines.push(`Volume "${m.volumeName}" has Volume Retention of ${Math.floor(m.volRetention / 1000)} sec. and has ${prune.length} jobs that will be pruned`);
  }
  const done = deleteChosen(catalog, prune);
  lines.push(...done.lines);
  const after = catalog.getMedia(m.mediaId)!;
  const emptied = markPurgedIfEmpty(catalog, after, { force: false });
  lines.push(...emptied.lines);
  lines.push(emptied.purged ? `Volume "${m.volumeName}" contains no jobs after pruning.` : `Volume "${m.volumeName}" still contains jobs after pruning.`);
  const purgedVolumes = [...new Set([...done.purgedVolumes, ...(emptied.purged && after.volStatus !== 'Purged' ? [m.volumeName] : [])])];
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes, emptied: emptied.purged };
}
