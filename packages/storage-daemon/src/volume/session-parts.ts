/**
 * A read plan: per job session, the volumes it is read from, in order, each from a
 * start address and with the wanted file indexes. Made from a bootstrap (a restore's
 * selection, which the Director sends as SdRestoreSession.volumes and the tools read
 * from a .bsr file), or from the session labels of volumes read whole (bextract and
 * bscan without a bootstrap).
 */
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import type { BlockAddress } from '../devices/drive.js';
import type { VolumeToRead } from './multi-volume-reader.js';
import type { FileRef, VolumeItem } from './reader.js';

export interface SessionPart {
  sessionId: number;
  volumes: VolumeToRead[];
}

/** One volume of one session, as a bootstrap's section names it. */
export interface SessionVolume {
  volumeName: string;
  sessionId: number;
  startAddr: BlockAddress;
  /** Wanted file indexes; all when absent. */
  fileIndexes?: Iterable<number>;
}

/** Consecutive entries of one session are read as one multi-volume run. */
export function groupBySession(volumes: Iterable<SessionVolume>): SessionPart[] {
  const parts: SessionPart[] = [];
  for (const v of volumes) {
    const { sessionId } = v;
    let last = parts[parts.length - 1];
    if (!last || last.sessionId !== sessionId) {
      last = { sessionId, volumes: [] };
      parts.push(last);
    }
    last.volumes.push({ volumeName: v.volumeName, startAddr: v.startAddr, fileIndexes: v.fileIndexes });
  }
  return parts;
}

/** The plan of a bootstrap read from a file (the Director sends its own as SdRestoreSession.volumes). */
export function partsOfBootstrap(b: Bootstrap): SessionPart[] {
  return groupBySession(b.sections.map((s) => {
    const fileIndexes: number[] = [];
    for (const r of s.fileIndexes) for (let i = r.first; i <= r.last; i++) fileIndexes.push(i);
    return { volumeName: s.volume, sessionId: s.sessionId, startAddr: s.startAddr, fileIndexes };
  }));
}

/**
 * Collects, from the items of volumes read in order, where each session starts on each
 * volume (its session-start label, continued or not): every file of every session.
 * Sessions come in the order their first label was seen, so a Full read before the
 * Incremental written after it on the same volumes is restored first.
 */
export class SessionPlanner {
  private readonly parts = new Map<number, SessionPart>();

  see(volumeName: string, item: VolumeItem): void {
    if (item.kind !== 'session-start') return;
    let part = this.parts.get(item.sessionId);
    if (part === undefined) {
      part = { sessionId: item.sessionId, volumes: [] };
      this.parts.set(item.sessionId, part);
    }
    if (part.volumes.at(-1)?.volumeName !== volumeName) part.volumes.push({ volumeName, startAddr: item.addr });
  }

  plan(): SessionPart[] {
    return [...this.parts.values()];
  }
}

/** Lines naming wanted files one by one, at most; the rest are counted in one line. */
const MAX_NAMED_MISSING = 100;

/**
 * The wanted files of one session whose attributes record has not come by. Those left
 * at the end were lost with a damaged or missing part of the volume, often without
 * any other line naming them (a small file wholly inside a bad block): each is
 * reported by number, for the Director to name.
 */
export class WantedFiles {
  private readonly left = new Set<number>();

  constructor(private readonly part: SessionPart) {
    for (const v of part.volumes) for (const i of v.fileIndexes ?? []) this.left.add(i);
  }

  /** Indexes whose attributes came by (kept only for wantUpTo). */
  private readonly seen = new Set<number>();

  found(fileIndex: number): void {
    this.left.delete(fileIndex);
    this.seen.add(fileIndex);
  }

  /**
   * A session read whole, with no list of wanted files: its files are numbered 1, 2,
   * 3... so every index up to the highest its records or end label show is wanted,
   * and one whose attributes never came was lost in a damaged block, often wholly
   * inside it with nothing else naming it.
   */
  wantUpTo(highest: number): void {
    for (let i = 1; i <= highest; i++) if (!this.seen.has(i)) this.left.add(i);
  }

  *missing(): Generator<{ text: string; file?: FileRef }> {
    const { sessionId } = this.part;
    const volumes = this.part.volumes.map((v) => v.volumeName).join(', ');
    let named = 0;
    for (const fileIndex of [...this.left].sort((a, b) => a - b)) {
      if (named === MAX_NAMED_MISSING) break;
      named++;
      yield { text: `not restored: its attributes record was not found on Volume ${volumes} (damaged or missing data)`, file: { sessionId, fileIndex } };
    }
    const more = this.left.size - named;
    if (more > 0) yield { text: `${more} more files of JobId ${sessionId} not restored: their attributes records were not found on Volume ${volumes}` };
  }
}

/**
 * What a reader tells about an item that is not a record or a label: where data was
 * lost, and whose (an error), or where damage was undone (a warning: nothing lost).
 */
export function readProblem(item: VolumeItem): { text: string; file?: FileRef; severity: 'error' | 'warning' } | undefined {
  const problem = readError(item);
  if (problem !== undefined) return { ...problem, severity: 'error' };
  return item.kind === 'repaired' ? { text: `damaged block on Volume at address ${item.addr}, repaired: ${item.message}`, severity: 'warning' } : undefined;
}

function readError(item: VolumeItem): { text: string; file?: FileRef } | undefined {
  switch (item.kind) {
    case 'error':
      return { text: `damaged data on Volume at address ${item.addr}: ${item.message}`, file: item.file };
    case 'truncated':
      return { text: `Volume ends inside the block at address ${item.addr}: ${item.message}` };
    case 'incomplete':
      return { text: `record of file ${item.fileIndex} is cut off at the end of the last volume`, file: fileOf(item) };
    case 'unfinished':
      return { text: `record of file ${item.fileIndex} was never finished: its job ended with status ${item.status} while writing it`, file: fileOf(item) };
    default:
      return undefined;
  }
}

function fileOf(item: FileRef): FileRef {
  return { sessionId: item.sessionId, fileIndex: item.fileIndex };
}
