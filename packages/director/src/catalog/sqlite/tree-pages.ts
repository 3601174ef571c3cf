/**
 * The restore tree's pages (Catalog.restoreTreePages), read synchronously on one
 * connection: the catalog's reader thread (reader-worker.ts) runs this on its own
 * read-only connection, so that a million files are found off the Director's event loop.
 */
import type Database from 'better-sqlite3';
// The owner is read off the attributes' bytes: the generated protobuf code would cost
// this thread about 5 MiB (attribute-columns.ts).
import { attributeColumns } from '@burrow/common/proto/attribute-columns';
import type { TreePage } from '../types.js';
import { TREE_PAGE, TreePageBuilder, unpackTreePage } from '../tree-page.js';

export interface TreePageQueries {
  /**
   * For each path among `jobIds`, its newest version (as Catalog.restoreTreePages),
   * in pages. Consume it in one synchronous pass, or keep the connection for it alone
   * until it ends: while an iterating statement is open the connection runs no other.
   */
  restoreTreePages(jobIds: readonly number[], opts?: { owners?: boolean }): IterableIterator<TreePage>;
}

export function treePageQueries(db: Database.Database): TreePageQueries {
  const jobs = 'SELECT value FROM json_each(@jobs)';
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
  // each page into two blobs, its numbers as text and its names (tree-page.ts says why). Names are bytes
  // without "/" or NUL, so concatenating them as text leaves them intact. (printf
  // formats the numbers faster than concat_ws or ||.)
  const rangeOfJob = db.prepare('SELECT MIN(FileId), MAX(FileId) FROM File WHERE JobId = ?').raw();
  const packedPageOfJob = db.prepare(`SELECT MAX(FileId), COUNT(*),
      CAST(group_concat(printf('%d,%d,%d,%d,%d,%d,%d,%d', FileIndex, PathId, Type, Size, MTime, ifnull(MediaId, 0), Addr, length(Name)), ',') AS BLOB),
      CAST(group_concat(Name, '') AS BLOB)
    FROM (SELECT FileId, FileIndex, PathId, Type, Size, MTime, MediaId, Addr, Name FROM File NOT INDEXED
      WHERE FileId > @after AND FileId <= @last AND JobId = @job AND FileIndex > 0 ORDER BY FileId LIMIT ${TREE_PAGE})`).raw();

  function* packedPagesOfJob(job: number, dirs: ReadonlyMap<number, Buffer>): IterableIterator<TreePage> {
    const [first, last] = rangeOfJob.get(job) as [number | null, number | null];
    if (first === null || last === null) return;
    for (let after = first - 1; ;) {
      const [end, count, numbers, names] = packedPageOfJob.get({ job, after, last }) as [number | null, number, Buffer | null, Buffer | null];
      if (count === 0 || end === null) return;
      yield unpackTreePage(count, job, numbers ?? Buffer.alloc(0), names ?? Buffer.alloc(0), dirs);
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
      const uid = attributes ? attributeColumns(attributes).uid : undefined;
      page.add({ pathId, jobId, fileIndex, mediaId: mediaId ?? 0, addr, type, size, mtime, name, uid });
      if (page.full) {
        yield page.finish(dirs);
        page = new TreePageBuilder(owners);
      }
    }
    if (page.count > 0) yield page.finish(dirs);
  }

  return { restoreTreePages };
}
