/** GNU tar on one dataset: archive, extraction checked against the source, one member, incrementals. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, dirname } from 'node:path';
import { changeOnePercent, smallPath, type Dataset } from '../datasets/generate.js';
import { median, settleDisk } from '../measure/stats.js';
import { withFreshRestoreTarget } from '../measure/fresh-fs.js';
import { assertSameTree } from '../measure/tree.js';
import { tarCreate, tarExtract } from '../peers/tar.js';
import type { Compression } from '../peers/tool.js';
import type { RunPlan } from './system-runs.js';

/** GNU tar's default (ustar-style) headers hold whole-second mtimes. */
const TAR_MTIME_RESOLUTION_NS = 1_000_000_000n;

export interface TarFigures { full: number; archiveBytes: number; restore?: number; oneFile?: number; incremental?: number }

export async function measureTar(dataset: Dataset, compression: Compression, plan: RunPlan): Promise<TarFigures> {
  const scratch = mkdtempSync('/tmp/burrow-bench-tar-');
  try {
    const archive = join(scratch, 'archive.tar');
    const full: number[] = [];
    for (let r = 0; r < plan.runs; r++) {
      rmSync(archive, { force: true });
      settleDisk();
      full.push(await tarCreate(dataset.root, archive, compression));
    }
    const figures: TarFigures = { full: median(full), archiveBytes: statSync(archive).size };
    if (plan.restores) {
      const times: number[] = [];
      for (let r = 0; r < plan.runs; r++) {
        times.push(await withFreshRestoreTarget(dataset, async (dest) => {
          settleDisk();
          const seconds = await tarExtract(archive, dest);
          assertSameTree(dataset.root, join(dest, basename(dataset.root)), `tar extraction of ${dataset.name}`, TAR_MTIME_RESOLUTION_NS);
          return seconds;
        }));
      }
      figures.restore = median(times);
    }
    if (plan.restores && dataset.needle) {
      const member = relative(dirname(dataset.root), dataset.needle);
      const times: number[] = [];
      for (let r = 0; r < plan.runs; r++) {
        const dest = join(scratch, `one-${r}`);
        mkdirSync(dest);
        settleDisk();
        times.push(await tarExtract(archive, dest, [member]));
        if (!readFileSync(join(dest, member)).equals(readFileSync(dataset.needle))) throw new Error('tar: the extracted needle differs from its source');
        rmSync(dest, { recursive: true, force: true });
      }
      figures.oneFile = median(times);
    }
    if (plan.incrementals) {
      // Level 0 with a snapshot file, then one incremental per round, as a nightly chain.
      const snapshot = join(scratch, 'snapshot');
      await tarCreate(dataset.root, join(scratch, 'level0.tar'), compression, snapshot);
      rmSync(join(scratch, 'level0.tar'));
      const files = Array.from({ length: dataset.files }, (_, i) => smallPath(dataset.root, i));
      const times: number[] = [];
      for (let r = 1; r <= plan.runs; r++) {
        changeOnePercent(files, r);
        settleDisk();
        times.push(await tarCreate(dataset.root, join(scratch, `incr-${r}.tar`), compression, snapshot));
      }
      figures.incremental = median(times);
    }
    return figures;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
