import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Catalog } from '../catalog.js';
import type { JobRow } from '../types.js';
import { JOB_SELECT, toJobRow } from './jobs.js';

type PruneOps = Pick<Catalog, 'jobsOlderThan' | 'jobsOnMedia' | 'deleteJobs' | 'deleteFiles'>;

/** Job ids as one bound JSON array: one prepared statement whatever their number. */
const IDS = 'SELECT value FROM json_each(@ids)';

/**
 * File rows deleted by one statement. A million rows take SQLite about a second, so
 * they go in chunks with the event loop let run between: 10,000 take some 10 ms.
 */
export const FILE_CHUNK = 10_000;

/**
 * What pruning and purging need (Bareos's cats PurgeJobs / PurgeFiles): jobs old
 * enough for a retention, the jobs on a volume, and the deletion of catalog rows. Data
 * on volumes is never touched here.
 *
 * A job's File rows go in chunks, each its own transaction, after the job is marked
 * PurgedFiles: from that moment no restore, restore tree or Accurate state uses its
 * files (unpurgedJobs), so a Director stopped half-way leaves a job whose remaining rows
 * nothing reads, and the next prune of it (jobsOlderThan finds it again while rows are
 * left) or purge finishes the deletion.
 */
export function pruneOps(db: Database.Database): PruneOps {
  const stmt = {
    // withFiles: also a job marked PurgedFiles whose deletion was cut off, so it is finished.
    older: db.prepare(`${JOB_SELECT} WHERE COALESCE(J.StartTime, J.SchedTime) < @before
      AND (@clientId IS NULL OR J.ClientId = @clientId) AND (@poolId IS NULL OR J.PoolId = @poolId)
      AND (@withFiles = 0 OR J.PurgedFiles = 0 OR EXISTS (SELECT 1 FROM File F WHERE F.JobId = J.JobId))
      ORDER BY J.JobId`),
    onMedia: db.prepare(`${JOB_SELECT} WHERE J.JobId IN (SELECT JobId FROM JobMedia WHERE MediaId = ?)
      ORDER BY J.JobId`),
    mediaOf: db.prepare(`SELECT DISTINCT MediaId AS id FROM JobMedia WHERE JobId IN (${IDS}) ORDER BY MediaId`),
    unlinkPrior: db.prepare(`UPDATE Job SET PriorJobId = NULL WHERE PriorJobId IN (${IDS})`),
    fileChunk: db.prepare(`DELETE FROM File WHERE FileId IN
      (SELECT FileId FROM File WHERE JobId IN (${IDS}) LIMIT ${FILE_CHUNK})`),
    jobMedia: db.prepare(`DELETE FROM JobMedia WHERE JobId IN (${IDS})`),
    logs: db.prepare(`DELETE FROM Log WHERE JobId IN (${IDS})`),
    jobs: db.prepare(`DELETE FROM Job WHERE JobId IN (${IDS})`),
    purgedFiles: db.prepare(`UPDATE Job SET PurgedFiles = 1 WHERE JobId IN (${IDS})`),
  };

  /** Marks the jobs PurgedFiles, then deletes their File rows a chunk at a time; returns how many went. */
  async function purgeFiles(ids: string): Promise<number> {
    stmt.purgedFiles.run({ ids });
    let removed = 0;
    for (;;) {
      const n = stmt.fileChunk.run({ ids }).changes;
      removed += n;
      if (n < FILE_CHUNK) return removed;
      await yieldToLoop();
    }
  }

  // The rest of a job goes at once: its JobMedia and Log rows are few.
  const deleteRest = db.transaction((ids: string): number[] => {
    const media = (stmt.mediaOf.all({ ids }) as { id: number }[]).map((r) => r.id);
    stmt.unlinkPrior.run({ ids });
    while (stmt.fileChunk.run({ ids }).changes > 0); // none normally: the jobs are over
    stmt.jobMedia.run({ ids });
    stmt.logs.run({ ids });
    stmt.jobs.run({ ids });
    return media;
  });

  return {
    jobsOlderThan: async (q) => stmt.older.all({
      before: q.before, clientId: q.clientId ?? null, poolId: q.poolId ?? null, withFiles: q.withFiles === true ? 1 : 0,
    }).map((r) => toJobRow(r) as JobRow),
    jobsOnMedia: async (mediaId) => stmt.onMedia.all(mediaId).map((r) => toJobRow(r) as JobRow),
    async deleteJobs(jobIds) {
      if (jobIds.length === 0) return [];
      const ids = JSON.stringify(jobIds);
      await purgeFiles(ids);
      return deleteRest.immediate(ids);
    },
    deleteFiles: async (jobIds) => (jobIds.length === 0 ? 0 : purgeFiles(JSON.stringify(jobIds))),
  };
}

/**
 * Those of `jobIds` whose files may be read for a restore, its tree or an Accurate
 * state: not those marked PurgedFiles, whose File rows are gone or going (pruneOps).
 * Read inside the reader's transaction, so it agrees with the rows read after it.
 */
export function unpurgedJobs(db: Database.Database): (jobIds: readonly number[]) => number[] {
  const purged = db.prepare(`SELECT JobId FROM Job WHERE PurgedFiles = 1 AND JobId IN (${IDS})`).pluck();
  return (jobIds) => {
    if (jobIds.length === 0) return [];
    const gone = new Set(purged.all({ ids: JSON.stringify(jobIds) }) as number[]);
    return gone.size === 0 ? [...jobIds] : jobIds.filter((id) => !gone.has(id));
  };
}
