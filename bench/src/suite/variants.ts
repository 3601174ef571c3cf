/**
 * Burrow measured in settings beside its defaults, for the like-for-like rows:
 * the data channel without TLS (as Bacula runs by default) and XXH128 instead of MD5,
 * against Bacula's figures of the same step; and the dataset's physical limit
 * (physical.ts), against which each Burrow figure is also shown.
 */
import type { Dataset } from '../datasets/generate.js';
import type { BurrowSetup } from '../burrow/system.js';
import { absolute, comparison, type Row } from '../report/rows.js';
import type { BackupSystem } from '../peers/tool.js';
import { physicalLimit } from './physical.js';
import { measureSystem, type SystemFigures } from './system-runs.js';

export interface VariantOptions {
  runs: number;
  burrow: (setup: BurrowSetup) => () => Promise<BackupSystem>;
  say: (s: string) => void;
}

/** Rows for one dataset without compression, given Burrow's and Bacula's default figures. */
export async function variantRows(dataset: Dataset, defaults: SystemFigures, bacula: SystemFigures | null, o: VariantOptions): Promise<{ rows: Row[]; rssMiB: Record<string, number> }> {
  const ds = dataset.name;
  const rows: Row[] = [];
  o.say(`${ds}: physical limit (tar | tee >(md5sum) | dd oflag=direct, tar -xf beside md5sum)`);
  const limit = await physicalLimit(dataset, o.runs);
  o.say(`  limit: ${JSON.stringify(limit)}`);
  rows.push(comparison(ds, 'full backup, as a fraction of the physical limit', defaults.full, 'read+write+MD5', limit.backup));
  if (defaults.restore !== undefined) rows.push(comparison(ds, 'full restore, as a fraction of the physical limit', defaults.restore, 'read+MD5+write tree', limit.restore));

  o.say(`${ds}: burrow without TLS on the data channel`);
  const clear = await measureSystem(o.burrow({ dataTls: false }), dataset, 'none', { runs: o.runs, restores: true, incrementals: false });
  o.say(`  burrow, no TLS: ${JSON.stringify(clear)}`);
  if (bacula) {
    rows.push(comparison(ds, 'full backup (no compression, no TLS)', clear.full, 'bacula', bacula.full));
    rows.push(comparison(ds, 'full restore (no TLS)', clear.restore ?? null, 'bacula', bacula.restore ?? null));
  }
  rows.push(comparison(ds, 'full backup (no TLS), as a fraction of the physical limit', clear.full, 'read+write+MD5', limit.backup));

  if (ds === 'large') {
    o.say(`${ds}: burrow with Signature = XXH128`);
    const xxh = await measureSystem(o.burrow({ options: ['Signature = XXH128'] }), dataset, 'none', { runs: o.runs, restores: false, incrementals: false });
    o.say(`  burrow, XXH128: ${JSON.stringify(xxh)}`);
    if (bacula) rows.push(comparison(ds, 'full backup (no compression, XXH128; Bacula MD5)', xxh.full, 'bacula', bacula.full));
  }
  if (typeof defaults.emptyIncremental === 'number' || typeof defaults.emptyIncremental === 'string') {
    const burrowS = typeof defaults.emptyIncremental === 'number' ? defaults.emptyIncremental : null;
    const peerS = typeof bacula?.emptyIncremental === 'number' ? bacula.emptyIncremental : null;
    rows.push(bacula ? comparison(ds, 'empty Incremental, end to end', burrowS, 'bacula', peerS) : absolute(ds, 'empty Incremental, end to end', { burrow_s: burrowS }));
  }
  return { rows, rssMiB: clear.rssMiB };
}
