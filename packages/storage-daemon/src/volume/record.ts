/**
 * Records inside a block payload (docs/volume-format.md, "Records"): a 16-byte header
 * and data. A record too large for the room left in a block travels as fragments
 * in consecutive blocks of its session; the two flag bits tie them together.
 */
import { BurrowError } from '@burrow/common/errors/index';

export const RECORD_HEADER_SIZE = 16;
/** Flags bit 0: the record continues in the session's next block. */
export const RECORD_CONTINUES = 1;
/** Flags bit 1: this fragment continues one from the session's previous block. */
export const RECORD_CONTINUED = 2;

/** One fragment as stored: a whole record when neither flag is set. */
export interface RecordFragment {
  /** ≥ 1 for the files of a job, negative for labels. */
  fileIndex: number;
  stream: number;
  flags: number;
  data: Buffer;
}

export function fragmentSize(dataLength: number): number {
  return RECORD_HEADER_SIZE + dataLength;
}

/** Writes one fragment into `target` at `offset`; returns the offset after it. */
export function writeFragment(target: Buffer, offset: number, frag: RecordFragment): number {
  if (offset + fragmentSize(frag.data.length) > target.length) {
    throw new BurrowError('INTERNAL', 'record fragment does not fit the block');
  }
  target.writeInt32BE(frag.fileIndex, offset);
  target.writeUInt32BE(frag.stream, offset + 4);
  target.writeUInt32BE(frag.data.length, offset + 8);
  target.writeUInt8(frag.flags, offset + 12);
  target.fill(0, offset + 13, offset + RECORD_HEADER_SIZE);
  frag.data.copy(target, offset + RECORD_HEADER_SIZE);
  return offset + fragmentSize(frag.data.length);
}

export function encodeRecords(frags: readonly RecordFragment[]): Buffer {
  const total = frags.reduce((n, f) => n + fragmentSize(f.data.length), 0);
  const buf = Buffer.alloc(total);
  let offset = 0;
  for (const frag of frags) offset = writeFragment(buf, offset, frag);
  return buf;
}

/**
 * Splits a payload into its fragments. The data slices share memory with `payload`.
 * A payload whose records do not tile it exactly is damaged: the block CRC passed,
 * so this means a writer bug or a forged block, and the whole block is refused.
 */
export function decodeRecords(payload: Buffer): RecordFragment[] {
  const out: RecordFragment[] = [];
  let offset = 0;
  while (offset < payload.length) {
    if (payload.length - offset < RECORD_HEADER_SIZE) {
      throw new BurrowError('VOLUME_FORMAT', `record header cut short at payload offset ${offset}`);
    }
    const length = payload.readUInt32BE(offset + 8);
    const start = offset + RECORD_HEADER_SIZE;
    if (length > payload.length - start) {
      throw new BurrowError('VOLUME_FORMAT', `record at payload offset ${offset} overruns its block`);
    }
    out.push({
      fileIndex: payload.readInt32BE(offset),
      stream: payload.readUInt32BE(offset + 4),
      flags: payload.readUInt8(offset + 12),
      data: payload.subarray(start, start + length),
    });
    offset = start + length;
  }
  return out;
}
