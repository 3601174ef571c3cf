/**
 * Compression of one data chunk and its reverse: the record stream type says which
 * (docs/volume-format.md). Every chunk is one complete gzip member, LZ4 frame or
 * Zstandard frame, so it decodes without the chunks before it. gzip and Zstandard run
 * on libuv's thread pool (node:zlib; the napi-rs addon @mongodb-js/zstd runs its work
 * as async tasks), so the reader compresses several chunks at once; small chunks are
 * the exception (COMPRESS_INLINE_BELOW). LZ4 (lz4-frame.ts, WebAssembly) runs in the
 * thread that calls it: the backup sends its chunks to the compression thread
 * (compress-thread.ts) and comes here only for a job's first small chunks or without
 * that thread; a restore decodes here, at about 1 ms/MiB.
 */
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import type { Compression } from '../fileset/options.js';
import { lz4Frame, readLz4Frame } from './lz4-frame.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The stream type of data records written with this compression. */
export function dataStream(c: Compression | null): burrow.Stream {
  if (c === null) return burrow.Stream.STREAM_DATA;
  if (c.algorithm === 'LZ4') return burrow.Stream.STREAM_LZ4_DATA;
  if (c.algorithm === 'ZSTD') return burrow.Stream.STREAM_ZSTD_DATA;
  return burrow.Stream.STREAM_GZIP_DATA;
}

/**
 * Chunks smaller than this are compressed right here on the main thread when no
 * compression thread takes them (compress-thread.ts; verify, tests). A small
 * file is one chunk, so nothing else would compress beside it, and the trip through
 * the thread pool (for gzip also zlib's stream set-up) costs more than compressing a
 * few KiB: 260 µs against 60–150 µs for 8 KiB at GZIP6. The bench's 50,000 files of
 * 1–16 KiB took four times as long with GZIP6 as without before this.
 */
const COMPRESS_INLINE_BELOW = 16 * 1024;

export async function compressChunk(bytes: Buffer, c: Compression): Promise<Buffer> {
  const inline = bytes.length < COMPRESS_INLINE_BELOW;
  if (c.algorithm === 'LZ4') return lz4Frame(bytes);
  // @mongodb-js/zstd has no synchronous form.
  if (c.algorithm === 'ZSTD') return zstdCompress(bytes, c.level);
  return inline ? gzipSync(bytes, { level: c.level }) : gzipAsync(bytes, { level: c.level });
}

/**
 * A decoded chunk larger than this is not one Burrow wrote (chunks are 1 MiB; the
 * largest a volume record may hold is 16 MiB): refused rather than trusted.
 */
const MAX_CHUNK = 16 * 1024 * 1024;

/**
 * Compressed bodies smaller than this are decoded right here, for the reason small
 * chunks are compressed here (COMPRESS_INLINE_BELOW): a restore of small files made a
 * pool round trip per file.
 */
const DECODE_INLINE_BELOW = 16 * 1024;

/** The file bytes of a data record's body (after its offset). */
export async function decodeChunk(stream: burrow.Stream, body: Buffer): Promise<Buffer> {
  let out: Buffer;
  const inline = body.length < DECODE_INLINE_BELOW;
  try {
    if (stream === burrow.Stream.STREAM_DATA) return body;
    if (stream === burrow.Stream.STREAM_GZIP_DATA) out = inline ? gunzipSync(body, { maxOutputLength: MAX_CHUNK }) : await gunzipAsync(body, { maxOutputLength: MAX_CHUNK });
    else if (stream === burrow.Stream.STREAM_LZ4_DATA) out = await readLz4Frame(body, MAX_CHUNK);
    else if (stream === burrow.Stream.STREAM_ZSTD_DATA) out = await zstdDecompress(body);
    else throw new BurrowError('VOLUME_FORMAT', `stream ${stream} is not a data stream`);
  } catch (err) {
    if (err instanceof BurrowError) throw err;
    throw new BurrowError('VOLUME_FORMAT', 'a compressed data chunk does not decompress', { cause: err });
  }
  if (out.length > MAX_CHUNK) throw new BurrowError('VOLUME_FORMAT', `a data chunk decompresses to ${out.length} bytes, more than ${MAX_CHUNK}`);
  return out;
}
