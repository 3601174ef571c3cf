import type Database from 'better-sqlite3';
import type { Catalog, StateSnapshot } from '../catalog.js';
import { joinPath, prefixRange, splitPath } from '../paths.js';
import type { RestoreFileRow, RestoreFilter } from '../types.js';

/** Linux's PATH_MAX: no path the FD sends is longer. */
const PATH_MAX = 4096;

type RestoreOps = Pick<Catalog, 'selectRestoreFiles' | 'snapshotCurrentState'>;

interface RawChoice { jobId: number; fileIndex: number; dir: Buffer; name: Buffer; mediaId: number; volumeName: string; addr: number }

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
export function restoreOps(db: Database.Database): RestoreOps {
  const jobs = 'SELECT value FROM json_each(@jobs)';
  const pick = (wanted: string): Database.Statement => db.prepare(`WITH Wanted AS (${wanted}),
    Latest AS (SELECT PathId, Name, MAX(JobId) AS JobId FROM Wanted GROUP BY PathId, Name)
    SELECT F.JobId AS jobId, F.FileIndex AS fileIndex, P.Path AS dir, F.Name AS name,
      F.MediaId AS mediaId, M.VolumeName AS volumeName, F.Addr AS addr
    FROM Latest L
    JOIN File F ON F.JobId = L.JobId AND F.PathId = L.PathId AND F.Name = L.Name
    JOIN Path P ON P.PathId = F.PathId
    JOIN Media M ON M.MediaId = F.MediaId
    WHERE F.FileIndex > 0
    ORDER BY F.JobId, F.FileIndex`);

  const everything = pick(`SELECT PathId, Name, JobId FROM File WHERE JobId IN (${jobs})`);
  // Selected paths drive the search: a byte range on the unique Path index finds the
  // directories below each one, then File(JobId, PathId, Name) finds their rows, so a
  // one-file restore never reads the whole job. Overlapping selections only repeat
  // rows, which the grouping folds together. CROSS JOIN fixes that order: the
  // planner cannot know the selection is small and would rather scan the job.
  const selected = pick(`SELECT F.PathId, F.Name, F.JobId
      FROM json_each(@filter) S
      CROSS JOIN Path P ON P.Path >= unhex(S.value ->> 'lo')
        AND P.Path < unhex(S.value ->> 'hi')
      CROSS JOIN File F ON F.PathId = P.PathId AND F.JobId IN (${jobs})
    UNION ALL
    SELECT F.PathId, F.Name, F.JobId
      FROM json_each(@filter) S
      CROSS JOIN Path P ON P.Path = unhex(S.value ->> 'd')
      CROSS JOIN File F ON F.PathId = P.PathId AND F.Name = unhex(S.value ->> 'n') AND F.JobId IN (${jobs})`);

  // Accurate mode's view of a chain, made once into a temporary table so that it can
  // be read in pages (other catalog work goes on meanwhile) and its n-th entry found
  // again when the File daemon names the entries it did not see (deleted files).
  let snapshots = 0;
  const snapshot = (jobIds: readonly number[]): StateSnapshot => {
    const table = `temp.accurate_${++snapshots}`;
    db.prepare(`CREATE TABLE ${table} (Seq INTEGER PRIMARY KEY, Attributes BLOB NOT NULL)`).run();
    db.prepare(`INSERT INTO ${table} (Attributes)
      WITH Latest AS (SELECT PathId, Name, MAX(JobId) AS JobId FROM File WHERE JobId IN (${jobs}) GROUP BY PathId, Name)
      SELECT F.Attributes FROM Latest L
      JOIN File F ON F.JobId = L.JobId AND F.PathId = L.PathId AND F.Name = L.Name
      WHERE F.FileIndex > 0 ORDER BY F.PathId, F.Name`).run({ jobs: JSON.stringify(jobIds) });
    const count = Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
    const page = db.prepare(`SELECT Seq AS seq, Attributes AS attributes FROM ${table} WHERE Seq > ? ORDER BY Seq LIMIT ?`);
    const one = db.prepare(`SELECT Attributes FROM ${table} WHERE Seq = ?`).pluck();
    return {
      count,
      page: (afterSeq, limit) => page.all(afterSeq, limit) as Array<{ seq: number; attributes: Buffer }>,
      get: (seq) => one.get(seq) as Buffer | undefined,
      drop: () => { db.prepare(`DROP TABLE IF EXISTS ${table}`).run(); },
    };
  };

  return {
    snapshotCurrentState: (jobIds) => snapshot(jobIds),
    selectRestoreFiles(jobIds, filter?: RestoreFilter) {
      if (jobIds.length === 0) return [];
      const paths = filter?.paths;
      const raw = (paths === undefined
        ? everything.all({ jobs: JSON.stringify(jobIds) })
        : selected.all({ jobs: JSON.stringify(jobIds), filter: JSON.stringify(selectors(paths)) })) as RawChoice[];
      // Volumes in the order their first wanted file was written: a reader then moves
      // forward through a multi-volume chain instead of swapping back and forth.
      const rank = new Map<number, number>();
      for (const r of raw) if (!rank.has(r.mediaId)) rank.set(r.mediaId, rank.size);
      const rows: RestoreFileRow[] = raw.map((r) => ({
        jobId: r.jobId, fileIndex: r.fileIndex, path: joinPath(r.dir, r.name),
        mediaId: r.mediaId, volumeName: r.volumeName, addr: r.addr,
      }));
      const rankOf = (m: number): number => rank.get(m) ?? 0;
      return rows.sort((a, b) => rankOf(a.mediaId) - rankOf(b.mediaId)
        || a.jobId - b.jobId || a.fileIndex - b.fileIndex);
    },
  };
}
