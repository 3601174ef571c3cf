/**
 * Test helpers of the media module: a real SQLite catalog on a manual clock (so a test
 * moves through years of retention in milliseconds), pools written as the Director
 * writes them, volumes and backup jobs with data on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteCatalog, type Catalog, type JobLevel, type PoolInput, type PoolRow, type VolStatus } from '../catalog/index.js';
import { ManualClock } from '../time/clock.js';
import { mediaDefaults } from './pools.js';
import { VolumeReservations } from './reservations.js';

export const DAY = 86_400_000;

export interface MediaWorld {
  catalog: Catalog;
  clock: ManualClock;
  reservations: VolumeReservations;
  clientId: number;
  fileSetId: number;
  pool(input: PoolInput): Promise<PoolRow>;
  /** A labelled volume of the pool with the pool's limits (status Append unless said). */
  volume(name: string, pool: PoolRow, o?: { status?: VolStatus; mediaType?: string }): Promise<number>;
  /** A finished backup job with `files` File rows and a JobMedia row on each volume. */
  backup(level: JobLevel, mediaIds: readonly number[], o?: { files?: number; status?: 'T' | 'E' | 'R'; name?: string }): Promise<number>;
  close(): void;
}

export async function mediaWorld(start = Date.UTC(2026, 0, 1)): Promise<MediaWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-media-'));
  const clock = new ManualClock(start);
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'), { now: () => clock.now() });
  const clientId = await catalog.ensureClient('client1-fd');
  const fileSetId = await catalog.ensureFileSet('LinuxAll', 'digest-1');
  return {
    catalog, clock, reservations: new VolumeReservations(), clientId, fileSetId,
    // Bareos's default Volume Retention (365 days) unless the test gives one.
    pool: async (input) => (await catalog.getPoolById(await catalog.ensurePool({ volumeRetention: 365 * DAY, ...input })))!,
    volume: (name, pool, o = {}) => catalog.createMedia({
      volumeName: name, poolId: pool.poolId, mediaType: o.mediaType ?? 'File', volStatus: o.status ?? 'Append',
      volBytes: 200, volBlocks: 1, labelDate: clock.now(), ...mediaDefaults(pool),
    }),
    async backup(level, mediaIds, o = {}) {
      const jobId = await catalog.createJob({ name: o.name ?? 'backup-client1', type: 'B', level, clientId, fileSetId, poolId: null, schedTime: clock.now() });
      await catalog.startJob(jobId, clock.now());
      const files = o.files ?? 2;
      const rows = Array.from({ length: files }, (_, i) => ({
        fileIndex: i + 1, path: Buffer.from(`/data/${jobId}/f${i}`), mediaId: mediaIds[0] ?? null, addr: 100 + i, type: 1, size: 1, mtime: 0,
        attributes: Buffer.from([0x0a, 0x01, 0x2f]),
      }));
      await catalog.insertFiles(jobId, rows);
      for (const [i, mediaId] of mediaIds.entries()) {
        await catalog.addJobMedia({ jobId, mediaId, firstIndex: 1, lastIndex: files, startAddr: 0, endAddr: 1, volIndex: i + 1 });
        await catalog.updateMediaUsage(mediaId, { volBytes: 1000, volBlocks: 5, lastWritten: clock.now(), incrementJobs: true });
      }
      if ((o.status ?? 'T') !== 'R') await catalog.finishJob(jobId, { status: o.status ?? 'T', endTime: clock.now(), jobFiles: files, jobBytes: 10 });
      return jobId;
    },
    close: () => {
      catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
