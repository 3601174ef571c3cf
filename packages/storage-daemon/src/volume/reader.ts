/**
 * Reads a volume from an address and yields what it holds: labels, whole records
 * (reassembled per session) and notes about damage. A damaged block is reported with
 * its address and reading resumes at the next block that verifies; a volume cut short
 * ends with a note. This is what bls, bextract, bscan and the restore path build on.
 */
import type { burrow } from '@burrow/common/proto/generated';
import { volumeFiles, type BlockAddress, type ReadVolume } from '../devices/drive.js';
import { BLOCK_HEADER_SIZE, isLabelBlock, type BlockHeader } from './block.js';
import { decodeLabelPayload } from './labels.js';
import { Reassembly, type CompleteRecord, type FragmentPlace, type PendingRecord } from './reassembly.js';
import type { LentBlock } from '../devices/block-buffers.js';
import { decodeRecords, RECORD_HEADER_SIZE } from './record.js';

/** A file of a session's job, by its index: what a volume knows a lost record by. */
export interface FileRef {
  sessionId: number;
  fileIndex: number;
}

export type VolumeItem =
  | { kind: 'volume-label'; addr: BlockAddress; label: burrow.VolumeLabel }
  | { kind: 'session-start'; addr: BlockAddress; sessionId: number; label: burrow.SessionLabel }
  | { kind: 'session-end'; addr: BlockAddress; sessionId: number; label: burrow.SessionLabel }
  /** A whole record; addr and volumeName locate the block where it started. */
  | ({ kind: 'record' } & CompleteRecord)
  /**
   * A damaged block, or records lost because fragments are missing; `file` is the file
   * whose record was lost, where the reader knows it.
   */
  | { kind: 'error'; addr: BlockAddress; message: string; file?: FileRef }
  /** A record that goes on past the end of this volume (on the session's next volume). */
  | ({ kind: 'incomplete' } & PendingRecord)
  /**
   * A record its job never finished: the job failed or was canceled while writing it
   * (a daemon was killed), and its end-of-session label (at labelAddr, with the job's
   * status) says so. What the job left is read clean; this record is not restorable.
   */
  | ({ kind: 'unfinished'; status: string; labelAddr: BlockAddress } & PendingRecord)
  /** A block with one flipped bit, undone (volume/block.ts checkBlock): nothing lost, the medium is suspect. */
  | { kind: 'repaired'; addr: BlockAddress; message: string }
  /** The volume ends inside a block: the readable data ends at addr. */
  | { kind: 'truncated'; addr: BlockAddress; message: string }
  /**
   * A block that verified (only with `reportBlocks`), before its records: bscan counts a
   * volume's blocks and bytes and each session's first and last file index and block
   * on it, as the SD counted them while writing (volume-usage.ts). `bytes`: header and
   * payload; `firstIndex`/`lastIndex`: the file indexes of its fragments, 0 when none.
   */
  /**
   * volFiles: the volume's files (VolFiles, devices/drive.ts volumeFiles) were its data to
   * end after this block; tapeFile: on tape, the tape file the block is in.
   */
  | { kind: 'block'; addr: BlockAddress; sessionId: number; label: boolean; bytes: number; firstIndex: number; lastIndex: number; volFiles: number; tapeFile?: number | undefined };

export interface ReadVolumeOptions {
  /** Where to start; the volume's first block by default. */
  startAddr?: BlockAddress;
  /** Only this session's blocks (the volume label is always yielded). */
  sessionId?: number;
  /**
   * Only these files' records. With `sessionId`, reading stops at the first record of
   * that session past the highest wanted index, or at its end-of-session label.
   */
  fileIndexes?: Iterable<number>;
  /** Carries unfinished records from the previous volume's reader to this one. */
  reassembly?: Reassembly;
  /** Yield an 'incomplete' item per record left unfinished at the end (default true). */
  reportIncomplete?: boolean;
  /** Yield a 'block' item per block that verifies (default false). */
  reportBlocks?: boolean;
  signal?: AbortSignal;
}

interface ReadContext {
  volume: ReadVolume;
  opts: ReadVolumeOptions;
  reassembly: Reassembly;
  wanted: (fileIndex: number) => boolean;
  maxWanted: number | undefined;
  /** Per session, the session block number last seen on this volume. */
  lastBlock: Map<number, number>;
  /** Sessions whose next data block may open with the tail of an unseen record. */
  midRecord: Set<number>;
}

/** Yields the volume's items in order; see VolumeItem. */
export async function* readVolume(volume: ReadVolume, opts: ReadVolumeOptions = {}): AsyncGenerator<VolumeItem, void> {
  const indexes = opts.fileIndexes === undefined ? undefined : new Set(opts.fileIndexes);
  const ctx: ReadContext = {
    volume, opts,
    reassembly: opts.reassembly ?? new Reassembly(),
    wanted: indexes === undefined ? () => true : (i) => indexes.has(i),
    maxWanted: highest(indexes),
    lastBlock: new Map(),
    midRecord: new Set(),
  };
  let addr = opts.startAddr ?? volume.firstAddress();
  for (;;) {
    const read = await volume.readBlock(addr, opts.signal);
    if (read.kind === 'end') break;
    if (read.kind !== 'block') {
      const next = await volume.findNextBlock(addr, opts.signal);
      if (next === null && read.kind === 'truncated') {
        yield { kind: 'truncated', addr, message: `volume ${volume.volumeName} is cut short at ${addr}: ${read.problem}` };
        break;
      }
      yield { kind: 'error', addr, message: `volume ${volume.volumeName}: bad block at ${addr}: ${read.problem}` };
      if (next === null) break;
      addr = next;
      continue;
    }
    addr = read.nextAddr;
    const { header } = read;
    let stop = false;
    // The reader's own hold on a lent buffer ends with the block; its records hold it on their own.
    try {
      if (readsOn(ctx, header, read.payload)) volume.readAhead?.(addr);
      if (header.sessionId !== 0 && opts.sessionId !== undefined && header.sessionId !== opts.sessionId) continue;
      if (read.repaired !== undefined) yield { kind: 'repaired', addr: read.addr, message: `volume ${volume.volumeName}: block at ${read.addr}: ${read.repaired}` };
      if (opts.reportBlocks === true) yield blockItem(read, header, volume.tape === true);
      for (const item of isLabelBlock(header) ? labelItems(ctx, header, read) : dataItems(ctx, header, read)) {
        if (item === STOP) stop = true;
        else yield item;
      }
    } finally {
      read.lent?.letGo();
    }
    if (stop) return;
  }
  if (opts.reportIncomplete ?? true) {
    for (const pending of ctx.reassembly.pending()) yield { kind: 'incomplete', ...pending };
  }
}

/**
 * Whether the reader will want the block after this one, so it may be read while this
 * one's records are sent: not when this block ends the wanted session or already holds
 * a record past the last wanted file (a one-file restore reads its block, not a MiB
 * more). A damaged payload says yes: the reader resynchronises further on.
 */
function readsOn(ctx: ReadContext, header: BlockHeader, payload: Buffer): boolean {
  if (ctx.opts.sessionId === undefined || header.sessionId !== ctx.opts.sessionId) return true;
  try {
    if (isLabelBlock(header)) return decodeLabelPayload(payload).kind !== 'session-end';
    if (ctx.maxWanted === undefined) return true;
    const last = decodeRecords(payload).at(-1);
    return last === undefined || last.fileIndex <= ctx.maxWanted;
  } catch {
    return true;
  }
}

/** The highest wanted index (a loop: a bootstrap may list millions of files). */
function highest(indexes: ReadonlySet<number> | undefined): number | undefined {
  if (indexes === undefined || indexes.size === 0) return undefined;
  let max = -Infinity;
  for (const i of indexes) if (i > max) max = i;
  return max;
}

/** The 'block' item of a block that verified. */
function blockItem(read: { addr: BlockAddress; nextAddr: BlockAddress; payload: Buffer }, header: BlockHeader, tape: boolean): VolumeItem {
  const { addr, payload } = read;
  const label = isLabelBlock(header);
  let firstIndex = 0;
  let lastIndex = 0;
  if (!label) {
    try {
      for (const f of decodeRecords(payload)) {
        if (firstIndex === 0 || f.fileIndex < firstIndex) firstIndex = f.fileIndex;
        if (f.fileIndex > lastIndex) lastIndex = f.fileIndex;
      }
    } catch {
      // Reported as damage when its records are read.
    }
  }
  const tapeFile = tape ? Math.floor(addr / 2 ** 32) : undefined;
  const volFiles = volumeFiles({ tapeFile, endAddr: read.nextAddr });
  return { kind: 'block', addr, sessionId: header.sessionId, label, bytes: BLOCK_HEADER_SIZE + header.payloadLength, firstIndex, lastIndex, volFiles, tapeFile };
}

const STOP = Symbol('stop');
type Step = VolumeItem | typeof STOP;

interface ReadBlock { addr: BlockAddress; payload: Buffer; lent?: LentBlock | undefined }

function* labelItems(ctx: ReadContext, header: BlockHeader, block: ReadBlock): Generator<Step> {
  let decoded;
  try {
    decoded = decodeLabelPayload(block.payload);
  } catch (err) {
    yield { kind: 'error', addr: block.addr, message: `bad label block at ${block.addr}: ${(err as Error).message}` };
    return;
  }
  if (decoded.kind === 'volume') {
    yield { kind: 'volume-label', addr: block.addr, label: decoded.label };
    return;
  }
  const sessionId = header.sessionId;
  const previous = ctx.lastBlock.get(sessionId);
  ctx.lastBlock.set(sessionId, header.sessionBlockNumber);
  if (decoded.kind === 'session-start') {
    // A fresh session here means an unfinished record of an earlier one can never complete.
    if (!decoded.label.continued) yield* lostRecord(ctx, sessionId, block.addr);
    else if (!ctx.reassembly.hasPartial(sessionId)) ctx.midRecord.add(sessionId);
    yield { kind: 'session-start', addr: block.addr, sessionId, label: decoded.label };
    return;
  }
  const { status } = decoded.label;
  const noGap = previous !== undefined && header.sessionBlockNumber === previous + 1;
  if (noGap && endedBadly(status)) {
    // Its last record was cut off by the job's own end (a daemon killed mid-record), not
    // by damage: no block is missing before this label.
    const pending = ctx.reassembly.take(sessionId);
    if (pending !== undefined) yield { kind: 'unfinished', status, labelAddr: block.addr, ...pending };
  }
  yield* lostRecord(ctx, sessionId, block.addr);
  yield { kind: 'session-end', addr: block.addr, sessionId, label: decoded.label };
  if (ctx.opts.sessionId === sessionId) yield STOP;
}

function* dataItems(ctx: ReadContext, header: BlockHeader, block: ReadBlock): Generator<Step> {
  const { sessionId } = header;
  const previous = ctx.lastBlock.get(sessionId);
  ctx.lastBlock.set(sessionId, header.sessionBlockNumber);
  if (previous !== undefined && header.sessionBlockNumber !== previous + 1) {
    yield* lostRecord(ctx, sessionId, block.addr);
  }
  const maybeMidRecord = previous === undefined || ctx.midRecord.has(sessionId);
  ctx.midRecord.delete(sessionId);
  let frags;
  try {
    frags = decodeRecords(block.payload);
  } catch (err) {
    yield { kind: 'error', addr: block.addr, message: `bad records in block at ${block.addr}: ${(err as Error).message}` };
    yield* lostRecord(ctx, sessionId, block.addr);
    return;
  }
  const { lent } = block;
  // The block's bytes are the reader's own (a buffer per read, or lent to it): once decoded, a record's header may be overwritten.
  const place: FragmentPlace = {
    sessionId, addr: block.addr, volumeName: ctx.volume.volumeName, maybeMidRecord,
    hold: lent === undefined ? undefined : () => lent.hold(), room: RECORD_HEADER_SIZE,
  };
  for (const frag of frags) {
    if (ctx.opts.sessionId === sessionId && ctx.maxWanted !== undefined
      && frag.fileIndex > ctx.maxWanted && !ctx.reassembly.hasPartial(sessionId)) {
      yield STOP;
      return;
    }
    for (const outcome of ctx.reassembly.add(frag, place, ctx.wanted)) {
      yield outcome.kind === 'record'
        ? { kind: 'record', ...outcome.record }
        : { kind: 'error', addr: block.addr, message: outcome.message, file: { sessionId, fileIndex: outcome.fileIndex } };
    }
    place.maybeMidRecord = false;
  }
}

function* lostRecord(ctx: ReadContext, sessionId: number, addr: BlockAddress): Generator<Step> {
  const lost = ctx.reassembly.drop(sessionId);
  if (lost !== undefined) yield { kind: 'error', addr, message: lost.message, file: { sessionId, fileIndex: lost.fileIndex } };
}

/**
 * A session-end status of a job that did not end well: Bareos's letters for error,
 * fatal error and canceled. T and W end well; an empty status (no writer leaves one)
 * counts as unknown, so an unfinished record before it stays damage.
 */
function endedBadly(status: string): boolean {
  return status !== '' && status !== 'T' && status !== 'W';
}

/** The items of one kind, typed (tools and tests). */
export function itemsOfKind<K extends VolumeItem['kind']>(items: readonly VolumeItem[], kind: K): Extract<VolumeItem, { kind: K }>[] {
  return items.filter((i): i is Extract<VolumeItem, { kind: K }> => i.kind === kind);
}

/** Collects a volume's items into an array (small volumes, tests, tools). */
export async function collectVolume(volume: ReadVolume, opts?: ReadVolumeOptions): Promise<VolumeItem[]> {
  const out: VolumeItem[] = [];
  for await (const item of readVolume(volume, opts)) out.push(item);
  return out;
}
