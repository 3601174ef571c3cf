/**
 * The media module on a large catalog (issue 11's benchmark rows): 10,000 volumes and
 * 1,000,000 file rows, built through the catalog API. It measures choosing the next
 * volume among the 10,000 (chooseRuns says how), and pruning every volume by
 * its retention (`prune volume all`: 2,000 jobs and their million file rows deleted,
 * every volume Purged). Times are medians; the catalog is built anew for each prune run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { openSqliteCatalog, type Catalog, type FileInput } from '@burrow/director/catalog/index';
import { findNextVolume } from '@burrow/director/media/next-volume';
import { pruneVolumes } from '@burrow/director/media/prune';
import { mediaDefaults } from '@burrow/director/media/pools';
import { VolumeReservations } from '@burrow/director/media/reservations';
import { median } from '../measure/stats.js';

const DAY = 86_400_000;
const VOLUMES = 10_000;
const JOBS = 2_000;
const FILES_PER_JOB = 500;
const ATTRIBUTES = Buffer.alloc(64, 7);

interface World {
  catalog: Catalog;
  poolId: number;
  now: { t: number };
  close(): void;
}

/** 2,000 Full jobs of 500 files each, each job spread over 5 of the 10,000 volumes. */
async function build(): Promise<World> {
  const dir = mkdtempSync('/tmp/burrow-bench-media-');
  const now = { t: Date.UTC(2026, 0, 1) };
  const catalog = openSqliteCatalog(join(dir, 'bench.db'), { now: () => now.t });
  const clientId = await catalog.ensureClient('bench-fd');
  const fileSetId = await catalog.ensureFileSet('BenchSet', 'digest');
  const poolId = await catalog.ensurePool({ name: 'Full', volumeRetention: 30 * DAY, maximumVolumeJobs: 1 });
  const defaults = mediaDefaults((await catalog.getPoolById(poolId))!);
  const media: number[] = [];
  for (let v = 0; v < VOLUMES; v++) media.push(await catalog.createMedia({ volumeName: `Vol-${v}`, poolId, mediaType: 'File', ...defaults }));
  const perJob = VOLUMES / JOBS;
  for (let j = 0; j < JOBS; j++) {
    now.t += 60_000;
    const jobId = await catalog.createJob({ name: `backup-${j % 20}`, type: 'B', level: 'F', clientId, fileSetId, poolId, schedTime: now.t });
    await catalog.startJob(jobId, now.t);
    const rows: FileInput[] = [];
    for (let f = 0; f < FILES_PER_JOB; f++) {
      rows.push({ fileIndex: f + 1, path: Buffer.from(`/bench/j${j}/d${f % 10}/file-${f}`), mediaId: media[j * perJob + (f % perJob)]!,
        addr: f * 8192, type: 1, size: 8192, mtime: 0, attributes: ATTRIBUTES });
    }
    await catalog.insertFiles(jobId, rows);
    for (let k = 0; k < perJob; k++) {
      const mediaId = media[j * perJob + k]!;
      await catalog.addJobMedia({ jobId, mediaId, firstIndex: 1, lastIndex: FILES_PER_JOB, startAddr: 0, endAddr: 1, volIndex: k + 1 });
      await catalog.updateMediaUsage(mediaId, { volBytes: 1e6, volBlocks: 10, lastWritten: now.t, incrementJobs: true,
        volStatus: 'Full' });
    }
    await catalog.finishJob(jobId, { status: 'T', endTime: now.t, jobFiles: FILES_PER_JOB, jobBytes: 1 });
  }
  return { catalog, poolId, now, close: () => { catalog.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * Choosing among the 10,000: half of them Purged, the rest Full but one Append volume
 * whose Maximum Volume Jobs is reached. The search checks that one (marking it Used),
 * starts again, finds no Append, Unlabeled or Recycle volume, and takes the oldest of the
 * 5,000 purged ones to recycle: every step of Bareos's order up to the purged volumes.
 */
async function chooseRuns(w: World): Promise<number[]> {
  const all = await w.catalog.listMedia({ poolId: w.poolId });
  for (const m of all.filter((_, i) => i % 2 === 1)) await w.catalog.updateMedia(m.mediaId, { volStatus: 'Purged' });
  const pool = (await w.catalog.getPoolById(w.poolId))!;
  const append = all[all.length - 2]!;
  const times: number[] = [];
  for (let c = 0; c < 5; c++) {
    await w.catalog.updateMedia(append.mediaId, { volStatus: 'Append' });
    times.push(await seconds(async () => {
      const found = await findNextVolume(w.catalog, new VolumeReservations(), {
        jobId: 1, pool, mediaType: 'File', storageId: 1, labelMedia: false, prune: false, unwanted: new Set(), now: w.now.t,
      });
      if (found.found?.volumeName !== all[1]!.volumeName) throw new Error(`the bench chose ${found.found?.volumeName ?? 'nothing'}`);
    }));
  }
  for (const m of all) await w.catalog.updateMedia(m.mediaId, { volStatus: 'Full' });
  return times;
}

export interface MediaFigures {
  /** Median seconds to choose the next volume among 10,000. */
  chooseSeconds: number;
  /** Median seconds to prune all 10,000 volumes (1,000,000 file rows). */
  pruneSeconds: number;
  /** Median of the longest time the event loop waited during that prune. */
  pruneStallSeconds: number;
}

async function seconds(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function mediaBench(runs: number): Promise<MediaFigures> {
  const choose: number[] = [];
  const prune: number[] = [];
  const stalls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const w = await build();
    try {
      if (r === 0) choose.push(...await chooseRuns(w));
      w.now.t += 31 * DAY;
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      prune.push(await seconds(async () => {
        await pruneVolumes(w.catalog, await w.catalog.listMedia({ poolId: w.poolId }), w.now.t);
      }));
      await new Promise((resolve) => setTimeout(resolve, 10)); // the loop's last wait is counted too
      delay.disable();
      stalls.push(delay.max / 1e9);
      const left = (await w.catalog.listMedia({ poolId: w.poolId, statuses: ['Purged'] })).length;
      if (left !== VOLUMES) throw new Error(`pruning left ${VOLUMES - left} volumes unpurged`);
    } finally {
      w.close();
    }
  }
  return { chooseSeconds: median(choose), pruneSeconds: median(prune), pruneStallSeconds: median(stalls) };
}
