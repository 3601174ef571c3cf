/** One dataset through Burrow, Bacula and tar, for each compression setting, as result rows. */
import type { Dataset } from '../datasets/generate.js';
import { absolute, comparison, type Row } from '../report/rows.js';
import { TAR_NAMES } from '../peers/tar.js';
import type { BackupSystem, Compression } from '../peers/tool.js';
import { measureSystem, type SystemFigures } from './system-runs.js';
import { measureTar } from './tar-runs.js';
import { variantRows } from './variants.js';
import type { BurrowSetup } from '../burrow/system.js';

const LABEL: Record<Compression, string> = { none: 'no compression', GZIP6: 'GZIP6', fastest: 'fastest: Burrow LZ4' };
const BACULA: Record<Compression, string> = { none: 'bacula', GZIP6: 'bacula GZIP6', fastest: 'bacula LZO' };

export interface CompareOptions {
  runs: number;
  burrow: (c: Compression) => () => Promise<BackupSystem>;
  /** Burrow without compression in other settings (variants.ts); null: those rows are left out. */
  burrowWith: ((setup: BurrowSetup) => () => Promise<BackupSystem>) | null;
  bacula: ((c: Compression) => () => Promise<BackupSystem>) | null;
  say: (s: string) => void;
}

export async function compareDataset(dataset: Dataset, compressions: Compression[], o: CompareOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const ds = dataset.name;
  const rss: Record<string, number> = {};
  for (const c of compressions) {
    const plan = { runs: o.runs, restores: c === 'none', incrementals: c === 'none' && ds === 'small', emptyIncrementals: c === 'none' };
    o.say(`${ds} ${LABEL[c]}: burrow`);
    const b = await measureSystem(o.burrow(c), dataset, c, plan);
    o.say(`  burrow: ${JSON.stringify(b)}`);
    let k: SystemFigures | null = null;
    if (o.bacula) {
      o.say(`${ds} ${LABEL[c]}: bacula`);
      k = await measureSystem(o.bacula(c), dataset, c, plan);
      o.say(`  bacula: ${JSON.stringify(k)}`);
    }
    o.say(`${ds} ${LABEL[c]}: tar`);
    const t = await measureTar(dataset, c, plan);
    o.say(`  tar: ${JSON.stringify(t)}`);
    for (const f of [b, k]) for (const [name, mib] of Object.entries(f?.rssMiB ?? {})) rss[name] = Math.max(rss[name] ?? 0, mib);

    const op = `full backup (${LABEL[c]})`;
    const sizes = { burrow_bytes: b.storedBytes, fd_cores: b.fdCores };
    rows.push({ ...comparison(ds, op, b.full, TAR_NAMES[c], t.full), ...sizes, peer_bytes: t.archiveBytes });
    if (k) rows.push({ ...comparison(ds, op, b.full, BACULA[c], k.full), ...sizes, peer_bytes: k.storedBytes, note: `bacula-fd ${k.fdCores} cores` });
    if (b.restore !== undefined) {
      rows.push(comparison(ds, 'full restore', b.restore, 'tar -xf', t.restore ?? null));
      if (k) rows.push(comparison(ds, 'full restore', b.restore, 'bacula', k.restore ?? null));
    }
    if (b.oneFile !== undefined) {
      rows.push(comparison(ds, 'restore one file', b.oneFile, 'tar -xf --occurrence=1', t.oneFile ?? null));
      if (k) rows.push(comparison(ds, 'restore one file', b.oneFile, 'bacula', k.oneFile ?? null));
      rows.push(absolute(ds, 'restore one file: SD bytes read', {
        bytes_read: b.oneFileBytesRead, note: k ? `bacula-sd read ${k.oneFileBytesRead ?? '?'} bytes` : undefined }));
    }
    if (b.incremental !== undefined) {
      const burrowS = typeof b.incremental === 'number' ? b.incremental : null;
      const note = typeof b.incremental === 'string' ? b.incremental : undefined;
      if (k) rows.push({ ...comparison(ds, 'incremental, 1% changed', burrowS, 'bacula', typeof k.incremental === 'number' ? k.incremental : null), note });
      rows.push({ ...comparison(ds, 'incremental, 1% changed', burrowS, 'tar --listed-incremental', t.incremental ?? null), note });
    }
    if (c === 'none' && o.burrowWith) {
      const variants = await variantRows(dataset, b, k, { runs: o.runs, burrow: o.burrowWith, say: o.say });
      rows.push(...variants.rows);
      for (const [name, mib] of Object.entries(variants.rssMiB)) rss[name] = Math.max(rss[name] ?? 0, mib);
    }
  }
  for (const [name, mib] of Object.entries(rss)) rows.push(absolute(ds, `peak RSS ${name}`, { rss_mib: mib }));
  return rows;
}
