/**
 * A large backup made up in the catalog, through the Catalog API alone: for measuring
 * what the catalog and the restore tree do with a million files (bench/src/catalog)
 * and for tests that need a job too large to back up for real in seconds (the restore
 * tree built off the Director's event loop, test/e2e/catalog-off-loop). Its rows are
 * shaped like the `small` tree as a backup walks it: 50 files a directory, three
 * levels, each directory's files sent together, in the batches the Storage daemon
 * sends. Nothing on any volume backs them: a restore of them cannot run.
 */
import type { Catalog } from './catalog.js';
import type { FileInput } from './types.js';

/** The Storage daemon's catalog batcher sends file rows in batches of this many. */
export const SYNTHETIC_BATCH = 1000;
const ATTRIBUTES = Buffer.alloc(64, 7);
const DIGEST = Buffer.alloc(16, 9);

export interface SyntheticBackupOptions {
  files: number;
  /** Rows below this directory (default /bench). */
  top?: string;
  client?: string;
  fileSet?: string;
  /** The pool: used as it is when the catalog has it, created (with defaults) otherwise. */
  pool?: string;
  volume?: string;
  /** The time the job is scheduled, started and (with `finish`) ends at, ms. */
  at?: number;
  /** End the job Backup OK (T), as a restore or `.bvfs_update` wants it. */
  finish?: boolean;
}

export interface SyntheticBackup {
  jobId: number;
  mediaId: number;
  /** How fast the rows went in. */
  rowsPerSecond: number;
}

/** A Full backup of `files` files on a volume of its own. */
export async function syntheticBackup(catalog: Catalog, o: SyntheticBackupOptions): Promise<SyntheticBackup> {
  const at = o.at ?? Date.now();
  const clientId = await catalog.ensureClient(o.client ?? 'bench-fd');
  const fileSetId = await catalog.ensureFileSet(o.fileSet ?? 'BenchSet', 'digest');
  const poolName = o.pool ?? 'Full';
  const poolId = (await catalog.getPool(poolName))?.poolId ?? await catalog.ensurePool({ name: poolName });
  const mediaId = await catalog.createMedia({ volumeName: o.volume ?? 'Vol-0001', poolId, mediaType: 'File' });
  const jobId = await catalog.createJob({ name: 'backup-bench', type: 'B', level: 'F', clientId, fileSetId, poolId, schedTime: at });
  await catalog.startJob(jobId, at);
  const rowsPerSecond = await insertSyntheticRows(catalog, { jobId, mediaId, files: o.files, top: o.top ?? '/bench' });
  if (o.finish === true) await catalog.finishJob(jobId, { status: 'T', endTime: at, jobFiles: o.files, jobBytes: o.files * 8192 });
  return { jobId, mediaId, rowsPerSecond };
}

/** Inserts the rows of `files` files; returns rows per second. */
export async function insertSyntheticRows(catalog: Catalog, o: { jobId: number; mediaId: number; files: number; top: string }): Promise<number> {
  const start = process.hrtime.bigint();
  for (let first = 0; first < o.files; first += SYNTHETIC_BATCH) {
    const rows: FileInput[] = [];
    for (let i = first; i < Math.min(o.files, first + SYNTHETIC_BATCH); i++) {
      const d = Math.floor(i / 50);
      const dir = `${o.top}/d${Math.floor(d / 400)}/e${Math.floor(d / 20) % 20}/f${d % 20}`;
      rows.push({ fileIndex: i + 1, path: Buffer.from(`${dir}/file-${i}.dat`), mediaId: o.mediaId, addr: i * 8192,
        type: 1, size: 8192, mtime: 1_700_000_000_000, attributes: ATTRIBUTES, digest: DIGEST, digestAlgorithm: 1 });
    }
    await catalog.insertFiles(o.jobId, rows);
  }
  return o.files / (Number(process.hrtime.bigint() - start) / 1e9);
}
