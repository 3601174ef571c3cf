/**
 * Pruning: catalog rows whose retention has passed are deleted (Bareos's ua_prune.cc,
 * autoprune.cc). Never data on volumes, never a job still running, never a job a kept
 * job's restore chain needs (chains.ts). Jobs by Job Retention, Files by File
 * Retention (the Pool's when set, else the Client's), and a volume's jobs by its own
 * Volume Retention. Each returns the lines Bareos prints and what it did.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
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

/** Volumes looked at between two turns of the event loop (`prune volume all` may name 10,000). */
const VOLUMES_PER_TURN = 500;

async function deleteChosen(catalog: Catalog, chosen: readonly JobRow[]): Promise<{ lines: string[]; purgedVolumes: string[] }> {
  if (chosen.length === 0) return { lines: [], purgedVolumes: [] };
  const ids = chosen.map((j) => j.jobId);
  const out = await purgeEmptied(catalog, await catalog.deleteJobs(ids));
  return { lines: [`Purging the following ${ids.length} JobIds: ${ids.join(',')}`, ...out.lines], purgedVolumes: out.volumes };
}

/** Jobs (and their files and JobMedia) older than the Job Retention. */
export async function pruneJobs(catalog: Catalog, scope: PruneScope): Promise<PruneResult> {
  const candidates = await catalog.jobsOlderThan({ before: scope.now - scope.retention, clientId: scope.clientId, poolId: scope.poolId });
  const { prune, kept } = await choosePrunable(catalog, candidates);
  const done = await deleteChosen(catalog, prune);
  const lines = [...kept.map((k) => k.reason), ...done.lines];
  const who = scope.clientName ?? 'all clients';
  lines.push(prune.length > 0 ? `Pruned ${prune.length} ${plural(prune.length, 'Job', 'Jobs')} for client ${who} from catalog.` : 'No Jobs found to prune.');
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes: done.purgedVolumes };
}

/** File rows of jobs older than the File Retention; the jobs stay (their files can no longer be chosen). */
export async function pruneFiles(catalog: Catalog, scope: PruneScope): Promise<PruneResult> {
  const candidates = await catalog.jobsOlderThan({ before: scope.now - scope.retention, clientId: scope.clientId, poolId: scope.poolId, withFiles: true });
  const { prune, kept } = await choosePrunable(catalog, candidates);
  await catalog.deleteFiles(prune.map((j) => j.jobId));
  const who = scope.clientName ?? 'all clients';
  const lines = [...kept.map((k) => k.reason),
    prune.length > 0 ? `Pruned Files from ${prune.length} Jobs for client ${who} from catalog.` : 'No Files found to prune.'];
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes: [] };
}

/** Why a volume cannot be pruned now (archived, or not Full or Used), or null; a limit just reached counts. */
async function notPrunable(catalog: Catalog, m: MediaRow, now: number): Promise<string | null> {
  if (m.enabled === MEDIA_ARCHIVED) return `Cannot prune Volume "${m.volumeName}" because it is archived.`;
  const reached = limitReached(m, now);
  if (reached) await catalog.setMediaStatus(m.mediaId, reached.status);
  const status = reached?.status ?? m.volStatus;
  return isOneOf(status, PRUNABLE) ? null : `Pruning volume ${m.volumeName}: cannot prune as Volstatus is ${status} but needs to be Full or Used.`;
}

/**
 * Volumes' jobs older than each volume's own Volume Retention, wherever else they have
 * data. Only Full and Used volumes (or Append ones whose limit has just been reached),
 * never archived ones; a volume becomes Purged when nothing is left on it. Several
 * volumes (`prune volume all`) are pruned in one deletion, so ten thousand volumes
 * cost one pass over the catalog, not ten thousand.
 */
export async function pruneVolumes(catalog: Catalog, volumes: readonly MediaRow[], now: number): Promise<PruneResult & { emptied: string[] }> {
  const lines: string[] = [];
  const expiredOn = new Map<MediaRow, JobRow[]>();
  for (const [i, m] of volumes.entries()) {
    if (i > 0 && i % VOLUMES_PER_TURN === 0) await yieldToLoop();
    const refusal = await notPrunable(catalog, m, now);
    if (refusal) lines.push(refusal);
    else expiredOn.set(m, (await catalog.jobsOnMedia(m.mediaId)).filter((j) => (j.startTime ?? j.schedTime) < now - m.volRetention));
  }
  const candidates = new Map<number, JobRow>();
  for (const jobs of expiredOn.values()) for (const j of jobs) candidates.set(j.jobId, j);
  const { prune, kept } = await choosePrunable(catalog, [...candidates.values()]);
  const going = new Set(prune.map((j) => j.jobId));
  for (const [m, jobs] of expiredOn) {
    const n = jobs.filter((j) => going.has(j.jobId)).length;
    lines.push(`Pruning volume ${m.volumeName}: ${n} Jobs have expired and can be pruned.`);
    if (n > 0) lines.push(`Volume "${m.volumeName}" has Volume Retention of ${Math.floor(m.volRetention / 1000)} sec. and has ${n} jobs that will be pruned`);
  }
  lines.push(...kept.map((k) => k.reason));
  const done = await deleteChosen(catalog, prune);
  lines.push(...done.lines);
  const emptied: string[] = [];
  const purgedNow = new Set(done.purgedVolumes);
  for (const [i, m] of [...expiredOn.keys()].entries()) {
    if (i > 0 && i % VOLUMES_PER_TURN === 0) await yieldToLoop();
    // Those the deletion left empty are Purged already; the others may have been empty before.
    let purged = purgedNow.has(m.volumeName);
    if (!purged) {
      const after = await catalog.getMedia(m.mediaId);
      const out = after ? await markPurgedIfEmpty(catalog, after, { force: false }) : { purged: false, lines: [] };
      lines.push(...out.lines);
      purged = out.purged;
    }
    lines.push(purged ? `Volume "${m.volumeName}" contains no jobs after pruning.` : `Volume "${m.volumeName}" still contains jobs after pruning.`);
    if (purged) emptied.push(m.volumeName);
  }
  const purgedVolumes = [...new Set([...done.purgedVolumes, ...emptied])];
  return { lines, prunedJobIds: prune.map((j) => j.jobId), kept, purgedVolumes, emptied };
}

/** One volume (`prune volume=NAME`, the next-volume search); `emptied`: it ended Purged. */
export async function pruneVolume(catalog: Catalog, m: MediaRow, now: number): Promise<PruneResult & { emptied: boolean }> {
  const r = await pruneVolumes(catalog, [m], now);
  return { ...r, emptied: r.emptied.includes(m.volumeName) };
}
