/**
 * Bootstraps from the catalog (the model is @burrow/common/bootstrap): what a restore
 * or a volume verify reads, from the files chosen, and what a backup wrote (its
 * `Write Bootstrap`), from its JobMedia rows, one section per volume, as Bareos writes it.
 */
import { rangesOf, type Bootstrap, type BootstrapSection } from '@burrow/common/bootstrap/bootstrap';
import type { JobMediaRow, RestoreFileRow } from './types.js';

type ChosenFile = Pick<RestoreFileRow, 'jobId' | 'fileIndex' | 'volumeName' | 'addr'>;

/**
 * Turns the files chosen for a restore into what the Storage daemon reads: one section
 * per (volume, job session) with the smallest block address to position to and the
 * wanted file indexes. Volumes keep the order of their first appearance in `rows`
 * (selectRestoreFiles orders them as a reader should visit them); within a volume,
 * sessions go by job id.
 *
 * A file whose records run on past the end of its volume is also wanted on the job's
 * next volume: given the jobs' JobMedia rows, such a file gets a section on the volume
 * where it continues, starting at that JobMedia's start address. The JobMedia rows
 * also give each section its Media Type and the session's last block on the volume.
 */
export function buildBootstrap(rows: readonly ChosenFile[], jobMedia: readonly JobMediaRow[] = []): Bootstrap {
  const volumes = new Map<string, Map<number, { startAddr: number; indexes: Set<number> }>>();
  const add = (volumeName: string, jobId: number, addr: number, fileIndex: number): void => {
    let sessions = volumes.get(volumeName);
    if (sessions === undefined) volumes.set(volumeName, sessions = new Map());
    const s = sessions.get(jobId);
    if (s === undefined) sessions.set(jobId, { startAddr: addr, indexes: new Set([fileIndex]) });
    else {
      s.startAddr = Math.min(s.startAddr, addr);
      s.indexes.add(fileIndex);
    }
  };

  for (const r of rows) add(r.volumeName, r.jobId, r.addr, r.fileIndex);
  // A file that runs over a volume change is the last of one JobMedia and the first of
  // the job's next; it may run over several volumes, so every link of the chain counts.
  const wanted = new Set(rows.map((r) => `${r.jobId}:${r.fileIndex}`));
  const byPlace = new Map(jobMedia.map((jm) => [`${jm.jobId}:${jm.volIndex}`, jm]));
  for (const jm of jobMedia) {
    const prev = byPlace.get(`${jm.jobId}:${jm.volIndex - 1}`);
    if (prev && prev.lastIndex === jm.firstIndex && wanted.has(`${jm.jobId}:${jm.firstIndex}`)) {
      add(jm.volumeName, jm.jobId, jm.startAddr, jm.firstIndex);
    }
  }
  const onVolume = new Map(jobMedia.map((jm) => [`${jm.jobId}:${jm.volumeName}`, jm]));

  const sections: BootstrapSection[] = [];
  for (const [volume, sessions] of volumes) {
    for (const jobId of [...sessions.keys()].sort((a, b) => a - b)) {
      const s = sessions.get(jobId);
      if (s === undefined) continue;
      const jm = onVolume.get(`${jobId}:${volume}`);
      sections.push({
        volume, ...(jm ? { mediaType: jm.mediaType } : {}), sessionId: jobId,
        startAddr: s.startAddr, endAddr: Math.max(jm?.endAddr ?? s.startAddr, s.startAddr),
        fileIndexes: rangesOf(s.indexes), count: s.indexes.size,
      });
    }
  }
  // A reader must meet a job's volumes in the order it wrote them.
  if (jobMedia.length > 0) {
    sections.sort((a, b) => a.sessionId - b.sessionId || (onVolume.get(`${a.sessionId}:${a.volume}`)?.volIndex ?? 0) - (onVolume.get(`${b.sessionId}:${b.volume}`)?.volIndex ?? 0));
  }
  return { sections };
}

/** What a backup wrote: a section per JobMedia row, its whole range of file indexes (Bareos's Write Bootstrap). */
export function jobBootstrap(jobMedia: readonly JobMediaRow[]): Bootstrap {
  return {
    sections: jobMedia.filter((jm) => jm.lastIndex >= jm.firstIndex && jm.firstIndex > 0).map((jm) => ({
      volume: jm.volumeName, mediaType: jm.mediaType, sessionId: jm.jobId, startAddr: jm.startAddr, endAddr: jm.endAddr,
      fileIndexes: [{ first: jm.firstIndex, last: jm.lastIndex }],
    })),
  };
}
