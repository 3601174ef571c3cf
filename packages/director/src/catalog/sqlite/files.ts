import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog.js';
import { joinPath, splitPath } from '../paths.js';
import type { FileInput, FileRow, JobMediaInput, JobMediaRow } from '../types.js';

type FileOps = Pick<Catalog, 'insertFiles' | 'listFiles' | 'findFile' | 'filePath' | 'countFiles' | 'keepFilesUpTo'
  | 'addJobMedia' | 'listJobMedia'>;

/** Directories stay hot while a backup walks a tree; bounded so a huge job cannot grow it forever. */
const PATH_CACHE_LIMIT = 100_000;
/** Rows fetched per page by a file listing; each page is a finished statement. */
const PAGE = 10_000;

interface RawFile {
  fileId: number; pathId: number; dir: Buffer; name: Buffer; fileIndex: number; mediaId: number | null;
  addr: number; type: number; size: number; mtime: number; attributes: Buffer;
  digest: Buffer | null; digestAlgorithm: number;
}

const FILE_INSERT = `INSERT INTO File (JobId, PathId, Name, FileIndex, MediaId, Addr, Type,
  Size, MTime, Attributes, Digest, DigestAlgorithm) VALUES`;
const FILE_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** 12 parameters a row: 64 rows stay well under SQLite's 32,766 parameters a statement. */
const ROWS_PER_INSERT = 64;

/** File rows (the insert hot path), their directory names, and JobMedia. */
export function fileOps(db: Database.Database): FileOps {
  const stmt = {
    pathGet: db.prepare('SELECT PathId FROM Path WHERE Path = ?').pluck(),
    pathAdd: db.prepare('INSERT INTO Path (Path) VALUES (?)'),
    jobExists: db.prepare('SELECT 1 FROM Job WHERE JobId = ?').pluck(),
    mediaExists: db.prepare('SELECT 1 FROM Media WHERE MediaId = ?').pluck(),
    fileAdd: db.prepare(`${FILE_INSERT} ${FILE_VALUES}`),
    // Many rows per statement: the insert hot path is bound by calls into SQLite.
    fileAddMany: db.prepare(`${FILE_INSERT} ${Array(ROWS_PER_INSERT).fill(FILE_VALUES).join(', ')}`),
    count: db.prepare('SELECT COUNT(*) FROM File WHERE JobId = ?').pluck(),
    find: db.prepare(`SELECT F.FileId AS fileId, F.PathId AS pathId, P.Path AS dir, F.Name AS name,
        F.FileIndex AS fileIndex, F.MediaId AS mediaId, F.Addr AS addr, F.Type AS type,
        F.Size AS size, F.MTime AS mtime, F.Attributes AS attributes, F.Digest AS digest,
        F.DigestAlgorithm AS digestAlgorithm
      FROM Path P JOIN File F ON F.JobId = @jobId AND F.PathId = P.PathId AND F.Name = @name
      WHERE P.Path = @dir ORDER BY F.FileId DESC LIMIT 1`),
    // FileIndex 0 rows (deleted, Accurate) never match: a lost file has an index >= 1.
    pathByIndex: db.prepare(`SELECT P.Path AS dir, F.Name AS name FROM File F JOIN Path P ON P.PathId = F.PathId
      WHERE F.JobId = ? AND F.FileIndex = ? ORDER BY F.FileId DESC LIMIT 1`),
    dropAfter: db.prepare('DELETE FROM File WHERE JobId = ? AND FileIndex > ?'),
    jmReplace: db.prepare('DELETE FROM JobMedia WHERE JobId = @jobId AND MediaId = @mediaId AND VolIndex = @volIndex'),
    jmAdd: db.prepare(`INSERT INTO JobMedia (JobId, MediaId, FirstIndex, LastIndex, StartAddr,
      EndAddr, VolIndex) VALUES (@jobId, @mediaId, @firstIndex, @lastIndex, @startAddr, @endAddr, @volIndex)`),
    jmList: db.prepare(`SELECT JM.JobMediaId AS jobMediaId, JM.JobId AS jobId, JM.MediaId AS mediaId,
        M.VolumeName AS volumeName, M.MediaType AS mediaType, JM.FirstIndex AS firstIndex, JM.LastIndex AS lastIndex,
        JM.StartAddr AS startAddr, JM.EndAddr AS endAddr, JM.VolIndex AS volIndex
      FROM JobMedia JM JOIN Media M ON M.MediaId = JM.MediaId
      WHERE JM.JobId = ? ORDER BY JM.VolIndex, JM.JobMediaId`),
  };

  const addJobMedia = db.transaction((row: JobMediaInput): number => {
    stmt.jmReplace.run(row);
    return Number(stmt.jmAdd.run(row).lastInsertRowid);
  });

  // Keyed by the path's bytes read as latin1, a one-to-one mapping of bytes to a string.
  const pathCache = new Map<string, number>();

  const pathIdOf = (dir: Buffer, added: string[]): number => {
    const key = dir.toString('latin1');
    const cached = pathCache.get(key);
    if (cached !== undefined) return cached;
    const found = stmt.pathGet.get(dir) as number | undefined;
    const id = found ?? Number(stmt.pathAdd.run(dir).lastInsertRowid);
    if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
    pathCache.set(key, id);
    if (found === undefined) added.push(key);
    return id;
  };

  const insert = db.transaction((jobId: number, rows: readonly FileInput[], added: string[]) => {
    if (stmt.jobExists.get(jobId) === undefined) {
      throw new BurrowError('NOT_FOUND', `no job with JobId ${jobId} in the catalog`);
    }
    // Foreign keys are off for the batch (see insertFiles): check the few media ids once.
    for (const mediaId of new Set(rows.map((r) => r.mediaId))) {
      if (mediaId !== null && stmt.mediaExists.get(mediaId) === undefined) {
        throw new BurrowError('CATALOG', `no volume with MediaId ${mediaId} in the catalog`);
      }
    }
    // A backup sends a directory's files together: reuse the previous row's PathId
    // without building a cache key when the directory is the same.
    let lastDir: Buffer | undefined;
    let lastId = 0;
    let params: unknown[] = [];
    for (const r of rows) {
      const { dir, name } = splitPath(r.path);
      if (lastDir === undefined || !lastDir.equals(dir)) {
        lastId = pathIdOf(dir, added);
        lastDir = dir;
      }
      params.push(jobId, lastId, name, r.fileIndex, r.mediaId, r.addr, r.type,
        r.size, r.mtime, r.attributes, r.digest ?? null, r.digestAlgorithm ?? 0);
      if (params.length === ROWS_PER_INSERT * 12) {
        stmt.fileAddMany.run(params);
        params = [];
      }
    }
    for (let i = 0; i < params.length; i += 12) stmt.fileAdd.run(params.slice(i, i + 12));
  });

  const listing = fileListing(db);

  return {
    // Asynchronous by the interface; here it runs when it is called.
    async insertFiles(jobId, rows) {
      const added: string[] = [];
      // The rows' references are checked once per batch (the job, the few media ids)
      // and path ids come from the Path table itself, so the per-row foreign-key
      // lookups — three index searches a row — are skipped: a third of the insert time.
      db.pragma('foreign_keys = OFF');
      try {
        insert.immediate(jobId, rows, added);
      } catch (err) {
        // The rolled-back transaction took these Path rows with it: forget their ids.
        for (const key of added) pathCache.delete(key);
        throw err;
      } finally {
        db.pragma('foreign_keys = ON');
      }
    },
    listFiles: async (jobId) => [...listing.pages(jobId)].flat(),
    findFile: async (jobId, path) => {
      const { dir, name } = splitPath(path);
      const r = stmt.find.get({ jobId, dir, name }) as RawFile | undefined;
      return r && {
        jobId, fileIndex: r.fileIndex, path: joinPath(r.dir, r.name), mediaId: r.mediaId, addr: r.addr, type: r.type,
        size: r.size, mtime: r.mtime, attributes: r.attributes, digest: r.digest, digestAlgorithm: r.digestAlgorithm,
      };
    },
    filePath: async (jobId, fileIndex) => {
      const r = stmt.pathByIndex.get(jobId, fileIndex) as { dir: Buffer; name: Buffer } | undefined;
      return r && joinPath(r.dir, r.name);
    },
    countFiles: async (jobId) => stmt.count.get(jobId) as number,
    addJobMedia: async (row) => addJobMedia.immediate(row),
    async keepFilesUpTo(jobId, lastIndex) {
      stmt.dropAfter.run(jobId, lastIndex);
      return stmt.count.get(jobId) as number;
    },
    listJobMedia: async (jobId) => stmt.jmList.all(jobId) as JobMediaRow[],
  };
}

/**
 * A job's file rows in pages of PAGE, grouped by directory (Catalog.listFiles, and
 * Catalog.iterateFiles on the reader thread). Each page is a finished statement.
 */
export function fileListing(db: Database.Database): { pages(jobId: number): IterableIterator<FileRow[]> } {
  // Keyset pagination in the order of the File(JobId, PathId, Name) index (whose last,
  // hidden column is FileId), so each page is an index range scan, not a sort.
  const page = db.prepare(`SELECT F.FileId AS fileId, F.PathId AS pathId, P.Path AS dir, F.Name AS name,
      F.FileIndex AS fileIndex, F.MediaId AS mediaId, F.Addr AS addr, F.Type AS type,
      F.Size AS size, F.MTime AS mtime, F.Attributes AS attributes, F.Digest AS digest,
      F.DigestAlgorithm AS digestAlgorithm
    FROM File F JOIN Path P ON P.PathId = F.PathId
    WHERE F.JobId = @jobId AND (F.PathId, F.Name, F.FileId) > (@pathId, @name, @fileId)
    ORDER BY F.PathId, F.Name, F.FileId LIMIT @limit`);
  function* pages(jobId: number): IterableIterator<FileRow[]> {
    let after: { pathId: number; name: Buffer; fileId: number } = { pathId: 0, name: Buffer.alloc(0), fileId: 0 };
    for (;;) {
      let raw: RawFile[];
      try {
        raw = page.all({ jobId, ...after, limit: PAGE }) as RawFile[];
      } catch (err) {
        // Runs lazily, outside the wrapper that converts errors of the other operations.
        throw new BurrowError('CATALOG', `listing the files of job ${jobId} failed: ${String(err)}`, { cause: err });
      }
      yield raw.map((r) => ({
        jobId, fileIndex: r.fileIndex, path: joinPath(r.dir, r.name), mediaId: r.mediaId,
        addr: r.addr, type: r.type, size: r.size, mtime: r.mtime, attributes: r.attributes,
        digest: r.digest, digestAlgorithm: r.digestAlgorithm,
      }));
      const last = raw[raw.length - 1];
      if (last === undefined || raw.length < PAGE) return;
      after = { pathId: last.pathId, name: last.name, fileId: last.fileId };
    }
  }
  return { pages };
}
