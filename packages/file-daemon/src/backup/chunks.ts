/**
 * The send side of one file's data, whatever it is read from (a file at offsets, a
 * FIFO or a command's output in order): each chunk is hashed in file order (gaps as
 * zeros), compressed on its own, and sent as one data record; at the end comes the
 * DIGEST record. Up to ENCODE_DEPTH chunks compress at once (gzip and Zstandard on
 * libuv's threads, LZ4 on the compression thread) while records still leave in file
 * order; small chunks go to the compression thread in batches instead (`offload`),
 * and the walk goes on while they compress.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { digestKindByName } from '@burrow/common/fileset/digests';
import { burrow } from '@burrow/common/proto/generated';
import type { Hashers } from '../digest/hashers.js';
import type { StreamHasher } from '../digest/thread.js';
import type { FileOptions } from '../fileset/index.js';
import type { Compression } from '../fileset/options.js';
import { compressChunk, dataStream } from './codec.js';
import { RECORD_FRAME_ROOM } from '@burrow/common/net/record-frame';
import { asBuffer, CHUNK_ROOM, writeDataOffset, type FileRecord, type RecordSink } from './record.js';
import { COMPRESS_THREAD_MAX_CHUNK, type CompressThread } from './compress-thread.js';
import type { RecordSequence } from './sequence.js';
import type { FramePool } from '@burrow/common/net/frame-pool';

/** Chunks compressed at once: enough to keep both cores busy, few enough to bound memory. */
const ENCODE_DEPTH = 4;

/**
 * Small chunks seen inline before a job's chunks go to the compression thread. The
 * thread pays where small files are many; a job of a few (the needle beside large
 * files) would start it, and keep its memory (about 20 MiB), for nothing.
 */
const OFFLOAD_AFTER = 32;

/**
 * One job's use of the compression thread for small chunks: `sequence` must be the
 * sink the job's records go to, so that they keep their order while a chunk compresses.
 */
export class Offload {
  private small = 0;

  constructor(readonly thread: CompressThread, readonly sequence: RecordSequence) {}

  /** Whether this small chunk goes to the thread: one it takes, once the job has had OFFLOAD_AFTER of them. */
  wants(c: Compression, length: number): boolean {
    return length <= COMPRESS_THREAD_MAX_CHUNK && this.thread.takes(c, length) && ++this.small > OFFLOAD_AFTER;
  }

  /** Whether this large chunk compresses on the thread (LZ4), not on libuv's pool. */
  takesLarge(c: Compression, length: number): boolean {
    return length > COMPRESS_THREAD_MAX_CHUNK && this.thread.takes(c, length);
  }
}

/** A chunk read: `buf` holds CHUNK_ROOM bytes of room, then `length` file bytes from `offset`. */
export interface Chunk {
  readonly buf: Buffer;
  readonly length: number;
  readonly offset: number;
}

export interface ChunkSenderParams {
  readonly fileIndex: number;
  readonly options: FileOptions;
  readonly sink: RecordSink;
  /** The job's hashers, for the digest `options.signature` asks for. */
  readonly hashers: Hashers;
  /** Leave out chunks that are all zeros (a raw device with `sparse`): they read back as a hole. */
  readonly skipZeros?: boolean;
  /** About how many bytes the file holds (its size when listed); null when unknown (a stream). */
  readonly sizeHint: number | null;
  /** Where small chunks compress; null or absent: here (codec.ts). */
  readonly offload?: Offload | null;
  /**
   * Buffers for chunks, given back once done with: a chunk sent as read is given back
   * by the sink when the socket wrote it (FileRecord.release), a compressed one once
   * compressed. Absent: a fresh buffer per chunk.
   */
  readonly pool?: FramePool | null;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new BurrowError('JOB_CANCELED', 'the backup was canceled', { cause: signal.reason });
}

function allZeros(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A requested digest is never dropped: an algorithm this build cannot compute fails the job. */
function openHasher(p: ChunkSenderParams, algorithm: burrow.DigestAlgorithm): StreamHasher {
  const hash = p.hashers.stream(algorithm, p.sizeHint);
  if (hash === undefined) throw new BurrowError('CONFIG_INVALID', `this File daemon cannot compute digest algorithm ${algorithm}`);
  return hash;
}

/** A record's frame, and how to give back its buffer once sent (a pooled chunk sent as read). */
interface Encoded {
  readonly framed: Buffer;
  readonly release?: () => void;
}

export class ChunkSender {
  private hash: StreamHasher | null;
  private readonly algorithm: burrow.DigestAlgorithm;
  private readonly stream: burrow.Stream;
  private readonly encoding: Array<Promise<Encoded>> = [];
  private hashed = 0;

  constructor(private readonly p: ChunkSenderParams) {
    this.algorithm = p.options.signature === null ? burrow.DigestAlgorithm.DIGEST_NONE : digestKindByName(p.options.signature).algorithm;
    this.hash = p.options.signature === null ? null : openHasher(p, this.algorithm);
    this.stream = dataStream(p.options.compression);
  }

  /** A buffer for the next chunk: CHUNK_ROOM bytes of room, then `length`. */
  chunkBuffer(length: number): Buffer {
    const pool = this.p.pool;
    return pool == null ? Buffer.allocUnsafe(CHUNK_ROOM + length) : pool.take(CHUNK_ROOM + length).frame;
  }

  /** Gives a chunk's buffer back to the pool (a buffer not from the pool is left to the collector). */
  private giveBack(c: Chunk): void {
    this.p.pool?.give(c.buf);
  }

  /** The record's frame: RECORD_FRAME_ROOM bytes of room, the data offset, the (compressed) bytes. */
  private async encode(c: Chunk): Promise<Encoded> {
    const compression = this.p.options.compression;
    if (compression === null) {
      writeDataOffset(c.buf, c.offset, RECORD_FRAME_ROOM);
      let given = false; // once only: a second give could free the buffer's next chunk
      const release = (): void => {
        if (given) return;
        given = true;
        this.giveBack(c);
      };
      return { framed: c.buf.subarray(0, CHUNK_ROOM + c.length), release };
    }
    const bytes = c.buf.subarray(CHUNK_ROOM, CHUNK_ROOM + c.length);
    const offload = this.p.offload;
    if (offload != null && offload.takesLarge(compression, c.length)) {
      const compressed = offload.thread.compress(bytes, compression);
      this.giveBack(c); // copied for the thread (and hashed before): the read bytes are done with
      const framed = await compressed; // behind CHUNK_ROOM already
      writeDataOffset(framed, c.offset, RECORD_FRAME_ROOM);
      return { framed, release: () => offload.thread.giveBack(framed) };
    }
    const packed = await compressChunk(bytes, compression);
    this.giveBack(c); // compressed (and hashed before): the read bytes are done with
    const framed = Buffer.allocUnsafe(CHUNK_ROOM + packed.length);
    writeDataOffset(framed, c.offset, RECORD_FRAME_ROOM);
    packed.copy(framed, CHUNK_ROOM);
    return { framed };
  }

  /** The record of a chunk compressing on the compression thread (framed behind CHUNK_ROOM). */
  private async offloaded(compressed: Promise<Buffer>, offset: number): Promise<FileRecord> {
    const framed = await compressed;
    writeDataOffset(framed, offset, RECORD_FRAME_ROOM);
    return { fileIndex: this.p.fileIndex, stream: this.stream, data: framed.subarray(RECORD_FRAME_ROOM), framed };
  }

  private async sendOldest(): Promise<void> {
    const { framed, release } = await (this.encoding.shift() as Promise<Encoded>);
    await this.p.sink.write({ fileIndex: this.p.fileIndex, stream: this.stream, data: framed.subarray(RECORD_FRAME_ROOM), framed, release });
  }

  /** Takes the next chunk (offsets ascend); resolves when there is room for another. */
  async add(c: Chunk): Promise<void> {
    const bytes = c.buf.subarray(CHUNK_ROOM, CHUNK_ROOM + c.length);
    if (this.hash !== null) {
      if (c.offset > this.hashed) await this.hash.zeros(c.offset - this.hashed);
      await this.hash.update(bytes);
    }
    this.hashed = c.offset + c.length;
    if (this.p.skipZeros === true && allZeros(bytes)) {
      this.giveBack(c);
      return;
    }
    const compression = this.p.options.compression;
    const offload = this.p.offload;
    if (compression !== null && offload != null && offload.wants(compression, c.length)) {
      while (this.encoding.length > 0) await this.sendOldest();
      await offload.sequence.later(this.offloaded(offload.thread.compress(bytes, compression), c.offset), c.length);
      this.giveBack(c); // copied into the batch
      return;
    }
    const encoded = this.encode(c);
    encoded.catch(() => undefined); // awaited in order by sendOldest; never unhandled meanwhile
    this.encoding.push(encoded);
    if (this.encoding.length >= ENCODE_DEPTH) await this.sendOldest();
  }

  /** Sends what is still compressing, then the digest (holes up to `size` hash as zeros). */
  async finish(size: number | null): Promise<void> {
    while (this.encoding.length > 0) await this.sendOldest();
    if (this.hash === null) return;
    if (size !== null && size > this.hashed) await this.hash.zeros(size - this.hashed);
    const hash = this.hash;
    this.hash = null; // spent: discard() has nothing left to drop
    const digest = burrow.FileDigest.encode({ algorithm: this.algorithm, value: await hash.digest() }).finish();
    await this.p.sink.write({ fileIndex: this.p.fileIndex, stream: burrow.Stream.STREAM_DIGEST, data: asBuffer(digest) });
  }

  /** Drops chunks still compressing, and the digest, after a failure. */
  discard(): void {
    this.encoding.length = 0;
    this.hash?.drop();
    this.hash = null;
  }
}
