/** What the main thread and the compression thread (compress-thread.ts, compress-worker.ts) say to each other. */

/** One batch of small chunks: chunk i is `lengths[i]` bytes of `input`, after the chunks before it. */
export interface ToCompressThread {
  readonly id: number;
  /** Handed over (transferred); it comes back with the answer, for the next batch. */
  readonly input: ArrayBuffer;
  readonly lengths: readonly number[];
  /** Per chunk: gzip's level. */
  readonly levels: readonly number[];
  /** Free bytes the answer keeps in front of each compressed chunk (the record frame's room). */
  readonly room: number;
}

export type FromCompressThread =
  /**
   * `output` holds, per chunk in order, `room` free bytes then `lengths[i]` compressed bytes.
   * `input` is the batch's buffer handed back.
   */
  | { readonly op: 'done'; readonly id: number; readonly input: ArrayBuffer; readonly output: ArrayBuffer; readonly lengths: readonly number[] }
  | { readonly op: 'failed'; readonly id: number; readonly input: ArrayBuffer; readonly message: string };
