/**
 * The records a backup produces and a restore consumes: one file's ATTRIBUTES, then
 * its DATA or GZIP_DATA chunks, then its DIGEST (docs/volume-format.md, "File
 * streams"). This module owns the payload layouts so the two sides cannot drift.
 */
import { BurrowError, type BurrowErrorCode } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { RECORD_FRAME_ROOM } from '@burrow/common/net/record-frame';
import type { FileOptions } from '../fileset/options.js';

export interface FileRecord {
  /** 1, 2, 3... in the order files are written; all records of one file share it. */
  readonly fileIndex: number;
  readonly stream: burrow.Stream;
  readonly data: Buffer;
  /**
   * When the producer kept room for the wire: RECORD_FRAME_ROOM free bytes, then the
   * very bytes of `data` (the same memory). A sink that sends records seals the frame
   * in place instead of copying `data` (@burrow/common/net/record-frame).
   */
  readonly framed?: Buffer;
  /**
   * A record in a pooled buffer: call once wholly done with `data` (and `framed`), so
   * the buffer serves again. A received record (DataRecord.release), or a backup's
   * chunk, which the sink releases once the socket wrote it. Never calling it is safe.
   */
  readonly release?: () => void;
}

/**
 * Where a backup sends its records. `write` resolves when the record is taken: await it
 * (backpressure). ATTRIBUTES records come with the options that selected the entry
 * (a verify reports the entry's verify= letters).
 */
export interface RecordSink {
  write(rec: FileRecord, options?: FileOptions): Promise<void>;
}

/**
 * A problem with one file, reported to the job, which decides what it means
 * (STYLE habit 9). `info` is a note (a file system not descended into, a socket).
 */
export interface FileIssue {
  readonly path: Buffer;
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly code?: BurrowErrorCode;
  /**
   * A restored file known only by number (its attributes record never came, so `path`
   * is empty): its job's session and FileIndex, which the Director names from its catalog.
   */
  readonly byNumber?: { readonly sessionId: number; readonly fileIndex: number };
}

export type FileIssueHandler = (issue: FileIssue) => void;

/** Bytes of the u64 big-endian file offset that opens DATA and GZIP_DATA payloads. */
export const DATA_OFFSET_BYTES = 8;

/** Default data chunk: 1 MiB (docs/volume-format.md, "File streams"). */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * Bytes kept free in front of the file bytes of a chunk read: the record frame's
 * header, then the payload's data offset. A chunk sent as it was read (no
 * compression) then leaves as one frame, sealed in place.
 */
export const CHUNK_ROOM = RECORD_FRAME_ROOM + DATA_OFFSET_BYTES;

export function writeDataOffset(target: Buffer, offset: number, at = 0): void {
  target.writeBigUInt64BE(BigInt(offset), at);
}

/** Splits a DATA / GZIP_DATA payload into its file offset and the (still encoded) bytes. */
export function readDataPayload(data: Buffer): { offset: number; body: Buffer } {
  if (data.length < DATA_OFFSET_BYTES) {
    throw new BurrowError('VOLUME_FORMAT', `data record of ${data.length} bytes has no offset`);
  }
  const offset = data.readBigUInt64BE(0);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BurrowError('VOLUME_FORMAT', `data record offset ${offset} is out of range`);
  }
  return { offset: Number(offset), body: data.subarray(DATA_OFFSET_BYTES) };
}

export { asBuffer } from '@burrow/common/proto/index';
