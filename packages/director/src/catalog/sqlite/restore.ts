import type Database from 'better-sqlite3';
import { joinPath, prefixRange, splitPath } from '../paths.js';
import type { FileVersion, RestoreFileRow, RestoreFilter } from '../types.js';

/** Linux's PATH_MAX: no path the FD sends is longer. */
const PATH_MAX = 4096;

/**
 * The restore selection's reads, synchronous on one connection: the catalog's reader
 * thread (reader-worker.ts) runs them, and Catalog's methods of the same names hand
 * their answers over.
 */
export interface RestoreQueries {
  selectRestoreFiles(jobIds: readonly number[], filter?: RestoreFilter): RestoreFileRow[];
  fileVersions(jobIds: readonly number[], path: Buffer): FileVersion[];
}

interface RawChoice { jobId: number; fileIndex: number; pathId: number; name: Buffer; mediaId: number; addr: number; type: number }

/**
 * One selector per requested path, hex-encoded for json_each: an exact match on
 * (directory, name) for the entry itself, and a byte range on the directory column
 * for everything below it.
 */
function selectors(paths: readonly Buffer[]): { d: string; n: string; lo: string; hi: string }[] {
  return paths.map((p) => {
    let end = p.length;
    while (end > 1 && p[end - 1] === 0x2f) end--; // "/a/b/" means the tree "/a/b"
    const path = p.subarray(0, end);
    const { dir, name } = splitPath(path);
    const below = path.length === 1 && path[0] === 0x2f ? path : Buffer.concat([path, Buffer.from('/')]);
    const { lower, upper } = prefixRange(below);
    // `below` ends in "/", so an upper bound always exists; the fallback only keeps types honest.
    const hi = upper ?? Buffer.alloc(PATH_MAX + 1, 0xff);
    return { d: dir.toString('hex'), n: name.toString('hex'), lo: lower.toString('hex'), hi: hi.toString('hex') };
  });
}

/** The point-in-time selection of a restore: the newest version of each path. */
export function restoreQueries(db: Database.Database): RestoreQueries {
  const jobs = 'SELECT value FROM json_each(@jobs)';
  // SQLite takes the bare columns of a MAX() aggregate from the row holding the
  // maximum: one pass gives, per path, its newest version's coordinates. Directory
  // names and volume names are looked up once each, not joined into every row.
  const pick = (wanted: string): Database.Statement => db.prepare(`WITH Wanted AS (${wanted})
    SELECT MAX(F.JobId) AS jobId, F.FileIndex AS fileIndex, F.PathId AS pathId, F.Name AS name,
      F.MediaId AS mediaId, F.Addr AS addr, F.Type AS type
    FROM Wanted W JOIN File F ON F.FileId = W.FileId
    GROUP BY F.PathId, F.Name HAVING F.FileIndex > 0`);
  const dirOf = db.prepare('SELECT Path FROM Path WHERE PathId = ?').pluck();
  const volumeOf = db.prepare('SELECT VolumeName FROM Media WHERE MediaId = ?').pluck();

  const everything = pick(`SELECT FileId FROM File WHERE JobId IN (${jobs})`);
  // Selected paths drive the search: a byte range on the unique Path index finds the
  // directories below each one, then File(JobId, PathId, Name) finds their rows, so a
  // one-file restore never reads the whole job. Overlapping selections only repeat
  // rows, which the grouping folds together. CROSS JOIN fixes that order: the
  // planner cannot know the selection is small and would rather scan the job.
  const selected = pick(`SELECT F.FileId
      FROM json_each(@filter) S
      CROSS JOIN Path P ON P.Path >= unhex(S.value ->> 'lo')
        AND P.Path < unhex(S.value ->> 'hi')
      CROSS JOIN File F ON F.PathId = P.PathId AND F.JobId IN (${jobs})
    UNION ALL
    SELECT F.FileId
      FROM json_each(@filter) S
      CROSS JOIN Path P ON P.Path = unhex(S.value ->> 'd')
      CROSS JOIN File F ON F.PathId = P.PathId AND F.Name = unhex(S.value ->> 'n') AND F.JobId IN (${jobs})`);

  const versions = db.prepare(`SELECT F.JobId AS jobId, F.FileIndex AS fileIndex, F.Type AS type, F.Size AS size,
      F.MTime AS mtime, F.Digest AS digest, M.VolumeName AS volumeName
    FROM Path P JOIN File F ON F.PathId = P.PathId AND F.Name = @name AND F.JobId IN (${jobs})
    LEFT JOIN Media M ON M.MediaId = F.MediaId
    WHERE P.Path = @dir ORDER BY F.JobId`);

  return {
    fileVersions(jobIds, path) {
      const { dir, name } = splitPath(path);
      return versions.all({ jobs: JSON.stringify(jobIds), dir, name }) as FileVersion[];
    },
    selectRestoreFiles(jobIds, filter) {
      if (jobIds.length === 0) return [];
      const paths = filter?.paths;
      const raw = (paths === undefined
        ? everything.all({ jobs: JSON.stringify(jobIds) })
        : selected.all({ jobs: JSON.stringify(jobIds), filter: JSON.stringify(selectors(paths)) })) as RawChoice[];
      // Volumes in the order their first wanted file was written: a reader then moves
      // forward through a multi-volume chain instead of swapping back and forth.
      raw.sort((a, b) => a.jobId - b.jobId || a.fileIndex - b.fileIndex);
      const rank = new Map<number, number>();
      for (const r of raw) if (!rank.has(r.mediaId)) rank.set(r.mediaId, rank.size);
      const dirs = new Map<number, Buffer>();
      const volumes = new Map<number, string>();
      const rows: RestoreFileRow[] = raw.map((r) => {
        let dir = dirs.get(r.pathId);
        if (dir === undefined) dirs.set(r.pathId, (dir = dirOf.get(r.pathId) as Buffer));
        let volumeName = volumes.get(r.mediaId);
        if (volumeName === undefined) volumes.set(r.mediaId, (volumeName = volumeOf.get(r.mediaId) as string));
        return { jobId: r.jobId, fileIndex: r.fileIndex, path: joinPath(dir, r.name), mediaId: r.mediaId, volumeName, addr: r.addr, type: r.type };
      });
      const rankOf = (m: number): number => rank.get(m) ?? 0;
      return rows.sort((a, b) => rankOf(a.mediaId) - rankOf(b.mediaId)
        || a.jobId - b.jobId || a.fileIndex - b.fileIndex);
    },
  };
}
