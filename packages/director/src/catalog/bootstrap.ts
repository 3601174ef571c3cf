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
export function buildBootstrap(rows: ReadonlyArray<Pick<RestoreFileRow, 'jobId' | 'fileIndex' | 'volumeName' | 'addr'>>,
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
  // A reader must meet a job's volumes in the order it wrote them.
  const volIndex = new Map(jobMedia.map((jm) => [`${jm.jobId}:${jm.volumeName}`, jm.volIndex]));

  const out: BootstrapEntry[] = [];
  for (const [volumeName, sessions] of volumes) {
    for (const jobId of [...sessions.keys()].sort((a, b) => a - b)) {
      const s = sessions.get(jobId);
      if (s === undefined) continue;
      out.push({ volumeName, sessionId: jobId, startAddr: s.startAddr,
        fileIndexes: [...s.indexes].sort((a, b) => a - b) });
    }
  }
  if (jobMedia.length === 0) return out;
  return out.sort((a, b) => a.sessionId - b.sessionId
    || (volIndex.get(`${a.sessionId}:${a.volumeName}`) ?? 0) - (volIndex.get(`${b.sessionId}:${b.volumeName}`) ?? 0));
}
