/**
 * One block of a Burrow volume: a 32-byte header and a payload of records
 * (docs/volume-format.md, "Blocks"). Encoding computes the CRC32C; decoding checks
 * magic, version, length and CRC and says exactly what is wrong, because a reader
 * reports a bad block with its address and then resynchronises.
 */
import { crc32c } from '@node-rs/crc32';
import { BurrowError } from '@burrow/common/errors/index';
import { locateFlippedBit } from './bit-repair.js';

/** `BRWB`, the first four bytes of every block. */
export const BLOCK_MAGIC = 0x42525742;
export const BLOCK_MAGIC_BYTES = Buffer.from('BRWB', 'latin1');
export const BLOCK_VERSION = 1;
export const BLOCK_HEADER_SIZE = 32;
/** Upper bound on a payload (format doc: "at most 16 MiB"). */
export const MAX_BLOCK_PAYLOAD = 16 * 1024 * 1024;
/** Flags bit 0: the block holds exactly one label record. */
export const BLOCK_FLAG_LABEL = 1;

/** Bytes 0–23 of the header are covered by the CRC, which sits at 24. */
const CRC_OFFSET = 24;

export interface BlockHeader {
  flags: number;
  /** Block number within the volume, from 0. */
  blockNumber: number;
  /** The job id owning the block; 0 for the volume label. */
  sessionId: number;
  payloadLength: number;
  /** Block number within the session on this volume, from 0. */
  sessionBlockNumber: number;
  crc: number;
}

export interface Block {
  header: BlockHeader;
  payload: Buffer;
}

/** What a caller supplies to write a block; length and CRC are computed. */
export interface BlockContent {
  flags: number;
  blockNumber: number;
  sessionId: number;
  sessionBlockNumber: number;
  payload: Buffer;
}

export function isLabelBlock(header: BlockHeader): boolean {
  return (header.flags & BLOCK_FLAG_LABEL) !== 0;
}

export function blockSize(payloadLength: number): number {
  return BLOCK_HEADER_SIZE + payloadLength;
}

export function encodeBlock(content: BlockContent): Buffer {
  const { payload } = content;
  const buf = withHeaderRoom(payload);
  return sealBlock(buf, content);
}

/** A copy of `payload` behind BLOCK_HEADER_SIZE bytes of room, ready for sealBlock. */
export function withHeaderRoom(payload: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(BLOCK_HEADER_SIZE + payload.length);
  payload.copy(buf, BLOCK_HEADER_SIZE);
  return buf;
}

/**
 * Fills in the header of a block built in place: `block` is BLOCK_HEADER_SIZE bytes of
 * room followed by the whole payload. Writers that fill their payload behind the room
 * (the session writer) send a block out without copying it again.
 */
export function sealBlock(block: Buffer, header: Omit<BlockContent, 'payload'>): Buffer {
  const payloadLength = block.length - BLOCK_HEADER_SIZE;
  if (payloadLength < 0) throw new BurrowError('INTERNAL', 'block buffer has no room for its header');
  if (payloadLength > MAX_BLOCK_PAYLOAD) {
    throw new BurrowError('INTERNAL', `block payload of ${payloadLength} bytes exceeds ${MAX_BLOCK_PAYLOAD}`);
  }
  block.writeUInt32BE(BLOCK_MAGIC, 0);
  block.writeUInt16BE(BLOCK_VERSION, 4);
  block.writeUInt16BE(header.flags, 6);
  block.writeUInt32BE(header.blockNumber, 8);
  block.writeUInt32BE(header.sessionId, 12);
  block.writeUInt32BE(payloadLength, 16);
  block.writeUInt32BE(header.sessionBlockNumber, 20);
  block.writeUInt32BE(blockCrc(block.subarray(0, CRC_OFFSET), block.subarray(BLOCK_HEADER_SIZE)), CRC_OFFSET);
  return block;
}

function blockCrc(headerStart: Buffer, payload: Buffer): number {
  return crc32c(payload, crc32c(headerStart)) >>> 0;
}

export type HeaderParse = { ok: true; header: BlockHeader } | { ok: false; problem: string };

/**
 * Parses the 32 header bytes without looking at the payload. Fails on a wrong magic,
 * an unknown version or an impossible length; the CRC is checked by verifyBlock.
 */
export function parseBlockHeader(buf: Buffer): HeaderParse {
  if (buf.length < BLOCK_HEADER_SIZE) return { ok: false, problem: 'short block header' };
  if (buf.readUInt32BE(0) !== BLOCK_MAGIC) return { ok: false, problem: 'no block magic' };
  const version = buf.readUInt16BE(4);
  if (version !== BLOCK_VERSION) return { ok: false, problem: `unknown block format version ${version}` };
  const payloadLength = buf.readUInt32BE(16);
  if (payloadLength > MAX_BLOCK_PAYLOAD) {
    return { ok: false, problem: `block payload length ${payloadLength} exceeds the limit` };
  }
  return {
    ok: true,
    header: {
      flags: buf.readUInt16BE(6),
      blockNumber: buf.readUInt32BE(8),
      sessionId: buf.readUInt32BE(12),
      payloadLength,
      sessionBlockNumber: buf.readUInt32BE(20),
      crc: buf.readUInt32BE(CRC_OFFSET),
    },
  };
}

/** True when the CRC in the header matches header bytes 0–23 and the payload. */
export function verifyBlock(headerBytes: Buffer, payload: Buffer): boolean {
  if (headerBytes.length < BLOCK_HEADER_SIZE) return false;
  return blockCrc(headerBytes.subarray(0, CRC_OFFSET), payload) === headerBytes.readUInt32BE(CRC_OFFSET);
}

export type BlockCheck =
  | { ok: true; header: BlockHeader; repaired?: string }
  | { ok: false; problem: string };

const CRC_MISMATCH: BlockCheck = { ok: false, problem: 'CRC mismatch' };

/**
 * Verifies a block whose header parsed (`header`) and whose payload is all there, as a
 * reader takes it from a volume. With `repair`, a CRC mismatch that one flipped bit
 * explains is undone in place (in `head` or `payload`; bit-repair.ts says how) and said
 * in `repaired`: one bad bit on the medium then costs nothing. Anything else is a CRC
 * mismatch, and the bytes are left as they were read.
 */
export function checkBlock(head: Buffer, payload: Buffer, header: BlockHeader, repair = true): BlockCheck {
  const computed = blockCrc(head.subarray(0, CRC_OFFSET), payload);
  if (computed === header.crc) return { ok: true, header };
  const flipped = repair ? locateFlippedBit((header.crc ^ computed) >>> 0, CRC_OFFSET + payload.length) : null;
  if (flipped === null) return CRC_MISMATCH;
  if (flipped.where === 'crc') {
    head.writeUInt32BE(computed, CRC_OFFSET);
    return { ok: true, header: { ...header, crc: computed }, repaired: 'one flipped bit in the block\'s CRC; the data is intact' };
  }
  const inHeader = flipped.byte < CRC_OFFSET;
  const bytes = inHeader ? head : payload;
  const at = inHeader ? flipped.byte : flipped.byte - CRC_OFFSET;
  const flip = (): void => { bytes[at] = (bytes[at] ?? 0) ^ (1 << flipped.bit); };
  flip();
  const parsed = inHeader ? parseBlockHeader(head) : { ok: true as const, header };
  // A "repair" that changes the length the payload was read by is a coincidence, not one bit.
  if (!parsed.ok || parsed.header.payloadLength !== payload.length) {
    flip();
    return CRC_MISMATCH;
  }
  return { ok: true, header: parsed.header, repaired: `one flipped bit corrected (bit ${flipped.bit} of ${inHeader ? 'header' : 'payload'} byte ${at})` };
}

/** Decodes a whole block held in `buf` (header and payload), verifying everything. */
export function decodeBlock(buf: Buffer): Block {
  const parsed = parseBlockHeader(buf);
  if (!parsed.ok) throw new BurrowError('VOLUME_FORMAT', `bad block: ${parsed.problem}`);
  const end = BLOCK_HEADER_SIZE + parsed.header.payloadLength;
  if (buf.length < end) throw new BurrowError('VOLUME_FORMAT', 'bad block: cut short');
  const payload = buf.subarray(BLOCK_HEADER_SIZE, end);
  if (!verifyBlock(buf, payload)) throw new BurrowError('VOLUME_FORMAT', 'bad block: CRC mismatch');
  return { header: parsed.header, payload };
}
