/**
 * The catalog on its own, through the Director's catalog API on a synthetic job: how
 * many file rows per second it stores (in the batches the Storage daemon sends), and
 * how long the restore tree of a large job takes: what `restore` does before its file
 * shell opens (the catalog's choice of versions streamed into the compact tree), then
 * marking everything and turning the marks into the bootstrap, as `done` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildBootstrap, openSqliteCatalog, type Catalog } from '@burrow/director/catalog/index';
import { syntheticBackup } from '@burrow/director/catalog/synthetic';
import { RestoreTree } from '@burrow/director/restore-tree/tree';
import { rangeSize } from '@burrow/common/bootstrap/bootstrap';
import { median } from '../measure/stats.js';

async function withCatalog<T>(work: (catalog: Catalog) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync('/tmp/burrow-bench-catalog-');
  const catalog = openSqliteCatalog(join(dir, 'bench.db'));
  try {
    return await work(catalog);
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
  /** The longest the event loop waited while it built (the catalog reads off it), median of the runs. */
  treeStallSeconds: number;
  /** Median seconds to mark every file of it and build the bootstrap of the marks. */
  markAllSeconds: number;
  treeFiles: number;
}

export async function catalogBench(insertFiles: number, treeFiles: number, runs: number): Promise<CatalogFigures> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    rates.push(await withCatalog(async (c) => (await syntheticBackup(c, { files: insertFiles })).rowsPerSecond));
  }
  return withCatalog(async (c) => {
    const { jobId, rowsPerSecond: bigInsertRowsPerS } = await syntheticBackup(c, { files: treeFiles });
    const times: number[] = [];
    const markTimes: number[] = [];
    const stalls: number[] = [];
    for (let r = 0; r < runs; r++) {
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const start = process.hrtime.bigint();
      const tree = await RestoreTree.from(c.restoreTreePages([jobId]));
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      delay.disable();
      stalls.push(delay.max / 1e9);
      const marked = process.hrtime.bigint();
      await tree.setMark(0, true);
      const rows = [...tree.markedFiles()].map((n) => {
        const i = tree.info(n);
        return { jobId: i.jobId, fileIndex: i.fileIndex, volumeName: 'Vol-0001', addr: i.addr };
      });
      const bootstrap = buildBootstrap(rows, await c.listJobMedia(jobId));
      markTimes.push(Number(process.hrtime.bigint() - marked) / 1e9);
      const wanted = bootstrap.sections.reduce((n, b) => n + rangeSize(b.fileIndexes), 0);
      if (rows.length !== treeFiles || wanted !== treeFiles) throw new Error(`restore tree holds ${rows.length} files, bootstrap ${wanted}; expected ${treeFiles}`);
    }
    return { insertRowsPerS: median(rates), bigInsertRowsPerS, treeSeconds: median(times), treeStallSeconds: median(stalls), markAllSeconds: median(markTimes), treeFiles };
  });
}
