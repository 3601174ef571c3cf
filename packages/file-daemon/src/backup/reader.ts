/**
 * Reads one file's data into data records (DATA, or GZIP/LZ4/ZSTD_DATA) and, when a
 * signature is asked for, a DIGEST record (chunks.ts does the sending). Two sources:
 * an open file read at offsets (regular files, raw block devices), and a stream read
 * in order (a FIFO with readfifo, a command's standard output).
 */
import { read } from 'node:fs';
import { promisify } from 'node:util';
import type { FileOptions } from '../fileset/index.js';
import type { Hashers } from '../digest/hashers.js';
import { ChunkSender, throwIfAborted, type Chunk } from './chunks.js';
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
  readonly fileIndex: number;
  readonly options: FileOptions;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly chunkSize: number;
  readonly hashers: Hashers;
}

/** A read from the file itself failed (as opposed to the sink or a cancel). */
export class FileReadError extends Error {
  constructor(cause: unknown) {
    super('file read failed', { cause });
  }
}

async function readChunk(fd: number, buf: Buffer, length: number, offset: number): Promise<number> {
  try {
    return (await readAsync(fd, buf, CHUNK_ROOM, length, offset)).bytesRead;
  } catch (err) {
    throw new FileReadError(err);
  }
}

/** Where the next chunk starts and how long it may be, walking the data ranges in order; null at the end. */
function nextSpan(p: ReadFileParams, offset: number): { offset: number; length: number } | null {
  if (p.sparse === null) return { offset, length: p.chunkSize };
  for (const [start, end] of p.sparse.regions) {
    if (offset >= end) continue;
    const from = Math.max(offset, start);
    return { offset: from, length: Math.min(p.chunkSize, end - from) };
  }
  return null;
}

/**
 * Streams the file to the sink until end of file (a file that grows while read is
 * read to its new end; the caller notices the change), or for a sparse file through
 * its data ranges. Returns the bytes read. Read errors propagate; the records
 * already sent stay sent. The next chunk is read while the current one is
 * compressed and sent.
 */
export async function sendFileData(p: ReadFileParams): Promise<number> {
  const sender = new ChunkSender({ fileIndex: p.fileIndex, options: p.options, sink: p.sink, hashers: p.hashers, skipZeros: p.skipZeros ?? false });
  const readAt = async (span: { offset: number; length: number } | null): Promise<Chunk | null> => {
    if (span === null) return null;
    // A fresh buffer per chunk: the sink may keep the record after write() resolves.
    const buf = Buffer.allocUnsafe(CHUNK_ROOM + span.length);
    return { buf, length: await readChunk(p.fd, buf, span.length, span.offset), offset: span.offset };
  };
  let total = 0;
  let next = readAt(nextSpan(p, 0));
  try {
    for (;;) {
      throwIfAborted(p.signal);
      const chunk = await next;
      if (chunk === null || chunk.length === 0) break;
      total += chunk.length;
      next = readAt(nextSpan(p, chunk.offset + chunk.length));
      next.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      await sender.add(chunk);
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
}

/**
 * Sends what `source` yields, in order, as chunks of `chunkSize` bytes from offset 0.
 * Returns the bytes sent. Errors of the source propagate as they are.
 */
export async function sendStreamData(source: AsyncIterable<Buffer>, p: StreamParams): Promise<number> {
  const sender = new ChunkSender({ fileIndex: p.fileIndex, options: p.options, sink: p.sink, hashers: p.hashers });
  let buf = Buffer.allocUnsafe(CHUNK_ROOM + p.chunkSize);
  let fill = 0;
  let offset = 0;
  const flush = async (): Promise<void> => {
    if (fill === 0) return;
    await sender.add({ buf, length: fill, offset });
    offset += fill;
    fill = 0;
    buf = Buffer.allocUnsafe(CHUNK_ROOM + p.chunkSize);
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
