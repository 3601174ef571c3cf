/**
 * Restores from volumes without a Director or Storage daemon (bextract): reads each
 * job session of a read plan (from a bootstrap, or every session on the volumes named)
 * with the Storage daemon's volume reader, and hands the records of the selected files
 * to the File daemon's own RestoreWriter, session after session as a restore job does.
 * So a file comes back exactly as a restore job brings it back: names as bytes,
 * attributes, hard links, sparse files, xattrs, ACLs, digests checked.
 */
import { burrow } from '@burrow/common/proto/index';
import { readProblem, readVolumes, WantedFiles, type CompleteRecord, type FileRef, type OpenVolume, type SessionPart } from '@burrow/storage-daemon/offline/index';
import type { FileRecord } from '../backup/index.js';
import type { NameSelection } from './selection.js';

/** Where the selected records go: a RestoreWriter, whose contract this is. */
export interface RecordWriter {
  startSession(sessionId: number): Promise<void>;
  accept(rec: FileRecord): Promise<void>;
}

export interface ExtractOptions {
  parts: readonly SessionPart[];
  open: OpenVolume;
  writer: RecordWriter;
  /** Which files to restore (-i, -e); every file when absent. */
  selection?: NameSelection;
  /**
   * Data lost on a volume (an error), and whose when the volume knows (a session and
   * file index); or damage undone with nothing lost (a warning).
   */
  onProblem: (text: string, file: FileRef | undefined, severity: 'error' | 'warning') => void;
  /** Each file selected, with its session (for -v). */
  onFile?: (path: Buffer, sessionId: number) => void;
  signal: AbortSignal;
}

export interface ExtractTotals {
  /** Files whose attributes were read and selected. */
  selected: number;
  /** Errors reported through onProblem (warnings not counted). */
  problems: number;
}

export async function extractSessions(o: ExtractOptions): Promise<ExtractTotals> {
  const totals: ExtractTotals = { selected: 0, problems: 0 };
  const problem = (text: string, file?: FileRef, severity: 'error' | 'warning' = 'error'): void => {
    if (severity === 'error') totals.problems++;
    o.onProblem(text, file, severity);
  };
  for (const part of o.parts) {
    const wanted = new WantedFiles(part);
    await o.writer.startSession(part.sessionId);
    /** The file whose attributes the selection refused: its other records are dropped too. */
    let skipped = 0;
    const items = readVolumes({ openVolume: o.open, volumes: part.volumes, sessionId: part.sessionId, signal: o.signal });
    /** The highest file index the session's records or end label show (for a session read whole). */
    let highest = 0;
    let ended = false;
    for await (const item of items) {
      if (item.kind === 'session-end') {
        ended = true;
        highest = Math.max(highest, Number(item.label.files));
      }
      if (item.kind !== 'record') {
        const p = readProblem(item);
        if (p !== undefined) problem(p.text, p.file, p.severity);
        continue;
      }
      highest = Math.max(highest, item.fileIndex);
      if (item.stream === burrow.Stream.STREAM_ATTRIBUTES) {
        wanted.found(item.fileIndex);
        const path = pathOf(item);
        if (path !== undefined && o.selection !== undefined && !o.selection(path)) {
          skipped = item.fileIndex;
          continue;
        }
        skipped = 0;
        totals.selected++;
        if (path !== undefined) o.onFile?.(path, part.sessionId);
      } else if (item.fileIndex === skipped) {
        item.release?.();
        continue;
      }
      await o.writer.accept(item);
    }
    if (part.volumes.every((v) => v.fileIndexes === undefined)) {
      wanted.wantUpTo(highest);
      // A volume cut short, or the session's last volume not given: how many files came after, only its end label says.
      if (!ended) problem(`JobId ${part.sessionId}: its end-of-session label was not found on the volumes read: files after FileIndex ${highest} may be missing`);
    }
    for (const line of wanted.missing()) problem(line.text, line.file);
  }
  return totals;
}

/** The saved path of an attributes record; undefined when undecodable (the writer reports it). */
function pathOf(rec: CompleteRecord): Buffer | undefined {
  try {
    return Buffer.from(burrow.FileAttributes.decode(rec.data).path);
  } catch {
    return undefined;
  }
}
