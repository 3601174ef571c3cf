/**
 * `pnpm bench [--quick] [--profile | --profile-only] [--no-bacula] [--no-variants] [--only=large,small,mixed,catalog,media,memory,tape,clients] [--compressions=none,GZIP6,fastest] [--clients=N --client-mib=M]`: Burrow side by
 * side with GNU tar and Bacula 9.6 on the same generated data, in the same run. Prints
 * a table and writes bench/results/latest.json plus a dated copy (bench/README.md).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBurrow } from './burrow/system.js';
import { catalogBench } from './catalog/catalog-bench.js';
import { cpuPerMiB } from './cpu/run.js';
import { mediaBench } from './catalog/media-bench.js';
import { memoryRows } from './suite/memory.js';
import { FULL_SIZES, largeDataset, treeDataset, mixedDataset, QUICK_SIZES, smallDataset, type Dataset, type DatasetSizes } from './datasets/generate.js';
import { baculaVersion, ensureBacula, ensureTar } from './peers/install.js';
import { startBacula } from './peers/bacula.js';
import type { Compression } from './peers/tool.js';
import { profileBackups } from './profile/run.js';
import { judge } from './report/targets.js';
import { table, writeResults, type Row } from './report/rows.js';
import { compareDataset } from './suite/compare.js';
import { tapeRows } from './suite/tape.js';
import { manyClientsRows } from './suite/many-clients.js';

const BENCH = join(fileURLToPath(import.meta.url), '..', '..');
const RUNS = 3;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
  const wanted = (what: string): boolean => !only || only.includes(what);
  // A subset of the compression settings (none, GZIP6, fastest): GZIP6 is most of a dataset's time.
  const onlyCompressions = argv.find((a) => a.startsWith('--compressions='))?.slice(15).split(',');
  const sizes = sizesFrom(argv, quick ? QUICK_SIZES : FULL_SIZES);
  const started = Date.now();
  const say = (s: string): void => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

  if (argv.includes('--cpu')) {
    await cpuOnly(argv, sizes, { wanted, say });
    return;
  }
  const tarProblem = ensureTar();
  if (tarProblem) throw new Error(`GNU tar is needed and could not be installed: ${tarProblem}`);
  const baculaProblem = argv.includes('--no-bacula') ? 'skipped (--no-bacula)' : ensureBacula();
  if (baculaProblem) say(`*** Bacula is NOT compared in this run: ${baculaProblem}`);
  else say(`Bacula ${baculaVersion()} found`);

  const dataDir = join(BENCH, 'data', quick ? 'quick' : 'full');
  mkdirSync(dataDir, { recursive: true });
  const rows: Row[] = [];
  const datasets: Dataset[] = [];
  if (wanted('large')) datasets.push(largeDataset(dataDir, sizes.largeBytes));
  if (wanted('small')) datasets.push(smallDataset(dataDir, sizes.smallFiles));
  // Quick mode leaves the system tree out unless asked: it repeats small's lesson at the
  // cost of a minute of Bacula's per-job overhead.
  if (only ? wanted('mixed') : !quick) datasets.push(mixedDataset(dataDir, sizes.mixedSources));
  say(`datasets ready: ${datasets.map((d) => `${d.name} ${d.files} files ${(d.bytes / 2 ** 20).toFixed(0)} MiB`).join('; ')}`);

  for (const dataset of argv.includes('--profile-only') ? [] : datasets) {
    // Compression matters where bytes dominate; the system tree shows metadata cost.
    // Quick mode keeps one compressed comparison so it ends within five minutes.
    const planned: Compression[] = dataset.name !== 'large' && (quick || dataset.name === 'mixed') ? ['none']
      : quick ? ['none', 'GZIP6'] : ['none', 'GZIP6', 'fastest'];
    const compressions = onlyCompressions ? planned.filter((c) => onlyCompressions.includes(c)) : planned;
    rows.push(...await compareDataset(dataset, compressions, {
      runs: RUNS,
      burrow: (c) => () => startBurrow(dataset.root, c),
      burrowWith: argv.includes('--no-variants') ? null : (setup) => () => startBurrow(dataset.root, 'none', setup),
      bacula: baculaProblem ? null : (c) => () => startBacula(dataset.root, c),
      say,
    }));
  }
  // `--only=tape` makes the large dataset for these rows alone.
  const large = datasets.find((d) => d.name === 'large') ?? (only?.includes('tape') ? largeDataset(dataDir, sizes.largeBytes) : undefined);
  if (large && wanted('tape') && !argv.includes('--profile-only')) {
    say(`${large.name}: Full backups to a virtual tape, without and with data spooling, and to a disk volume`);
    rows.push(...await tapeRows(large, RUNS, say));
  }
  if (baculaProblem) rows.push({ dataset: '-', operation: 'bacula comparison', burrow_s: null, peer: 'bacula', peer_s: null, ratio: null, note: `not run: ${baculaProblem}` });

  if (wanted('catalog')) {
    say(`catalog: insert rate and restore selection of a ${sizes.treeFiles}-file job`);
    const c = await catalogBench(sizes.smallFiles, sizes.treeFiles, RUNS);
    rows.push({ dataset: 'synthetic', operation: `catalog insert (${sizes.smallFiles} rows, batches of 1000)`, burrow_s: null, peer: null, peer_s: null, ratio: null, rows_per_s: Math.round(c.insertRowsPerS) });
    rows.push({ dataset: 'synthetic', operation: `catalog insert (${sizes.treeFiles} rows)`, burrow_s: null, peer: null, peer_s: null, ratio: null, rows_per_s: Math.round(c.bigInsertRowsPerS) });
    rows.push({ dataset: 'synthetic', operation: `restore tree build (${sizes.treeFiles} files)`, burrow_s: Number(c.treeSeconds.toFixed(3)), peer: null, peer_s: null, ratio: null });
    rows.push({ dataset: 'synthetic', operation: `restore tree build: longest event-loop stall (${sizes.treeFiles} files)`, burrow_s: Number(c.treeStallSeconds.toFixed(3)), peer: null, peer_s: null, ratio: null });
    rows.push({ dataset: 'synthetic', operation: `restore tree mark all + bootstrap (${sizes.treeFiles} files)`, burrow_s: Number(c.markAllSeconds.toFixed(3)), peer: null, peer_s: null, ratio: null });
  }

  if (wanted('media')) {
    say('media: choosing the next volume among 10,000, pruning 10,000 volumes with 1,000,000 file rows');
    const m = await mediaBench(quick ? 1 : RUNS);
    rows.push({ dataset: 'synthetic', operation: 'choose next volume (10,000 volumes)', burrow_s: Number(m.chooseSeconds.toFixed(4)), peer: null, peer_s: null, ratio: null });
    rows.push({ dataset: 'synthetic', operation: 'prune all volumes (10,000 volumes, 1,000,000 file rows)', burrow_s: Number(m.pruneSeconds.toFixed(3)), peer: null, peer_s: null, ratio: null });
    rows.push({ dataset: 'synthetic', operation: 'prune all volumes: longest event-loop stall', burrow_s: Number(m.pruneStallSeconds.toFixed(3)), peer: null, peer_s: null, ratio: null });
  }

  if (wanted('clients') && !argv.includes('--profile-only')) {
    const { clients, mib } = sizes.manyClients;
    rows.push(...await manyClientsRows(largeDataset(dataDir, mib * 2 ** 20), clients, { bacula: !baculaProblem, say }));
  }

  if (wanted('memory') && !argv.includes('--profile-only')) {
    const [few, many] = sizes.memoryTrees;
    rows.push(...await memoryRows(treeDataset(dataDir, few), treeDataset(dataDir, many), say));
  }

  if (argv.includes('--profile') || argv.includes('--profile-only')) {
    say('profiling the FD and SD during large and small backups');
    await profileBackups(datasets.filter((d) => d.name !== 'mixed'), join(BENCH, 'results'), say);
  }

  const judged = rows.map(judge);
  const files = writeResults(join(BENCH, 'results'), judged, quick ? 'quick' : 'full');
  console.log(`\n${table(judged)}\n`);
  say(`results in ${files.latest} and ${files.dated}`);
  if (baculaProblem) say(`*** Bacula was NOT compared: ${baculaProblem}`);
}

/** `--large-mib=N`, `--small-files=N`, `--clients=N`, `--client-mib=N`: other dataset sizes than the mode's. */
function sizesFrom(argv: string[], base: DatasetSizes): DatasetSizes {
  const num = (flag: string): number | undefined => {
    const v = argv.find((a) => a.startsWith(`--${flag}=`))?.split('=')[1];
    return v === undefined ? undefined : Number(v);
  };
  const largeMiB = num('large-mib');
  return {
    ...base, largeBytes: largeMiB === undefined ? base.largeBytes : largeMiB * 2 ** 20, smallFiles: num('small-files') ?? base.smallFiles,
    manyClients: { clients: num('clients') ?? base.manyClients.clients, mib: num('client-mib') ?? base.manyClients.mib },
  };
}

/**
 * `--cpu [--only=large,small,mixed] [--large-mib=256] [--small-files=5000] [--option="Signature = XXH128"]... [--no-tls]`:
 * only the CPU ms per MiB of each daemon (cpu/run.ts), no peers. For judging one change.
 */
async function cpuOnly(argv: string[], sizes: DatasetSizes, o: { wanted: (w: string) => boolean; say: (s: string) => void }): Promise<void> {
  const dataDir = join(BENCH, 'data', 'cpu');
  mkdirSync(dataDir, { recursive: true });
  const datasets: Dataset[] = [];
  if (o.wanted('large')) datasets.push(largeDataset(dataDir, sizes.largeBytes));
  if (o.wanted('small')) datasets.push(smallDataset(dataDir, sizes.smallFiles));
  // Only when named: a copy of /usr/share, the full run's `mixed` (its restore is long).
  if (argv.some((a) => a.startsWith('--only=')) && o.wanted('mixed')) datasets.push(mixedDataset(dataDir, sizes.mixedSources));
  const options = argv.filter((a) => a.startsWith('--option=')).map((a) => a.slice('--option='.length));
  const runs = Number(argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? RUNS);
  const dataTls = !argv.includes('--no-tls');
  const label = [options.join('; ') || 'Signature = MD5', dataTls ? 'TLS' : 'no TLS'].join(', ');
  const text = await cpuPerMiB(datasets, { runs, options, label, dataTls }, join(BENCH, 'results'), o.say);
  console.log(`\n${text}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
