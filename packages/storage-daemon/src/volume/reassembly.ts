/**
 * Puts records back together from their fragments, per session, so sessions that
 * interleave on a volume reassemble independently. The state outlives one volume's
 * reader: handing it to the reader of the next volume lets a record that continues
 * there complete (see multi-volume-reader.ts).
 */
import { RECORD_CONTINUED, RECORD_CONTINUES, type RecordFragment } from './record.js';

/**
 * Buffers lent for records and given back (the network's FramePool fits; the volume
 * code names only what it needs of it, knowing nothing of the network).
 */
export interface RecordBufferPool {
  /** A buffer of `length` bytes, `pooled` when it must be given back to serve again. */
  take(length: number): { frame: Buffer; pooled: boolean };
  give(view: Buffer): void;
}

interface PartialRecord {
  fileIndex: number;
  stream: number;
  chunks: Buffer[];
  /** Per kept chunk that lies in a lent block buffer, its hold (FragmentPlace.hold), let go once the record is put together or lost. */
  holds: Array<() => void>;
  bytes: number;
  /** Where the record started: the block address and its volume. */
  addr: number;
  volumeName: string;
  /** An unwanted record: fragments are followed but not kept. */
  skip: boolean;
  /** Its first fragment's FragmentPlace.room (what a record of that fragment alone offers). */
  room: number;
}

export interface CompleteRecord {
  sessionId: number;
  fileIndex: number;
  stream: number;
  data: Buffer;
  addr: number;
  volumeName: string;
  /** `data` was put together in a pooled buffer: call once wholly done with it, so it serves again. */
  release?: () => void;
  /**
   * Bytes right in front of `data` in its memory that the consumer may overwrite: the
   * record's header in its block (already read), so a restore seals its wire frame in
   * place instead of copying the record behind a new header. 0 or absent: none.
   */
  room?: number;
}

export interface PendingRecord {
  sessionId: number;
  fileIndex: number;
  stream: number;
  bytes: number;
  addr: number;
  volumeName: string;
}

/**
 * What was lost, and whose: `fileIndex` is the file (of the session's job) whose record
 * it was, so a restore can name it from the catalog (the volume knows only the index).
 */
export interface LostRecord {
  message: string;
  fileIndex: number;
}

export type FragmentOutcome =
  | { kind: 'record'; record: CompleteRecord }
  | ({ kind: 'problem' } & LostRecord);

/** Where a fragment sits: its session, block address and volume. */
export interface FragmentPlace {
  sessionId: number;
  addr: number;
  volumeName: string;
  /**
   * No earlier block of this session has been seen (reading started mid-session, or a
   * volume is read on its own): a leading continuation is expected, not an error.
   */
  maybeMidRecord: boolean;
  /**
   * The fragment lies in a lent buffer (devices/block-buffers.ts): a hold on it, for a
   * record that keeps a view of it past this block; the function returned lets go.
   */
  hold?: (() => () => void) | undefined;
  /**
   * Bytes in front of the fragment's data that may be overwritten once it was read (its
   * header, in a block only the reader has): a record of this one fragment offers them
   * as its `room`. Absent: none.
   */
  room?: number | undefined;
}

export class Reassembly {
  private readonly partials = new Map<number, PartialRecord>();

  /**
   * @param pool where a record split over blocks is put together (a restore: with 1 MiB
   * records in 1 MiB blocks nearly every one is, and a fresh buffer per record is
   * external memory the collector answers with full collections); absent: a fresh one
   */
  constructor(private readonly pool?: RecordBufferPool) {}

  /**
   * Takes one fragment; `wanted` decides whether a record starting here is kept.
   * Returns what it completed or broke: at most one problem, then at most one record.
   */
  add(frag: RecordFragment, place: FragmentPlace, wanted: (fileIndex: number) => boolean): FragmentOutcome[] {
    const { sessionId } = place;
    const partial = this.partials.get(sessionId);
    if ((frag.flags & RECORD_CONTINUED) !== 0) {
      if (partial === undefined) {
        if (!place.maybeMidRecord) return [problem(`session ${sessionId}: continuation of file ${frag.fileIndex} without its start`, frag.fileIndex)];
        // The tail of a record that started before where reading began: follow it, keep nothing.
        const tail: PartialRecord = {
          fileIndex: frag.fileIndex, stream: frag.stream, chunks: [], holds: [], bytes: frag.data.length,
          addr: place.addr, volumeName: place.volumeName, skip: true, room: 0,
        };
        this.partials.set(sessionId, tail);
        return this.finishIfDone(sessionId, tail, frag.flags);
      }
      if (partial.fileIndex !== frag.fileIndex || partial.stream !== frag.stream) {
        this.partials.delete(sessionId);
        letGo(partial);
        return [problem(`session ${sessionId}: fragment of file ${frag.fileIndex} stream ${frag.stream} does not continue file ${partial.fileIndex} stream ${partial.stream}`, partial.fileIndex)];
      }
      if (!partial.skip) keep(partial, frag.data, place);
      partial.bytes += frag.data.length;
      return this.finishIfDone(sessionId, partial, frag.flags);
    }
    const out: FragmentOutcome[] = [];
    const lost = this.drop(sessionId);
    if (lost !== undefined) out.push({ kind: 'problem', ...lost });
    const started: PartialRecord = {
      fileIndex: frag.fileIndex, stream: frag.stream, chunks: [], holds: [], bytes: frag.data.length,
      addr: place.addr, volumeName: place.volumeName, skip: !wanted(frag.fileIndex), room: place.room ?? 0,
    };
    if (!started.skip) keep(started, frag.data, place);
    this.partials.set(sessionId, started);
    out.push(...this.finishIfDone(sessionId, started, frag.flags));
    return out;
  }

  /** Forgets a session's unfinished record (blocks are missing); says what was lost. */
  drop(sessionId: number): LostRecord | undefined {
    const partial = this.take(sessionId);
    if (partial === undefined) return undefined;
    return {
      message: `session ${sessionId}: record of file ${partial.fileIndex} stream ${partial.stream} lost (${partial.bytes} bytes read)`,
      fileIndex: partial.fileIndex,
    };
  }

  /** Forgets a session's unfinished wanted record and returns it (undefined: none, or unwanted). */
  take(sessionId: number): PendingRecord | undefined {
    const p = this.partials.get(sessionId);
    this.partials.delete(sessionId);
    if (p !== undefined) letGo(p);
    if (p === undefined || p.skip) return undefined;
    return { sessionId, fileIndex: p.fileIndex, stream: p.stream, bytes: p.bytes, addr: p.addr, volumeName: p.volumeName };
  }

  hasPartial(sessionId: number): boolean {
    return this.partials.has(sessionId);
  }

  /** Wanted records still waiting for fragments. */
  pending(): PendingRecord[] {
    const out: PendingRecord[] = [];
    for (const [sessionId, p] of this.partials) {
      if (!p.skip) out.push({ sessionId, fileIndex: p.fileIndex, stream: p.stream, bytes: p.bytes, addr: p.addr, volumeName: p.volumeName });
    }
    return out;
  }

  private finishIfDone(sessionId: number, partial: PartialRecord, flags: number): FragmentOutcome[] {
    if ((flags & RECORD_CONTINUES) !== 0) return [];
    this.partials.delete(sessionId);
    if (partial.skip) return [];
    const record: CompleteRecord = { sessionId, fileIndex: partial.fileIndex, stream: partial.stream, data: EMPTY, addr: partial.addr, volumeName: partial.volumeName };
    const [only] = partial.chunks;
    if (partial.chunks.length === 1 && only !== undefined) {
      // A view of its block: the record's hold on a lent buffer is the record's to let go (when written).
      record.data = only;
      if (partial.room > 0) record.room = partial.room;
      const [held] = partial.holds;
      if (held !== undefined) record.release = held;
      return [{ kind: 'record', record }];
    }
    if (this.pool === undefined) {
      record.data = Buffer.concat(partial.chunks, partial.bytes);
    } else {
      const pool = this.pool;
      const { frame, pooled } = pool.take(partial.bytes);
      let at = 0;
      for (const chunk of partial.chunks) at += chunk.copy(frame, at);
      record.data = frame;
      if (pooled) record.release = () => pool.give(frame);
    }
    letGo(partial); // copied out of the blocks
    return [{ kind: 'record', record }];
  }
}

const EMPTY = Buffer.alloc(0);

/** Keeps a fragment's bytes in a record being put together, holding its lent buffer if it lies in one. */
function keep(partial: PartialRecord, data: Buffer, place: FragmentPlace): void {
  partial.chunks.push(data);
  if (place.hold !== undefined) partial.holds.push(place.hold());
}

/** Lets go of every lent buffer a record being put together held. */
function letGo(partial: PartialRecord): void {
  for (const release of partial.holds.splice(0)) release();
}

function problem(message: string, fileIndex: number): FragmentOutcome {
  return { kind: 'problem', message, fileIndex };
}
