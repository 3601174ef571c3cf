import type Database from 'better-sqlite3';
import type { Catalog, StateEntry, StateSnapshot } from '../catalog.js';
import { joinPath, prefixRange, splitPath } from '../paths.js';
import { burrow } from '@burrow/common/proto/index';
import type { FileVersion, RestoreFileRow, RestoreFilter, TreePage } from '../types.js';
import { TREE_PAGE, TreePageBuilder, unpackTreePage } from '../tree-page.js';

/** Linux's PATH_MAX: no path the FD sends is longer. */
const PATH_MAX = 4096;

type RestoreOps = Pick<Catalog, 'selectRestoreFiles' | 'snapshotCurrentState' | 'restoreTreePages' | 'fileVersions'>;

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
export function restoreOps(db: Database.Database): RestoreOps {
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

  // Accurate mode's view of a chain, made once into a temporary table so that it can
  // be read in pages (other catalog work goes on meanwhile) and its n-th entry found
  // again when the File daemon names the entries it did not see (deleted files).
  let snapshots = 0;
  // With digests (accurate= 5 or 1), the two digest columns come along; otherwise they
  // stay NULL and the pages carry none, so the usual state costs no more than before.
  const snapshot = (jobIds: readonly number[], options?: { readonly digests?: boolean }): StateSnapshot => {
    const table = `temp.accurate_${++snapshots}`;
    const digests = options?.digests === true;
    db.prepare(`CREATE TABLE ${table} (Seq INTEGER PRIMARY KEY, Attributes BLOB NOT NULL, Digest BLOB, DigestAlgorithm INTEGER)`).run();
    db.prepare(`INSERT INTO ${table} (Attributes, Digest, DigestAlgorithm)
      WITH Latest AS (SELECT PathId, Name, MAX(JobId) AS JobId FROM File WHERE JobId IN (${jobs}) GROUP BY PathId, Name)
      SELECT F.Attributes, ${digests ? 'F.Digest, F.DigestAlgorithm' : 'NULL, NULL'} FROM Latest L
      JOIN File F ON F.JobId = L.JobId AND F.PathId = L.PathId AND F.Name = L.Name
      WHERE F.FileIndex > 0 ORDER BY F.PathId, F.Name`).run({ jobs: JSON.stringify(jobIds) });
    const count = Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
    const page = db.prepare(`SELECT Seq AS seq, Attributes AS attributes, Digest AS digest, DigestAlgorithm AS algorithm
      FROM ${table} WHERE Seq > ? ORDER BY Seq LIMIT ?`);
    const one = db.prepare(`SELECT Attributes FROM ${table} WHERE Seq = ?`).pluck();
    type Row = { seq: number; attributes: Buffer; digest: Buffer | null; algorithm: number | null };
    const entry = (r: Row): StateEntry => (digests
      ? { seq: r.seq, attributes: r.attributes, digest: r.digest !== null && r.algorithm ? { algorithm: r.algorithm, value: r.digest } : null }
      : { seq: r.seq, attributes: r.attributes });
    return {
      count,
      page: (afterSeq, limit) => (page.all(afterSeq, limit) as Row[]).map(entry),
      get: (seq) => one.get(seq) as Buffer | undefined,
      drop: () => { db.prepare(`DROP TABLE IF EXISTS ${table}`).run(); },
    };
  };

  const versions = db.prepare(`SELECT F.JobId AS jobId, F.FileIndex AS fileIndex, F.Type AS type, F.Size AS size,
      F.MTime AS mtime, F.Digest AS digest, M.VolumeName AS volumeName
    FROM Path P JOIN File F ON F.PathId = P.PathId AND F.Name = @name AND F.JobId IN (${jobs})
    LEFT JOIN Media M ON M.MediaId = F.MediaId
    WHERE P.Path = @dir ORDER BY F.JobId`);

  // As `everything`, without the join back to File: the tree wants no other columns.
  const newestSql = (extra: string): string => `SELECT MAX(F.JobId) AS jobId, F.FileIndex AS fileIndex, F.PathId AS pathId, F.Name AS name,
      F.MediaId AS mediaId, F.Addr AS addr, F.Type AS type, F.Size AS size, F.MTime AS mtime${extra}
    FROM File F WHERE F.JobId IN (${jobs}) GROUP BY F.PathId, F.Name HAVING F.FileIndex > 0`;
  const newest = db.prepare(newestSql('')).raw();
  const newestWithAttributes = db.prepare(newestSql(', F.Attributes AS attributes')).raw();
  // One job names each path once: no grouping, just its rows, read in pages.
  const ofOneJobWithAttributes = db.prepare(`SELECT F.JobId, F.FileIndex, F.PathId, F.Name, F.MediaId, F.Addr, F.Type, F.Size, F.MTime, F.Attributes
    FROM File F WHERE F.JobId = @job AND F.FileIndex > 0 AND (F.PathId, F.Name) > (@pathId, @name)
    ORDER BY F.PathId, F.Name LIMIT ${TREE_PAGE}`).raw();
  type NewestRow = [number, number, number, Buffer, number | null, number, number, number, number, Buffer?];
  // The directories first: while an iterating statement is open, the connection runs no other.
  const dirsOfJobs = db.prepare(`SELECT PathId, Path FROM Path WHERE PathId IN
    (SELECT DISTINCT PathId FROM File WHERE JobId IN (${jobs}))`).raw();
  // A job's rows lie in one FileId range (inserted as the job ran; other jobs' rows may
  // be mixed in). Read in that order, the table is read front to back, and SQLite packs
  // each page into one text and one blob (tree-page.ts says why). Names are bytes
  // without "/" or NUL, so concatenating them as text leaves them intact. (printf
  // formats the numbers faster than concat_ws or ||.)
  const rangeOfJob = db.prepare('SELECT MIN(FileId), MAX(FileId) FROM File WHERE JobId = ?').raw();
  const packedPageOfJob = db.prepare(`SELECT MAX(FileId), COUNT(*),
      group_concat(printf('%d,%d,%d,%d,%d,%d,%d,%d', FileIndex, PathId, Type, Size, MTime, ifnull(MediaId, 0), Addr, length(Name)), ','),
      CAST(group_concat(Name, '') AS BLOB)
    FROM (SELECT FileId, FileIndex, PathId, Type, Size, MTime, MediaId, Addr, Name FROM File NOT INDEXED
      WHERE FileId > @after AND FileId <= @last AND JobId = @job AND FileIndex > 0 ORDER BY FileId LIMIT ${TREE_PAGE})`).raw();

  function* packedPagesOfJob(job: number, dirs: ReadonlyMap<number, Buffer>): IterableIterator<TreePage> {
    const [first, last] = rangeOfJob.get(job) as [number | null, number | null];
    if (first === null || last === null) return;
    for (let after = first - 1; ;) {
      const [end, count, numbers, names] = packedPageOfJob.get({ job, after, last }) as [number | null, number, string | null, Buffer | null];
      if (count === 0 || end === null) return;
      yield unpackTreePage(count, job, numbers ?? '', names ?? Buffer.alloc(0), dirs);
      if (count < TREE_PAGE) return;
      after = end;
    }
  }

  function* pagesOfOneJob(job: number): IterableIterator<NewestRow> {
    let after: { pathId: number; name: Buffer } = { pathId: 0, name: Buffer.alloc(0) };
    for (;;) {
      const page = ofOneJobWithAttributes.all({ job, ...after }) as NewestRow[];
      yield* page;
      const last = page[page.length - 1];
      if (!last || page.length < TREE_PAGE) return;
      after = { pathId: last[2], name: last[3] };
    }
  }

  function* restoreTreePages(jobIds: readonly number[], opts?: { owners?: boolean }): IterableIterator<TreePage> {
    if (jobIds.length === 0) return;
    const params = { jobs: JSON.stringify(jobIds) };
    const dirs = new Map((dirsOfJobs.all(params) as Array<[number, Buffer]>));
    const owners = opts?.owners === true;
    const one = jobIds.length === 1 ? jobIds[0] as number : undefined;
    if (one !== undefined && !owners) {
      yield* packedPagesOfJob(one, dirs);
      return;
    }
    const rows = one !== undefined
      ? pagesOfOneJob(one)
      : (owners ? newestWithAttributes : newest).iterate(params) as IterableIterator<NewestRow>;
    let page = new TreePageBuilder(owners);
    for (const [jobId, fileIndex, pathId, name, mediaId, addr, type, size, mtime, attributes] of rows) {
      const uid = attributes ? Number(burrow.FileAttributes.decode(attributes).uid) : undefined;
      page.add({ pathId, jobId, fileIndex, mediaId: mediaId ?? 0, addr, type, size, mtime, name, uid });
      if (page.full) {
        yield page.finish(dirs);
        page = new TreePageBuilder(owners);
      }
    }
    if (page.count > 0) yield page.finish(dirs);
  }

  return {
    restoreTreePages,
    fileVersions(jobIds, path) {
      const { dir, name } = splitPath(path);
      return versions.all({ jobs: JSON.stringify(jobIds), dir, name }) as FileVersion[];
    },
    snapshotCurrentState: (jobIds, options) => snapshot(jobIds, options),
    selectRestoreFiles(jobIds, filter?: RestoreFilter) {
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
