/**
 * Reads one open regular file into DATA / GZIP_DATA records and, when a signature is
 * asked for, a DIGEST record. Each chunk is compressed on its own so every record can
 * be decoded without the ones before it (docs/volume-format.md).
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { DigestName, FileOptions } from '../fileset/index.js';
import { asBuffer, DATA_OFFSET_BYTES, writeDataOffset, type RecordSink } from './record.js';

const gzipAsync = promisify(gzip);

const DIGEST_ALGORITHMS: Readonly<Record<DigestName, burrow.DigestAlgorithm>> = {
  MD5: burrow.DigestAlgorithm.DIGEST_MD5,
  SHA1: burrow.DigestAlgorithm.DIGEST_SHA1,
  SHA256: burrow.DigestAlgorithm.DIGEST_SHA256,
  SHA512: burrow.DigestAlgorithm.DIGEST_SHA512,
};

export interface ReadFileParams {
  readonly handle: FileHandle;
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

async function readChunk(handle: FileHandle, buf: Buffer, length: number, offset: number): Promise<number> {
  try {
    const { bytesRead } = await handle.read(buf, DATA_OFFSET_BYTES, length, offset);
    return bytesRead;
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

/**
 * Streams the file to the sink until end of file (a file that grows while read is
 * read to its new end; the caller notices the change). Returns the bytes read.
 * Read errors propagate; the records already sent stay sent.
 *
 * The next chunk is read while the current one is compressed and sent, and up to
 * ENCODE_DEPTH chunks compress in parallel on libuv's threads; records still go
 * out in file order, and the digest sees the bytes in order.
 */
export async function sendFileData(p: ReadFileParams): Promise<number> {
  const hash: Hash | null = p.options.signature === null ? null : createHash(p.options.signature.toLowerCase());
  const stream = p.options.compression === null ? burrow.Stream.STREAM_DATA : burrow.Stream.STREAM_GZIP_DATA;
  const readAt = async (offset: number): Promise<Chunk> => {
    // A fresh buffer per chunk: the sink may keep the record after write() resolves.
    const buf = Buffer.allocUnsafe(DATA_OFFSET_BYTES + p.chunkSize);
    return { buf, bytesRead: await readChunk(p.handle, buf, p.chunkSize, offset), offset };
  };
  const encoding: Array<Promise<Buffer>> = [];
  const sendOldest = async (): Promise<void> => {
    const data = await (encoding.shift() as Promise<Buffer>);
    await p.sink.write({ fileIndex: p.fileIndex, stream, data });
  };
  let offset = 0;
  let next = readAt(0);
  try {
    for (;;) {
      throwIfAborted(p.signal);
      const chunk = await next;
      if (chunk.bytesRead === 0) break;
      offset += chunk.bytesRead;
      next = readAt(offset);
      next.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      hash?.update(chunk.buf.subarray(DATA_OFFSET_BYTES, DATA_OFFSET_BYTES + chunk.bytesRead));
      const encoded = encodeChunk(chunk.buf, chunk.bytesRead, chunk.offset, p.options.compression);
      encoded.catch(() => undefined);
      encoding.push(encoded);
      if (encoding.length >= ENCODE_DEPTH) await sendOldest();
    }
    while (encoding.length > 0) await sendOldest();
  } finally {
    encoding.length = 0;
  }
  if (hash !== null && p.options.signature !== null) {
    const digest = burrow.FileDigest.encode({
      algorithm: DIGEST_ALGORITHMS[p.options.signature],
      value: hash.digest(),
    }).finish();
    await p.sink.write({ fileIndex: p.fileIndex, stream: burrow.Stream.STREAM_DIGEST, data: asBuffer(digest) });
  }
  return offset;
}
