/**
 * One backup system (Burrow or Bacula) on one dataset with one compression setting:
 * full backups, full restores checked against the source, one-file restores (with the
 * Storage daemon's read bytes), incrementals after changing 1% of the files, and the
 * daemons' peak memory. Every figure is the median of `runs` runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { changeOnePercent, smallPath, type Dataset } from '../datasets/generate.js';
import { cpuSeconds, median, peakRssMiB, readCounters, settleDisk } from '../measure/stats.js';
import { withFreshRestoreTarget } from '../measure/fresh-fs.js';
import { assertSameTree } from '../measure/tree.js';
import { NotAvailable, type BackupSystem, type Compression } from '../peers/tool.js';

export interface SystemFigures {
  full: number;
  storedBytes: number;
  fdCores: number;
  restore?: number;
  oneFile?: number;
  /** rchar of the Storage daemon during one one-file restore (median). */
  oneFileBytesRead?: number;
  incremental?: number | string;
  /** An Incremental right after a Full, nothing changed: the per-job cost end to end. */
  emptyIncremental?: number | string;
  rssMiB: Record<string, number>;
  /** Each run's seconds, in order, beside the medians (the run's log shows them). */
  fullRuns?: number[];
  restoreRuns?: number[];
}

export interface RunPlan {
  runs: number;
  restores: boolean;
  incrementals: boolean;
  /** Time Incrementals with nothing changed (after the Fulls). */
  emptyIncrementals?: boolean;
}

function daemonPid(system: BackupSystem, suffix: string): number {
  const d = system.daemons().find((x) => x.name.endsWith(suffix));
  if (!d) throw new Error(`${system.name}: no ${suffix} process`);
  return d.pid;
}

export async function measureSystem(start: () => Promise<BackupSystem>, dataset: Dataset, compression: Compression, plan: RunPlan): Promise<SystemFigures> {
  const system = await start();
  const scratch = mkdtempSync('/tmp/burrow-bench-restore-');
  try {
    const fdPid = daemonPid(system, '-fd');
    const sdPid = daemonPid(system, '-sd');
    const full: number[] = [];
    const stored: number[] = [];
    const cores: number[] = [];
    const jobIds: number[] = [];
    for (let r = 0; r < plan.runs; r++) {
      settleDisk();
      const before = system.storedBytes();
      const cpuBefore = cpuSeconds(fdPid);
      const { seconds, jobId } = await system.backup('Full');
      cores.push((cpuSeconds(fdPid) - cpuBefore) / seconds);
      full.push(seconds);
      stored.push(system.storedBytes() - before);
      jobIds.push(jobId);
    }
    const figures: SystemFigures = { full: median(full), storedBytes: median(stored), fdCores: Number(median(cores).toFixed(2)), rssMiB: {}, fullRuns: full.map((s) => Number(s.toFixed(2))) };
    if (plan.emptyIncrementals) figures.emptyIncremental = await timedIncrementals(system, plan.runs, () => undefined);
    const firstJob = jobIds[0] ?? 0;
    if (plan.restores) {
      const times: number[] = [];
      for (let r = 0; r < plan.runs; r++) {
        times.push(await withFreshRestoreTarget(dataset, async (dir) => {
          const where = join(dir, 'all');
          settleDisk();
          const { seconds } = await system.restore(firstJob, where);
          assertSameTree(dataset.root, join(where, dataset.root), `${system.name} restore of ${dataset.name}`, system.mtimeResolutionNs);
          return seconds;
        }));
      }
      figures.restore = median(times);
      figures.restoreRuns = times.map((s) => Number(s.toFixed(2)));
    }
    if (plan.restores && dataset.needle) {
      const times: number[] = [];
      const bytes: number[] = [];
      for (let r = 0; r < plan.runs; r++) {
        const where = join(scratch, `one-${r}`);
        settleDisk();
        const io = readCounters(sdPid).rchar;
        const { seconds } = await system.restore(firstJob, where, [dataset.needle]);
        bytes.push(readCounters(sdPid).rchar - io);
        if (!readFileSync(join(where, dataset.needle)).equals(readFileSync(dataset.needle))) throw new Error(`${system.name}: the restored ${dataset.needle} differs from its source`);
        times.push(seconds);
        rmSync(where, { recursive: true, force: true });
      }
      figures.oneFile = median(times);
      figures.oneFileBytesRead = median(bytes);
    }
    if (plan.incrementals) figures.incremental = await incrementals(system, dataset, plan.runs);
    for (const d of system.daemons()) figures.rssMiB[d.name] = Number(peakRssMiB(d.pid).toFixed(1));
    return figures;
  } finally {
    await system.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Median seconds of incrementals after 1% of `small`'s files changed, or why there is none. */
function incrementals(system: BackupSystem, dataset: Dataset, runs: number): Promise<number | string> {
  const files = Array.from({ length: dataset.files }, (_, i) => smallPath(dataset.root, i));
  return timedIncrementals(system, runs, (r) => changeOnePercent(files, r));
}

/** Median seconds of `runs` incrementals, each after `change(round)`, or why there is none. */
async function timedIncrementals(system: BackupSystem, runs: number, change: (round: number) => unknown): Promise<number | string> {
  const times: number[] = [];
  for (let r = 1; r <= runs; r++) {
    change(r);
    settleDisk();
    try {
      times.push((await system.backup('Incremental')).seconds);
    } catch (err) {
      if (err instanceof NotAvailable) return err.message;
      throw err;
    }
  }
  return median(times);
}
