/**
 * The Director's Prometheus metrics (docs/metrics.md): jobs by type, level and final
 * status with their bytes, files and duration as the catalog records them; the queue
 * (running, waiting for a volume or the operator, queued); each pool's volumes by
 * status and bytes; and how long the catalog takes to store a batch of file rows.
 * Label values are the catalog's own letters (Type B/R/V, Level F/I/D..., JobStatus
 * T/W/E/f/A), so a query and `list jobs` speak the same language.
 */
import { Counter, Gauge, Histogram, type Registry } from '@burrow/common/metrics/index';
import type { Catalog } from '../catalog/index.js';
import type { JobEvents } from '../jobs/events.js';
import type { JobSummary } from '../jobs/queue.js';

/** Sizes from 1 KiB to 1 TiB, by fours. */
const BYTE_BUCKETS = Array.from({ length: 16 }, (_, i) => 1024 * 4 ** i);
/** 1 to 10 million files, by tens. */
const FILE_BUCKETS = Array.from({ length: 8 }, (_, i) => 10 ** i);
/** A job's run: from seconds to a day. */
const DURATION_BUCKETS = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400];
/** A batch of file rows: from a tenth of a millisecond to ten seconds. */
const BATCH_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

export interface DirectorMetricsSources {
  registry: Registry;
  catalog: Catalog;
  queue: { list(): JobSummary[]; readonly events: JobEvents };
}

/** Defines the Director's metrics on the registry; they follow the queue's events and read the catalog at each scrape. */
export function registerDirectorMetrics(s: DirectorMetricsSources): void {
  jobMetrics(s);
  queueGauges(s);
  poolGauges(s);
}

/**
 * The catalog whose file-row batches (what the Storage daemon sends during a backup)
 * are timed into burrow_dir_catalog_batch_seconds; every other call goes straight through.
 */
export function timedCatalog(catalog: Catalog, registry: Registry): Catalog {
  const seconds = new Histogram({ name: 'burrow_dir_catalog_batch_seconds', help: 'Time the catalog took to store one batch of file rows', buckets: BATCH_BUCKETS, registers: [registry] });
  return {
    ...catalog,
    async insertFiles(jobId, rows) {
      const end = seconds.startTimer();
      try {
        await catalog.insertFiles(jobId, rows);
      } finally {
        end();
      }
    },
  };
}

function jobMetrics({ registry, catalog, queue }: DirectorMetricsSources): void {
  const registers = [registry];
  const byJob = ['type', 'level'] as const;
  const jobs = new Counter({ name: 'burrow_dir_jobs_total', help: 'Jobs ended, by type, level and final status (catalog letters)', labelNames: [...byJob, 'status'], registers });
  const bytes = new Histogram({ name: 'burrow_dir_job_bytes', help: 'Bytes of file data each ended job moved (catalog JobBytes)', labelNames: byJob, buckets: BYTE_BUCKETS, registers });
  const files = new Histogram({ name: 'burrow_dir_job_files', help: 'Files each ended job moved (catalog JobFiles)', labelNames: byJob, buckets: FILE_BUCKETS, registers });
  const duration = new Histogram({ name: 'burrow_dir_job_duration_seconds', help: 'Each ended job\'s run time (catalog StartTime to EndTime)', labelNames: byJob, buckets: DURATION_BUCKETS, registers });
  queue.events.on('ended', (e) => void catalog.getJob(e.jobId).catch(() => undefined).then((row) => {
    // A restore has no level (' '): its label is empty, which Prometheus treats as absent.
    const labels = { type: row?.type ?? kindLetter(e.kind), level: (row?.level ?? e.level).trim() };
    jobs.inc({ ...labels, status: e.status });
    if (!row) return;
    bytes.observe(labels, row.jobBytes);
    files.observe(labels, row.jobFiles);
    if (row.startTime !== null && row.endTime !== null) duration.observe(labels, Math.max(0, row.endTime - row.startTime) / 1000);
  }));
}

function queueGauges({ registry, queue }: DirectorMetricsSources): void {
  const registers = [registry];
  const count = (pick: (j: JobSummary) => boolean): number => queue.list().filter(pick).length;
  new Gauge({
    name: 'burrow_dir_jobs_running', help: 'Jobs running now, not waiting', registers,
    collect() { this.set(count((j) => j.state === 'running' && j.wait === undefined)); },
  });
  new Gauge({
    name: 'burrow_dir_jobs_waiting', help: 'Running jobs waiting for a volume or the operator', registers,
    collect() { this.set(count((j) => j.state === 'running' && j.wait !== undefined)); },
  });
  new Gauge({
    name: 'burrow_dir_job_queue_length', help: 'Jobs queued, not started yet', registers,
    collect() { this.set(count((j) => j.state === 'waiting')); },
  });
}

function poolGauges({ registry, catalog }: DirectorMetricsSources): void {
  const registers = [registry];
  new Gauge({
    name: 'burrow_dir_pool_volumes', help: 'Volumes in each pool, by VolStatus', labelNames: ['pool', 'status'], registers,
    async collect() {
      const volumes = await catalog.listMedia();
      this.reset();
      for (const m of volumes) this.inc({ pool: m.poolName, status: m.volStatus });
    },
  });
  new Gauge({
    name: 'burrow_dir_pool_bytes', help: 'Bytes on the volumes of each pool (catalog VolBytes)', labelNames: ['pool'], registers,
    async collect() {
      const [pools, volumes] = [await catalog.listPools(), await catalog.listMedia()];
      this.reset();
      for (const p of pools) this.set({ pool: p.name }, 0);
      for (const m of volumes) this.inc({ pool: m.poolName }, m.volBytes);
    },
  });
}

function kindLetter(kind: 'backup' | 'restore' | 'verify'): string {
  return kind === 'backup' ? 'B' : kind === 'restore' ? 'R' : 'V';
}
