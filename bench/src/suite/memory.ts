/**
 * Bounded memory: each daemon's peak resident set during a Full backup of a tree of
 * empty files at two sizes, ten times apart (100,000 and 1,000,000 in the full run).
 * The bound: at the larger no daemon above 1.2 times its figure at the smaller,
 * and every figure under 150 MiB.
 */
import { startBurrow } from '../burrow/system.js';
import type { Dataset } from '../datasets/generate.js';
import { peakRssMiB } from '../measure/stats.js';
import { absolute, type Row } from '../report/rows.js';

async function peaks(dataset: Dataset): Promise<{ rss: Record<string, number>; seconds: number }> {
  const system = await startBurrow(dataset.root, 'none');
  try {
    const { seconds } = await system.backup('Full');
    const rss: Record<string, number> = {};
    for (const d of system.daemons()) rss[d.name] = Number(peakRssMiB(d.pid).toFixed(1));
    return { rss, seconds };
  } finally {
    await system.stop();
  }
}

export async function memoryRows(smaller: Dataset, larger: Dataset, say: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const figures = [];
  for (const d of [smaller, larger]) {
    say(`tree of ${d.files} files: peak RSS during a Full backup`);
    const f = await peaks(d);
    say(`  ${JSON.stringify(f)}`);
    figures.push(f);
    rows.push(absolute(`tree ${d.files}`, 'Full backup of empty files', { burrow_s: Number(f.seconds.toFixed(2)), note: `${Math.round(d.files / f.seconds)} files/s` }));
    for (const [name, mib] of Object.entries(f.rss)) rows.push(absolute(`tree ${d.files}`, `peak RSS ${name}`, { rss_mib: mib }));
  }
  const [a, b] = figures;
  for (const name of Object.keys(a?.rss ?? {})) {
    const x = a?.rss[name] ?? NaN;
    const y = b?.rss[name] ?? NaN;
    rows.push(absolute(`tree ${larger.files} / ${smaller.files}`, `peak RSS growth ${name}`, { ratio: Number((y / x).toFixed(3)), note: `${x} -> ${y} MiB` }));
  }
  return rows;
}
