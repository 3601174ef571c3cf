/** What the main thread and the compression thread (compress-thread.ts, compress-worker.ts) say to each other. */
import type { Compression } from '../fileset/options.js';

/** What the thread compresses with: gzip at a level, or LZ4 (Zstandard stays on libuv's pool). */
export type ThreadCompression = Compression & { readonly algorithm: 'GZIP' | 'LZ4' };

/** One batch of small chunks, or one large chunk: chunk i is `lengths[i]` bytes of `input`, after the chunks before it. */
export interface ToCompressThread {
  readonly id: number;
  /** Handed over (transferred); it comes back with the answer, for the next batch. */
  readonly input: ArrayBuffer;
  readonly lengths: readonly number[];
  /** Per chunk: how to compress it. */
  readonly compressions: readonly ThreadCompression[];
  /** Free bytes the answer keeps in front of each compressed chunk (the record frame's room). */
  readonly room: number;
  /**
   * A large chunk's batch: its answer's buffer comes back later to serve again, so it
   * is made as large as the chunk's bound (not the answer's size), and `output`, when
   * given, is such a buffer to write the answer into.
   */
  readonly reused: boolean;
  readonly output?: ArrayBuffer;
}

export type FromCompressThread =
  /**
   * `output` holds, per chunk in order, `room` free bytes then `lengths[i]` compressed bytes
   * (and may go on past them: the buffer handed back).
   * `input` is the batch's buffer handed back.
   */
  | { readonly op: 'done'; readonly id: number; readonly input: ArrayBuffer; readonly output: ArrayBuffer; readonly lengths: readonly number[] }
  | { readonly op: 'failed'; readonly id: number; readonly input: ArrayBuffer; readonly message: string };
