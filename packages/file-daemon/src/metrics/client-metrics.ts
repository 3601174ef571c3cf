/**
 * The File daemon's Prometheus metrics (docs/metrics.md): jobs it ran by type and final
 * status, the file data it read (backups, verifies) and wrote (restores), files, and
 * the jobs running now. A job's counts are added when it ends, from the totals it
 * reports to the Director (FdJobEnd), so they agree with the catalog's.
 */
import { Counter, Gauge, type Registry } from '@burrow/common/metrics/index';
import type { burrow } from '@burrow/common/proto/index';

/** The kinds of job order the File daemon runs. */
export type ClientJobType = 'backup' | 'restore' | 'verify' | 'estimate';

export interface ClientMetrics {
  jobEnded(type: ClientJobType, end: burrow.IFdJobEnd): void;
}

export function registerClientMetrics(registry: Registry, running: ReadonlyMap<number, unknown>): ClientMetrics {
  const registers = [registry];
  const jobs = new Counter({ name: 'burrow_fd_jobs_total', help: 'Jobs ended, by type and final status (T, W, E, A)', labelNames: ['type', 'status'], registers });
  const read = new Counter({ name: 'burrow_fd_read_bytes_total', help: 'Bytes of file data read by backups and verifies', registers });
  const written = new Counter({ name: 'burrow_fd_written_bytes_total', help: 'Bytes of file data written by restores', registers });
  const files = new Counter({ name: 'burrow_fd_files_total', help: 'Files backed up, restored or verified, by job type', labelNames: ['type'], registers });
  new Gauge({ name: 'burrow_fd_jobs_running', help: 'Jobs running now', registers, collect() { this.set(running.size); } });
  return {
    jobEnded(type, end) {
      // An estimate reads nothing but the tree: it counts as a job, not as data.
      jobs.inc({ type, status: end.status ?? 'E' });
      if (type === 'estimate') return;
      const bytes = Number(end.bytes ?? 0);
      if (type === 'restore') written.inc(bytes);
      else read.inc(bytes);
      files.inc({ type }, Number(end.files ?? 0));
    },
  };
}
