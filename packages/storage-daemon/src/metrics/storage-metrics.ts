/**
 * The Storage daemon's Prometheus metrics (docs/metrics.md): record bytes written to
 * and read from volumes, job sessions running and ended, and each drive's state as
 * `status storage` shows it. Counters are counted as records pass, so a scrape during
 * a job sees it move; the gauges are read from the daemon's state at each scrape.
 */
import { Counter, Gauge, type Registry } from '@burrow/common/metrics/index';
import { drivesStatus, type DriveState, type Reservations, type ReserveMode } from '../reservations/index.js';

const DRIVE_STATES: readonly DriveState[] = ['idle', 'reserved', 'appending', 'reading', 'waiting', 'unmounted'];

export interface StorageMetricsSources {
  registry: Registry;
  reservations: Reservations;
  /** The sessions running now (StorageContext.running). */
  running: ReadonlyMap<number, { mode: ReserveMode }>;
}

/** What the sessions count as they go. */
export interface StorageMetrics {
  /** Record data bytes a backup session wrote to its volume (headers not counted). */
  written(bytes: number): void;
  /** Record data bytes a restore session read from its volumes. */
  read(bytes: number): void;
  sessionEnded(mode: ReserveMode): void;
}

export function registerStorageMetrics({ registry, reservations, running }: StorageMetricsSources): StorageMetrics {
  const registers = [registry];
  const written = new Counter({ name: 'burrow_sd_written_bytes_total', help: 'Record data bytes written to volumes by backup sessions', registers });
  const read = new Counter({ name: 'burrow_sd_read_bytes_total', help: 'Record data bytes read from volumes by restore sessions', registers });
  const ended = new Counter({ name: 'burrow_sd_sessions_total', help: 'Job sessions ended, by mode (append: backup, read: restore or verify)', labelNames: ['mode'], registers });
  new Gauge({
    name: 'burrow_sd_sessions', help: 'Job sessions running now, by mode', labelNames: ['mode'], registers,
    collect() {
      const counts: Record<ReserveMode, number> = { append: 0, read: 0 };
      for (const s of running.values()) counts[s.mode] += 1;
      for (const [mode, n] of Object.entries(counts)) this.set({ mode }, n);
    },
  });
  new Gauge({
    name: 'burrow_sd_drive_state', help: 'Each drive\'s state: 1 for the state it is in, 0 for the others', labelNames: ['drive', 'device', 'state'], registers,
    collect() {
      this.reset();
      for (const d of drivesStatus(reservations).drives) {
        for (const state of DRIVE_STATES) this.set({ drive: d.name, device: d.device, state }, d.state === state ? 1 : 0);
      }
    },
  });
  return {
    written: (bytes) => written.inc(bytes),
    read: (bytes) => read.inc(bytes),
    sessionEnded: (mode) => ended.inc({ mode }),
  };
}
