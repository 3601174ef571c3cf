/**
 * Pruning at the end of a backup (Bareos's DoAutoprune, autoprune.cc): the client's
 * jobs by Job Retention and its files by File Retention, when the Client's AutoPrune
 * is on or the Job asks (Prune Jobs / Prune Files). The Pool's File and Job Retention
 * win over the Client's when set. Volumes are never pruned here: that happens when a
 * job finds no volume (next-volume.ts), as in Bareos.
 */
import type { Catalog, PoolRow } from '../catalog/index.js';
import { pruneFiles, pruneJobs } from './prune.js';

/** What a backup's end prunes, from its Job, Client and Pool resources (durations in ms). */
export interface AutopruneSettings {
  clientName: string;
  clientAutoPrune: boolean;
  clientJobRetention: number;
  clientFileRetention: number;
  /** The Job's Prune Jobs / Prune Files. */
  pruneJobs: boolean;
  pruneFiles: boolean;
}

export async function autoprune(catalog: Catalog, s: AutopruneSettings, pool: PoolRow | undefined, now: number): Promise<string[]> {
  const client = await catalog.getClient(s.clientName);
  if (!client) return [];
  const lines: string[] = [];
  const scope = { clientId: client.clientId, clientName: client.name, now };
  if (s.clientAutoPrune || s.pruneJobs) {
    const retention = pool && pool.jobRetention > 0 ? pool.jobRetention : s.clientJobRetention;
    lines.push(...(await pruneJobs(catalog, { ...scope, retention })).lines.filter((l) => l !== 'No Jobs found to prune.'));
  }
  if (s.clientAutoPrune || s.pruneFiles) {
    const retention = pool && pool.fileRetention > 0 ? pool.fileRetention : s.clientFileRetention;
    lines.push(...(await pruneFiles(catalog, { ...scope, retention })).lines.filter((l) => l !== 'No Files found to prune.'));
  }
  return lines;
}
