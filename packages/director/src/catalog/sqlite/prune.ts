import type Database from 'better-sqlite3';
import type { Catalog } from '../catalog.js';
import type { JobRow } from '../types.js';
import { JOB_SELECT, toJobRow } from './jobs.js';

type PruneOps = Pick<Catalog, 'jobsOlderThan' | 'jobsOnMedia' | 'deleteJobs' | 'deleteFiles'>;

/** Job ids as one bound JSON array: one prepared statement whatever their number. */
const IDS = 'SELECT value FROM json_each(@ids)';

/**
 * What pruning and purging need (Bareos's cats PurgeJobs / PurgeFiles): jobs old
 * enough for a retention, the jobs on a volume, and the deletion of catalog rows. Data
 * on volumes is never touched here.
 */
export function pruneOps(db: Database.Database): PruneOps {
  const stmt = {
    older: db.prepare(`${JOB_SELECT} WHERE COALESCE(J.StartTime, J.SchedTime) < @before
      AND (@clientId IS NULL OR J.ClientId = @clientId) AND (@poolId IS NULL OR J.PoolId = @poolId)
      AND (@withFiles = 0 OR J.PurgedFiles = 0) ORDER BY J.JobId`),
    onMedia: db.prepare(`${JOB_SELECT} WHERE J.JobId IN (SELECT JobId FROM JobMedia WHERE MediaId = ?)
      ORDER BY J.JobId`),
    mediaOf: db.prepare(`SELECT DISTINCT MediaId AS id FROM JobMedia WHERE JobId IN (${IDS}) ORDER BY MediaId`),
    unlinkPrior: db.prepare(`UPDATE Job SET PriorJobId = NULL WHERE PriorJobId IN (${IDS})`),
    files: db.prepare(`DELETE FROM File WHERE JobId IN (${IDS})`),
    jobMedia: db.prepare(`DELETE FROM JobMedia WHERE JobId IN (${IDS})`),
    logs: db.prepare(`DELETE FROM Log WHERE JobId IN (${IDS})`),
    jobs: db.prepare(`DELETE FROM Job WHERE JobId IN (${IDS})`),
    purgedFiles: db.prepare(`UPDATE Job SET PurgedFiles = 1 WHERE JobId IN (${IDS})`),
  };

  const deleteJobs = db.transaction((ids: string): number[] => {
    const media = (stmt.mediaOf.all({ ids }) as { id: number }[]).map((r) => r.id);
    stmt.unlinkPrior.run({ ids });
    stmt.files.run({ ids });
    stmt.jobMedia.run({ ids });
    stmt.logs.run({ ids });
    stmt.jobs.run({ ids });
    return media;
  });
  const deleteFiles = db.transaction((ids: string): number => {
    const removed = stmt.files.run({ ids }).changes;
    stmt.purgedFiles.run({ ids });
    return removed;
  });

  return {
    jobsOlderThan: (q) => stmt.older.all({
      before: q.before, clientId: q.clientId ?? null, poolId: q.poolId ?? null, withFiles: q.withFiles === true ? 1 : 0,
    }).map((r) => toJobRow(r) as JobRow),
    jobsOnMedia: (mediaId) => stmt.onMedia.all(mediaId).map((r) => toJobRow(r) as JobRow),
    deleteJobs: (jobIds) => (jobIds.length === 0 ? [] : deleteJobs.immediate(JSON.stringify(jobIds))),
    deleteFiles: (jobIds) => (jobIds.length === 0 ? 0 : deleteFiles.immediate(JSON.stringify(jobIds))),
  };
}
