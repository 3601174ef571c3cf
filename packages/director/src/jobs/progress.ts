/**
 * A running job's progress as its followers see it (HTTP live events, `status dir`):
 * files and bytes the catalog has stored for it so far, the rate since it started and
 * over the latest batch, and the file it stored last. The Storage daemon sends a
 * backup's file rows in batches as the records reach the volume (at least one batch a
 * block), so progress moves with the data, not with a poll. Deleted-file rows of
 * Accurate mode (file index 0) are no progress.
 */
import { displayPath } from '@burrow/common/names/index';
import { perSecond } from '@burrow/common/progress/index';
import type { Catalog } from '../catalog/index.js';
import type { JobEvents } from './events.js';

export function reportingProgress(catalog: Catalog, events: JobEvents, now: () => number): Catalog {
  const running = new Map<number, { files: number; bytes: number; since: number; lastAt: number }>();
  events.on('started', (e) => {
    const at = now();
    running.set(e.jobId, { files: 0, bytes: 0, since: at, lastAt: at });
  });
  events.on('ended', (e) => running.delete(e.jobId));
  return {
    ...catalog,
    async insertFiles(jobId, rows) {
      await catalog.insertFiles(jobId, rows);
      const p = running.get(jobId);
      if (!p) return;
      let last: (typeof rows)[number] | undefined;
      let batchBytes = 0;
      for (const r of rows) {
        if (r.fileIndex <= 0) continue;
        p.files += 1;
        batchBytes += r.size;
        last = r;
      }
      if (!last) return;
      p.bytes += batchBytes;
      const at = now();
      events.emit('progress', {
        jobId, files: p.files, bytes: p.bytes, file: displayPath(last.path),
        bytesPerSecond: perSecond(p.bytes, Math.max(1, at - p.since)), lastBytesPerSecond: perSecond(batchBytes, Math.max(1, at - p.lastAt)),
      });
      p.lastAt = at;
    },
  };
}
