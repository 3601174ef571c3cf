/**
 * Data records outside protobuf (protocol 2). A backup or restore moves file data as
 * records (file index, stream, payload: docs/volume-format.md, "File streams"); as
 * Envelope messages each 64 KiB–1 MiB payload was copied into its frame by the
 * encoder and its frame decoded again on the other side. A record frame instead is
 *
 *     u32 BE length | 0x00 | i32 BE file index | u32 BE stream | payload
 *
 * (the length counts what follows it). A protobuf message never begins with a zero
 * byte (field number 0 does not exist), so one byte tells a record frame from an
 * Envelope frame, and Envelope frames stay exactly what they were in protocol 1: a
 * peer of another version still reads our Hello and says which version it speaks.
 *
 * A sender that keeps RECORD_FRAME_ROOM bytes free in front of the payload (the File
 * daemon reads file data behind such room) gets its frame sealed in place: no copy.
 */
import { BurrowError } from '../errors/index.js';
import { DEFAULT_MAX_FRAME, FRAME_HEADER_SIZE } from './frame.js';

/** The first payload byte of a record frame. */
export const RECORD_FRAME_MARK = 0x00;
/** Mark, file index, stream. */
export const RECORD_HEADER_SIZE = 9;
/** Bytes in front of a record's payload in its frame: the length, then the record header. */
export const RECORD_FRAME_ROOM = FRAME_HEADER_SIZE + RECORD_HEADER_SIZE;

/** One record as it crosses the wire; `data` is the payload. */
export interface WireRecord {
  readonly fileIndex: number;
  readonly stream: number;
  readonly data: Buffer;
}

/** Whether a frame's payload (length prefix removed) is a record rather than an Envelope. */
export function isRecordFrame(payload: Buffer): boolean {
  return payload.length > 0 && payload[0] === RECORD_FRAME_MARK;
}

function writeRecordHeader(target: Buffer, at: number, fileIndex: number, stream: number): void {
  if (!Number.isInteger(fileIndex) || fileIndex < -(2 ** 31) || fileIndex >= 2 ** 31) {
    throw new BurrowError('INTERNAL', `file index ${fileIndex} does not fit a record frame`);
  }
  if (!Number.isInteger(stream) || stream < 0 || stream >= 2 ** 32) {
    throw new BurrowError('INTERNAL', `stream ${stream} does not fit a record frame`);
  }
  target[at] = RECORD_FRAME_MARK;
  target.writeInt32BE(fileIndex, at + 1);
  target.writeUInt32BE(stream, at + 5);
}

function checkSize(payloadLength: number, maxFrame: number): number {
  const length = RECORD_HEADER_SIZE + payloadLength;
  if (length > maxFrame) throw new BurrowError('FRAME_TOO_LARGE', `record frame of ${length} bytes exceeds the limit of ${maxFrame}`);
  return length;
}

/**
 * Seals a record frame in place: `framed` holds RECORD_FRAME_ROOM bytes of room, then
 * the payload. Returns `framed`, ready to write.
 */
export function sealRecordFrame(framed: Buffer, rec: { fileIndex: number; stream: number }, maxFrame = DEFAULT_MAX_FRAME): Buffer {
  if (framed.length < RECORD_FRAME_ROOM) throw new BurrowError('INTERNAL', 'a framed record has no room for its header');
  framed.writeUInt32BE(checkSize(framed.length - RECORD_FRAME_ROOM, maxFrame), 0);
  writeRecordHeader(framed, FRAME_HEADER_SIZE, rec.fileIndex, rec.stream);
  return framed;
}

/** The frame header of a record whose payload is written separately, right after it. */
export function recordFrameHeader(rec: WireRecord, maxFrame = DEFAULT_MAX_FRAME): Buffer {
  const head = Buffer.allocUnsafe(RECORD_FRAME_ROOM);
  head.writeUInt32BE(checkSize(rec.data.length, maxFrame), 0);
  writeRecordHeader(head, FRAME_HEADER_SIZE, rec.fileIndex, rec.stream);
  return head;
}

/** A record frame's payload (length prefix removed) as a record; `data` is a view of it. */
export function decodeRecordFrame(payload: Buffer): WireRecord {
  if (payload.length < RECORD_HEADER_SIZE || payload[0] !== RECORD_FRAME_MARK) {
    throw new BurrowError('PROTOCOL', `record frame of ${payload.length} bytes is shorter than its ${RECORD_HEADER_SIZE}-byte header`);
  }
  return { fileIndex: payload.readInt32BE(1), stream: payload.readUInt32BE(5), data: payload.subarray(RECORD_HEADER_SIZE) };
}
