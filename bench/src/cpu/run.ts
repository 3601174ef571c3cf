/**
 * CPU seconds per MiB of each Burrow daemon during a Full backup and a full restore
 * (`--cpu`). Wall time on a shared 2-core machine moves with the other load; the CPU
 * a daemon spends on the same bytes hardly does, so this is the figure each data-path
 * change is judged by before and after (bench/README.md, "What each step gained").
 * Each figure is the median of `runs` runs; the restore is checked against the source.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBurrow } from '../burrow/system.js';
import type { Dataset } from '../datasets/generate.js';
import { withFreshRestoreTarget } from '../measure/fresh-fs.js';
import { assertSameTree } from '../measure/tree.js';
import { cpuSeconds, mainThreadCpuSeconds, median, peakRssMiB, settleDisk } from '../measure/stats.js';
import type { BackupSystem } from '../peers/tool.js';

export interface CpuOptions {
  runs: number;
  /** Extra FileSet Options lines (e.g. `Signature = XXH128`); MD5 when none names a signature. */
  options: string[];
  /** What the run's settings were, for the table's title. */
  label: string;
  /** False: the data channel without TLS. */
  dataTls: boolean;
}

interface CpuFigure { wall: number; cpu: Record<string, number>; main: Record<string, number> }

const DAEMONS = ['burrow-fd', 'burrow-sd', 'burrow-dir'] as const;

async function measured(system: BackupSystem, work: () => Promise<number>): Promise<CpuFigure> {
  const pids = new Map(system.daemons().map((d) => [d.name, d.pid]));
  settleDisk();
  const before = new Map([...pids].map(([n, pid]) => [n, { all: cpuSeconds(pid), main: mainThreadCpuSeconds(pid) }]));
  const wall = await work();
  const cpu: Record<string, number> = {};
  const main: Record<string, number> = {};
  for (const [n, pid] of pids) {
    cpu[n] = cpuSeconds(pid) - (before.get(n)?.all ?? 0);
    main[n] = mainThreadCpuSeconds(pid) - (before.get(n)?.main ?? 0);
  }
  return { wall, cpu, main };
}

function medianFigure(figures: CpuFigure[]): CpuFigure {
  const cpu: Record<string, number> = {};
  const main: Record<string, number> = {};
  for (const d of DAEMONS) {
    cpu[d] = median(figures.map((f) => f.cpu[d] ?? 0));
    main[d] = median(figures.map((f) => f.main[d] ?? 0));
  }
  return { wall: median(figures.map((f) => f.wall)), cpu, main };
}

/** Each daemon's peak resident memory so far (VmHWM: it only grows), in MiB. */
function peaks(system: BackupSystem): string {
  return system.daemons().map((d) => `${d.name} ${peakRssMiB(d.pid).toFixed(0)}`).join(', ') + ' MiB';
}

function row(dataset: Dataset, what: string, f: CpuFigure): string {
  const mib = dataset.bytes / 2 ** 20;
  const perMiB = (s: number): string => ((s / mib) * 1000).toFixed(1);
  const total = DAEMONS.reduce((sum, d) => sum + (f.cpu[d] ?? 0), 0);
  const cells = DAEMONS.map((d) => `${perMiB(f.cpu[d] ?? 0)} (${perMiB(f.main[d] ?? 0)})`);
  return `| ${dataset.name} (${mib.toFixed(0)} MiB, ${dataset.files} files) | ${what} | ${cells.join(' | ')} | ${perMiB(total)} | ${f.wall.toFixed(2)} | ${(mib / f.wall).toFixed(0)} |`;
}

export async function cpuPerMiB(datasets: Dataset[], o: CpuOptions, resultsDir: string, say: (s: string) => void): Promise<string> {
  const lines = [
    `# CPU ms per MiB of Burrow's daemons (${new Date().toISOString()}, ${o.label})`, '',
    'Median of runs; ms of CPU (user + system) per MiB of file data, all threads (main thread alone in brackets: it bounds the throughput); wall seconds and MiB/s for orientation only.', '',
    '| dataset | job | FD ms/MiB | SD ms/MiB | Dir ms/MiB | total ms/MiB | wall s | MiB/s |', '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const rss: string[] = [];
  for (const dataset of datasets) {
    const system = await startBurrow(dataset.root, 'none', { options: o.options, dataTls: o.dataTls });
    try {
      const backups: CpuFigure[] = [];
      let jobId = 0;
      for (let r = 0; r < o.runs; r++) {
        backups.push(await measured(system, async () => {
          const b = await system.backup('Full');
          jobId = b.jobId;
          return b.seconds;
        }));
      }
      const afterBackups = peaks(system);
      const restores: CpuFigure[] = [];
      for (let r = 0; r < o.runs; r++) {
        restores.push(await withFreshRestoreTarget(dataset, async (dir) => {
          const where = join(dir, 'all');
          const figures = await measured(system, async () => (await system.restore(jobId, where)).seconds);
          assertSameTree(dataset.root, join(where, dataset.root), `burrow restore of ${dataset.name}`, system.mtimeResolutionNs);
          return figures;
        }));
      }
      lines.push(row(dataset, 'Full backup', medianFigure(backups)), row(dataset, 'full restore', medianFigure(restores)));
      say(lines.slice(-2).join('\n'));
      rss.push(`- ${dataset.name}: peak RSS after the backups ${afterBackups}; after the restores too ${peaks(system)}`);
    } finally {
      await system.stop();
    }
  }
  const text = `${[...lines, '', ...rss].join('\n')}\n`;
  writeFileSync(join(resultsDir, 'cpu-latest.md'), text);
  return text;
}
