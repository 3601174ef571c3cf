/**
 * Bootstraps from the catalog (the model is @burrow/common/bootstrap): what a restore
 * or a volume verify reads, from the files chosen, and what a backup wrote (its
 * `Write Bootstrap`), from its JobMedia rows, one section per volume, as Bareos writes it.
 */
import { rangeSize, rangesOf, type Bootstrap, type BootstrapSection } from '@burrow/common/bootstrap/bootstrap';
import type { JobMediaRow, RestoreFileRow } from './types.js';

/** What the bootstrap needs of one chosen file. */
export type ChosenFile = Pick<RestoreFileRow, 'jobId' | 'fileIndex' | 'volumeName' | 'addr'>;

/** One (volume, job session) of a bootstrap being built: file indexes as numbers, sorted once at the end. */
interface SessionPart {
  startAddr: number;
  indexes: number[];
  sorted: boolean;
}

/** Where a volume's first file is in the order a reader meets files: (job id, file index). */
interface VolumeParts {
  firstJob: number;
  firstIndex: number;
  sessions: Map<number, SessionPart>;
}

/**
 * Turns the files chosen for a restore into what the Storage daemon reads: one section
 * per (volume, job session) with the smallest block address to position to and the
 * wanted file indexes. Files may be added in any order, one at a time, so a restore of
 * a million files never holds a million objects: a number per file. Volumes go in the
 * order a reader first needs them (by the job id and file index of their first chosen
 * file, so it moves forward through a multi-volume chain instead of swapping back and
 * forth); within a volume, sessions go by job id.
 *
 * A file whose records run on past the end of its volume is also wanted on the job's
 * next volume: given the jobs' JobMedia rows, such a file gets a section on the volume
 * where it continues, starting at that JobMedia's start address. The JobMedia rows
 * also give each section its Media Type and the session's last block on the volume.
 */
export class BootstrapBuilder {
  private readonly volumes = new Map<string, VolumeParts>();
  private files = 0;

  /** How many files were added (a file added twice counts twice). */
  get count(): number {
    return this.files;
  }

  add(f: ChosenFile): void {
    this.files++;
    let v = this.volumes.get(f.volumeName);
    if (v === undefined) this.volumes.set(f.volumeName, v = { firstJob: f.jobId, firstIndex: f.fileIndex, sessions: new Map() });
    else if (f.jobId < v.firstJob || (f.jobId === v.firstJob && f.fileIndex < v.firstIndex)) {
      v.firstJob = f.jobId;
      v.firstIndex = f.fileIndex;
    }
    const s = v.sessions.get(f.jobId);
    if (s === undefined) v.sessions.set(f.jobId, { startAddr: f.addr, indexes: [f.fileIndex], sorted: true });
    else {
      s.startAddr = Math.min(s.startAddr, f.addr);
      if (s.sorted && f.fileIndex < (s.indexes[s.indexes.length - 1] ?? 0)) s.sorted = false;
      s.indexes.push(f.fileIndex);
    }
  }

  /** Whether file `fileIndex` of job `jobId` was added, on any volume. */
  has(jobId: number, fileIndex: number): boolean {
    for (const v of this.volumes.values()) {
      const s = v.sessions.get(jobId);
      if (s !== undefined && binarySearch(sortedIndexes(s), fileIndex)) return true;
    }
    return false;
  }

  /** The volumes in the order a reader needs them. */
  volumeNames(): string[] {
    return [...this.volumes.entries()]
      .sort(([, a], [, b]) => a.firstJob - b.firstJob || a.firstIndex - b.firstIndex)
      .map(([name]) => name);
  }

  /** The bootstrap, once every file is added (it adds the continued files itself: call it once). */
  build(jobMedia: readonly JobMediaRow[] = []): Bootstrap {
    // A file that runs over a volume change is the last of one JobMedia and the first of
    // the job's next; it may run over several volumes, so every link of the chain counts.
    const byPlace = new Map(jobMedia.map((jm) => [`${jm.jobId}:${jm.volIndex}`, jm]));
    const continued = jobMedia.filter((jm) => {
      const prev = byPlace.get(`${jm.jobId}:${jm.volIndex - 1}`);
      return prev !== undefined && prev.lastIndex === jm.firstIndex && this.has(jm.jobId, jm.firstIndex);
    });
    for (const jm of continued) this.add({ volumeName: jm.volumeName, jobId: jm.jobId, addr: jm.startAddr, fileIndex: jm.firstIndex });
    const onVolume = new Map(jobMedia.map((jm) => [`${jm.jobId}:${jm.volumeName}`, jm]));

    const sections: BootstrapSection[] = [];
    for (const volume of this.volumeNames()) {
      const sessions = this.volumes.get(volume)?.sessions ?? new Map<number, SessionPart>();
      for (const jobId of [...sessions.keys()].sort((a, b) => a - b)) {
        const s = sessions.get(jobId);
        if (s === undefined) continue;
        const jm = onVolume.get(`${jobId}:${volume}`);
        const fileIndexes = rangesOf(s.indexes);
        sections.push({
          volume, ...(jm ? { mediaType: jm.mediaType } : {}), sessionId: jobId,
          startAddr: s.startAddr, endAddr: Math.max(jm?.endAddr ?? s.startAddr, s.startAddr),
          fileIndexes, count: rangeSize(fileIndexes),
        });
      }
    }
    // A reader must meet a job's volumes in the order it wrote them.
    if (jobMedia.length > 0) {
      sections.sort((a, b) => a.sessionId - b.sessionId || (onVolume.get(`${a.sessionId}:${a.volume}`)?.volIndex ?? 0) - (onVolume.get(`${b.sessionId}:${b.volume}`)?.volIndex ?? 0));
    }
    return { sections };
  }
}

function sortedIndexes(s: SessionPart): number[] {
  if (!s.sorted) {
    s.indexes.sort((a, b) => a - b);
    s.sorted = true;
  }
  return s.indexes;
}

function binarySearch(sorted: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The bootstrap of `rows` (see BootstrapBuilder). */
export function buildBootstrap(rows: Iterable<ChosenFile>, jobMedia: readonly JobMediaRow[] = []): Bootstrap {
  const b = new BootstrapBuilder();
  for (const r of rows) b.add(r);
  return b.build(jobMedia);
}

/**
 * What a backup wrote (Bareos's Write Bootstrap): a section per volume the job's
 * JobMedia rows name, in their order, with its whole range of file indexes. The rows
 * of one stay on a volume (one per tape file at Maximum File Size, one per despool)
 * make one section: from the first one's start to the last one's end, read in one go.
 */
export function jobBootstrap(jobMedia: readonly JobMediaRow[]): Bootstrap {
  const sections: BootstrapSection[] = [];
  for (const jm of jobMedia.filter((row) => row.lastIndex >= row.firstIndex && row.firstIndex > 0)) {
    const last = sections.at(-1);
    const range = last?.fileIndexes[0];
    if (last !== undefined && range !== undefined && last.volume === jm.volumeName && last.sessionId === jm.jobId) {
      last.endAddr = Math.max(last.endAddr, jm.endAddr);
      range.last = Math.max(range.last, jm.lastIndex);
      continue;
    }
    sections.push({
      volume: jm.volumeName, mediaType: jm.mediaType, sessionId: jm.jobId, startAddr: jm.startAddr, endAddr: jm.endAddr,
      fileIndexes: [{ first: jm.firstIndex, last: jm.lastIndex }],
    });
  }
  return { sections };
}
