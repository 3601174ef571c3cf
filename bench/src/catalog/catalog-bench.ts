/**
 * The catalog on its own, through the Director's catalog API on a synthetic job: how
 * many file rows per second it stores (in the batches the Storage daemon sends), and
 * how long the restore tree of a large job takes: what `restore` does before its file
 * shell opens (the catalog's choice of versions streamed into the compact tree), then
 * marking everything and turning the marks into the bootstrap, as `done` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildBootstrap, openSqliteCatalog, type Catalog, type FileInput } from '@burrow/director/catalog/index';
import { RestoreTree } from '@burrow/director/restore-tree/tree';
import { rangeSize } from '@burrow/common/bootstrap/bootstrap';
import { median } from '../measure/stats.js';

/** The Storage daemon's catalog batcher sends file rows in batches of this many. */
const BATCH = 1000;
const ATTRIBUTES = Buffer.alloc(64, 7);
const DIGEST = Buffer.alloc(16, 9);

function syntheticJob(catalog: Catalog): { jobId: number; mediaId: number } {
  const clientId = catalog.ensureClient('bench-fd');
  const fileSetId = catalog.ensureFileSet('BenchSet', 'digest');
  const poolId = catalog.ensurePool({ name: 'Full' });
  const mediaId = catalog.createMedia({ volumeName: 'Vol-0001', poolId, mediaType: 'File' });
  const jobId = catalog.createJob({ name: 'backup-bench', type: 'B', level: 'F', clientId, fileSetId, poolId, schedTime: Date.now() });
  catalog.startJob(jobId, Date.now());
  return { jobId, mediaId };
}

/** Inserts `files` rows shaped like the `small` tree; returns rows per second. */
function insertRows(catalog: Catalog, jobId: number, mediaId: number, files: number): number {
  const start = process.hrtime.bigint();
  for (let first = 0; first < files; first += BATCH) {
    const rows: FileInput[] = [];
    for (let i = first; i < Math.min(files, first + BATCH); i++) {
      // Shaped like the `small` tree as a backup walks it: 50 files a directory, three
      // levels, each directory's files sent together (the SD batches them in that order).
      const d = Math.floor(i / 50);
      const dir = `/bench/d${Math.floor(d / 400)}/e${Math.floor(d / 20) % 20}/f${d % 20}`;
      rows.push({ fileIndex: i + 1, path: Buffer.from(`${dir}/file-${i}.dat`), mediaId, addr: i * 8192,
        type: 1, size: 8192, mtime: 1_700_000_000_000, attributes: ATTRIBUTES, digest: DIGEST, digestAlgorithm: 1 });
    }
    catalog.insertFiles(jobId, rows);
  }
  return files / (Number(process.hrtime.bigint() - start) / 1e9);
}

function withCatalog<T>(work: (catalog: Catalog) => T): T {
  const dir = mkdtempSync('/tmp/burrow-bench-catalog-');
  const catalog = openSqliteCatalog(join(dir, 'bench.db'));
  try {
    return work(catalog);
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CatalogFigures {
  /** Median rows/s inserting `insertFiles` rows into a fresh catalog. */
  insertRowsPerS: number;
  /** Rows/s while filling the big job (one run). */
  bigInsertRowsPerS: number;
  /** Median seconds to build the restore tree of the big job. */
  treeSeconds: number;
  /** Median seconds to mark every file of it and build the bootstrap of the marks. */
  markAllSeconds: number;
  treeFiles: number;
}

export function catalogBench(insertFiles: number, treeFiles: number, runs: number): CatalogFigures {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    rates.push(withCatalog((c) => { const { jobId, mediaId } = syntheticJob(c); return insertRows(c, jobId, mediaId, insertFiles); }));
  }
  return withCatalog((c) => {
    const { jobId, mediaId } = syntheticJob(c);
    const bigInsertRowsPerS = insertRows(c, jobId, mediaId, treeFiles);
    const times: number[] = [];
    const markTimes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const start = process.hrtime.bigint();
      const tree = RestoreTree.from(c.restoreTreePages([jobId]));
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      const marked = process.hrtime.bigint();
      tree.setMark(0, true);
      const rows = [...tree.markedFiles()].map((n) => {
        const i = tree.info(n);
        return { jobId: i.jobId, fileIndex: i.fileIndex, volumeName: 'Vol-0001', addr: i.addr };
      });
      const bootstrap = buildBootstrap(rows, c.listJobMedia(jobId));
      markTimes.push(Number(process.hrtime.bigint() - marked) / 1e9);
      const wanted = bootstrap.sections.reduce((n, b) => n + rangeSize(b.fileIndexes), 0);
      if (rows.length !== treeFiles || wanted !== treeFiles) throw new Error(`restore tree holds ${rows.length} files, bootstrap ${wanted}; expected ${treeFiles}`);
    }
    return { insertRowsPerS: median(rates), bigInsertRowsPerS, treeSeconds: median(times), markAllSeconds: median(markTimes), treeFiles };
  });
}
