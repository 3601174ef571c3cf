/**
 * Reads one file's data into data records (DATA, or GZIP/LZ4/ZSTD_DATA) and, when a
 * signature is asked for, a DIGEST record (chunks.ts does the sending). Two sources:
 * an open file read at offsets (regular files, raw block devices), and a stream read
 * in order (a FIFO with readfifo, a command's standard output).
 */
import { read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FileOptions } from '../fileset/index.js';
import type { Hashers } from '../digest/hashers.js';
import { ChunkSender, throwIfAborted, type Chunk, type Offload } from './chunks.js';
import type { FramePool } from '@burrow/common/net/frame-pool';
import { CHUNK_ROOM, type RecordSink } from './record.js';

export { throwIfAborted } from './chunks.js';

const readAsync = promisify(read);

export interface ReadFileParams {
  /** The open file (a plain descriptor: see @burrow/fsx). */
  readonly fd: number;
  /**
   * Sparse files: the [start, end) ranges holding data, and the size the holes run
   * to. Only these ranges are read and sent; the rest reads back as zeros. Null: read
   * the whole file to its end.
   */
  readonly sparse: { readonly regions: ReadonlyArray<readonly [number, number]>; readonly size: number } | null;
  /** A raw device with `sparse`: chunks of zeros are left out (SEEK_DATA does not apply to devices). */
  readonly skipZeros?: boolean;
  /** The size the file had when listed: reads are sized to it, and its digest is computed off the main thread when large. */
  readonly sizeHint: number;
  readonly fileIndex: number;
  readonly options: FileOptions;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly chunkSize: number;
  readonly hashers: Hashers;
  readonly offload?: Offload | null;
  /** Buffers for chunks, given back once sent (chunks.ts). */
  readonly chunkPool?: FramePool | null;
}

/** A read from the file itself failed (as opposed to the sink or a cancel). */
export class FileReadError extends Error {
  constructor(cause: unknown) {
    super('file read failed', { cause });
  }
}

/**
 * Reads up to this many bytes are made right here, not on libuv's pool: a small
 * file's read costs less than the trip to a pool thread and back (two thread
 * switches on a 2-core machine), and most files of a tree are small.
 */
const READ_INLINE_BELOW = 64 * 1024;

async function readChunk(fd: number, buf: Buffer, length: number, offset: number): Promise<number> {
  try {
    if (length <= READ_INLINE_BELOW) return readSync(fd, buf, CHUNK_ROOM, length, offset);
    return (await readAsync(fd, buf, CHUNK_ROOM, length, offset)).bytesRead;
  } catch (err) {
    throw new FileReadError(err);
  }
}

/**
 * Bytes asked for past the size a file had when listed: it grew. Small, so that a
 * file read to its end does not take a whole chunk's buffer for nothing.
 */
const GROWTH_PROBE = 64 * 1024;

interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * Where the next chunk starts and how long it may be, walking the data ranges in
 * order; null at the end. Up to the listed size a read asks for one byte more than
 * is left, so that a short read proves the end and no read is spent finding it.
 */
function nextSpan(p: ReadFileParams, offset: number): Span | null {
  if (p.sparse === null) {
    const left = p.sizeHint - offset;
    return { offset, length: left >= 0 ? Math.min(p.chunkSize, left + 1) : Math.min(p.chunkSize, GROWTH_PROBE) };
  }
  for (const [start, end] of p.sparse.regions) {
    if (offset >= end) continue;
    const from = Math.max(offset, start);
    return { offset: from, length: Math.min(p.chunkSize, end - from) };
  }
  return null;
}

/** Whether a read of `span` that gave `got` bytes reached the end of a file listed at `sizeHint` bytes. */
function atEnd(span: Span, got: number, sizeHint: number): boolean {
  return got === 0 || (got < span.length && span.offset + got === sizeHint);
}

/**
 * Streams the file to the sink until end of file (a file that grows while read is
 * read to its new end; the caller notices the change), or for a sparse file through
 * its data ranges. Returns the bytes read. Read errors propagate; the records
 * already sent stay sent. The next chunk is read while the current one is
 * compressed and sent.
 */
export async function sendFileData(p: ReadFileParams): Promise<number> {
  const sizeHint = p.sparse?.size ?? p.sizeHint;
  const sender = new ChunkSender({ fileIndex: p.fileIndex, options: p.options, sink: p.sink, hashers: p.hashers, skipZeros: p.skipZeros ?? false, sizeHint, offload: p.offload, pool: p.chunkPool });
  const readAt = async (span: Span | null): Promise<{ chunk: Chunk; last: boolean } | null> => {
    if (span === null) return null;
    // A buffer per chunk, fresh or pooled: the sink may keep the record after write()
    // resolves, and gives a pooled one back (FileRecord.release) once it is done with it.
    const buf = sender.chunkBuffer(span.length);
    const length = await readChunk(p.fd, buf, span.length, span.offset);
    return { chunk: { buf, length, offset: span.offset }, last: p.sparse === null && atEnd(span, length, p.sizeHint) };
  };
  let total = 0;
  let next = readAt(nextSpan(p, 0));
  try {
    for (;;) {
      throwIfAborted(p.signal);
      const read = await next;
      if (read === null || read.chunk.length === 0) break;
      const { chunk } = read;
      total += chunk.length;
      if (!read.last) {
        next = readAt(nextSpan(p, chunk.offset + chunk.length));
        next.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      }
      await sender.add(chunk);
      if (read.last) break;
    }
    await sender.finish(p.sparse?.size ?? (p.skipZeros === true ? total : null));
  } finally {
    sender.discard();
  }
  return total;
}

export interface StreamParams {
  readonly fileIndex: number;
  readonly options: FileOptions;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly chunkSize: number;
  readonly hashers: Hashers;
  readonly offload?: Offload | null;
}

/**
 * Sends what `source` yields, in order, as chunks of `chunkSize` bytes from offset 0.
 * Returns the bytes sent. Errors of the source propagate as they are.
 */
export async function sendStreamData(source: AsyncIterable<Buffer>, p: StreamParams): Promise<number> {
  const sender = new ChunkSender({ fileIndex: p.fileIndex, options: p.options, sink: p.sink, hashers: p.hashers, sizeHint: null, offload: p.offload });
  let buf = sender.chunkBuffer(p.chunkSize);
  let fill = 0;
  let offset = 0;
  const flush = async (): Promise<void> => {
    if (fill === 0) return;
    await sender.add({ buf, length: fill, offset });
    offset += fill;
    fill = 0;
    buf = sender.chunkBuffer(p.chunkSize);
  };
  try {
    for await (const piece of source) {
      throwIfAborted(p.signal);
      for (let at = 0; at < piece.length; ) {
        const n = Math.min(piece.length - at, p.chunkSize - fill);
        piece.copy(buf, CHUNK_ROOM + fill, at, at + n);
        fill += n;
        at += n;
        if (fill === p.chunkSize) await flush();
      }
    }
    await flush();
    await sender.finish(null);
  } finally {
    sender.discard();
  }
  return offset;
}
