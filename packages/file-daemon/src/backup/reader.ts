/**
 * Reads one open regular file into DATA / GZIP_DATA records and, when a signature is
 * asked for, a DIGEST record. Each chunk is compressed on its own so every record can
 * be decoded without the ones before it (docs/volume-format.md).
 */
import { createHash, type Hash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { DigestName, FileOptions } from '../fileset/index.js';
import { asBuffer, DATA_OFFSET_BYTES, hashZeros, writeDataOffset, type RecordSink } from './record.js';

const gzipAsync = promisify(gzip);
const readAsync = promisify(read);

const DIGEST_ALGORITHMS: Readonly<Record<DigestName, burrow.DigestAlgorithm>> = {
  MD5: burrow.DigestAlgorithm.DIGEST_MD5,
  SHA1: burrow.DigestAlgorithm.DIGEST_SHA1,
  SHA256: burrow.DigestAlgorithm.DIGEST_SHA256,
  SHA512: burrow.DigestAlgorithm.DIGEST_SHA512,
};

export interface ReadFileParams {
  /** The open file (a plain descriptor: see @burrow/fsx). */
  readonly fd: number;
  /**
   * Sparse files: the [start, end) ranges holding data, and the size the holes run
   * to. Only these ranges are read and sent; the rest reads back as zeros. Null: read
   * the whole file to its end.
   */
  readonly sparse: { readonly regions: ReadonlyArray<readonly [number, number]>; readonly size: number } | null;
  readonly fileIndex: number;
  readonly options: FileOptions;
  readonly sink: RecordSink;
  readonly signal: AbortSignal;
  readonly chunkSize: number;
}

/** A read from the file itself failed (as opposed to the sink or a cancel). */
export class FileReadError extends Error {
  constructor(cause: unknown) {
    super('file read failed', { cause });
  }
}

async function readChunk(fd: number, buf: Buffer, length: number, offset: number): Promise<number> {
  try {
    return (await readAsync(fd, buf, DATA_OFFSET_BYTES, length, offset)).bytesRead;
  } catch (err) {
    throw new FileReadError(err);
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new BurrowError('JOB_CANCELED', 'the backup was canceled', { cause: signal.reason });
}

async function encodeChunk(buf: Buffer, length: number, offset: number, level: number | null): Promise<Buffer> {
  writeDataOffset(buf, offset);
  if (level === null) return buf.subarray(0, DATA_OFFSET_BYTES + length);
  const packed = await gzipAsync(buf.subarray(DATA_OFFSET_BYTES, DATA_OFFSET_BYTES + length), { level });
  return Buffer.concat([buf.subarray(0, DATA_OFFSET_BYTES), packed]);
}

/** Chunks compressed at once: enough to keep both cores busy, few enough to bound memory. */
const ENCODE_DEPTH = 4;

interface Chunk {
  buf: Buffer;
  bytesRead: number;
  offset: number;
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
 * already sent stay sent.
 *
 * The next chunk is read while the current one is compressed and sent, and up to
 * ENCODE_DEPTH chunks compress in parallel on libuv's threads; records still go
 * out in file order, and the digest sees the bytes in order (holes as zeros).
 */
export async function sendFileData(p: ReadFileParams): Promise<number> {
  const hash: Hash | null = p.options.signature === null ? null : createHash(p.options.signature.toLowerCase());
  const stream = p.options.compression === null ? burrow.Stream.STREAM_DATA : burrow.Stream.STREAM_GZIP_DATA;
  const readAt = async (span: { offset: number; length: number } | null): Promise<Chunk | null> => {
    if (span === null) return null;
    // A fresh buffer per chunk: the sink may keep the record after write() resolves.
    const buf = Buffer.allocUnsafe(DATA_OFFSET_BYTES + span.length);
    return { buf, bytesRead: await readChunk(p.fd, buf, span.length, span.offset), offset: span.offset };
  };
  const encoding: Array<Promise<Buffer>> = [];
  const sendOldest = async (): Promise<void> => {
    const data = await (encoding.shift() as Promise<Buffer>);
    await p.sink.write({ fileIndex: p.fileIndex, stream, data });
  };
  let total = 0;
  let hashed = 0;
  let next = readAt(nextSpan(p, 0));
  try {
    for (;;) {
      throwIfAborted(p.signal);
      const chunk = await next;
      if (chunk === null || chunk.bytesRead === 0) break;
      total += chunk.bytesRead;
      const end = chunk.offset + chunk.bytesRead;
      next = readAt(nextSpan(p, end));
      next.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      if (hash !== null) {
        await hashZeros(hash, chunk.offset - hashed);
        hash.update(chunk.buf.subarray(DATA_OFFSET_BYTES, DATA_OFFSET_BYTES + chunk.bytesRead));
        hashed = end;
      }
      const encoded = encodeChunk(chunk.buf, chunk.bytesRead, chunk.offset, p.options.compression);
      encoded.catch(() => undefined);
      encoding.push(encoded);
      if (encoding.length >= ENCODE_DEPTH) await sendOldest();
    }
    while (encoding.length > 0) await sendOldest();
  } finally {
    encoding.length = 0;
  }
  if (hash !== null && p.sparse !== null) await hashZeros(hash, Math.max(0, p.sparse.size - hashed));
  if (hash !== null && p.options.signature !== null) {
    const digest = burrow.FileDigest.encode({
      algorithm: DIGEST_ALGORITHMS[p.options.signature],
      value: hash.digest(),
    }).finish();
    await p.sink.write({ fileIndex: p.fileIndex, stream: burrow.Stream.STREAM_DIGEST, data: asBuffer(digest) });
  }
  return total;
}
