import type { BootstrapEntry, JobMediaRow, RestoreFileRow } from './types.js';

/**
 * Turns the files chosen for a restore into what the Storage daemon reads: one entry
 * per (volume, job session) with the smallest block address to position to and the
 * wanted file indexes, ascending. Volumes keep the order of their first appearance in
 * `rows` (selectRestoreFiles orders them as a reader should visit them); within a
 * volume, sessions go by job id.
 *
 * A file whose records run on past the end of its volume is also wanted on the job's
 * next volume: given the jobs' JobMedia rows, such a file gets an entry on the volume
 * where it continues, starting at that JobMedia's start address.
 */
export function buildBootstrap(rows: readonly RestoreFileRow[],
  jobMedia: readonly JobMediaRow[] = []): BootstrapEntry[] {
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
  for (const r of rows) {
    // The continuation: a later JobMedia of the same job that begins with this file.
    for (const jm of jobMedia) {
      if (jm.jobId === r.jobId && jm.firstIndex === r.fileIndex && jm.volumeName !== r.volumeName
        && continuesAfter(jobMedia, jm, r.volumeName)) {
        add(jm.volumeName, r.jobId, jm.startAddr, r.fileIndex);
      }
    }
  }

  const out: BootstrapEntry[] = [];
  for (const [volumeName, sessions] of volumes) {
    for (const jobId of [...sessions.keys()].sort((a, b) => a - b)) {
      const s = sessions.get(jobId);
      if (s === undefined) continue;
      out.push({ volumeName, sessionId: jobId, startAddr: s.startAddr,
        fileIndexes: [...s.indexes].sort((a, b) => a - b) });
    }
  }
  return out;
}

/** True when `jm` is the job's next volume after a stretch on `fromVolume` ending with jm.firstIndex. */
function continuesAfter(all: readonly JobMediaRow[], jm: JobMediaRow, fromVolume: string): boolean {
  return all.some((p) => p.jobId === jm.jobId && p.volumeName === fromVolume
    && p.volIndex === jm.volIndex - 1 && p.lastIndex === jm.firstIndex);
}
