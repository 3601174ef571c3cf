/**
 * Buffers for large frames that a receiver gives back. A restore's records arrive as
 * 1 MiB frames spread over many TLS reads, each assembled in a buffer of its own; a
 * fresh one per record is external memory V8 answers with full collections (a fifth
 * of a restoring File daemon's CPU, measured). A channel with a pool assembles large
 * frames in pooled buffers and offers each record's `release`: a consumer that is
 * wholly done with a record's bytes calls it, and the buffer serves a later frame. A
 * record never released is simply collected, as without a pool.
 *
 * With `slabs`, smaller frames (from `slicedFrom` bytes up to SLICED_UP_TO) are cut from
 * slabs too (slab-pool.ts), for a user that gives them back as well: a File daemon's
 * backup chunks, and its restore's records.
 */
import { SLICED_UP_TO, SlabPool } from './slab-pool.js';

/** Frames from this size on are worth a pooled buffer. */
const POOLED_FROM = 256 * 1024;
/** A pooled buffer: a 1 MiB chunk's record frame, and room for what compression may add. */
const POOLED_SIZE = 1024 * 1024 + 64 * 1024;
export interface SlabOptions {
  /** Frames from this size up to SLICED_UP_TO are cut from slabs (smaller ones: fresh, from Node's own pool). */
  readonly slicedFrom: number;
}

export class FramePool {
  private readonly free: Buffer[] = [];
  private readonly slabs: SlabPool | null;

  /**
   * `keep`: spare buffers kept for reuse at most (a pool shared by many connections
   * wants more). `slabs`: smaller frames are cut from slabs as well.
   */
  constructor(private readonly keep = 4, private readonly slabbed: SlabOptions | null = null) {
    this.slabs = slabbed === null ? null : new SlabPool();
  }

  /** Every buffer handed out and not yet given back, by its memory. */
  private readonly lent = new WeakSet<ArrayBufferLike>();

  /** A buffer of `length` bytes for a frame, pooled when the size suits; `pooled` says which. */
  take(length: number): { frame: Buffer; pooled: boolean } {
    if (this.slabs !== null && this.slabbed !== null && length >= this.slabbed.slicedFrom && length <= SLICED_UP_TO) return { frame: this.slabs.take(length), pooled: true };
    if (length < POOLED_FROM || length > POOLED_SIZE) return { frame: Buffer.allocUnsafe(length), pooled: false };
    const whole = this.free.pop() ?? Buffer.allocUnsafeSlow(POOLED_SIZE);
    this.lent.add(whole.buffer);
    return { frame: whole.subarray(0, length), pooled: true };
  }

  /** Gives back the buffer holding `view`; a second give, or a buffer not lent, is ignored. */
  give(view: Buffer): void {
    this.slabs?.give(view);
    const memory = view.buffer;
    if (!this.lent.has(memory)) return;
    this.lent.delete(memory);
    if (this.free.length < this.keep) this.free.push(Buffer.from(memory, 0, POOLED_SIZE));
  }

  /** A copy of `view` in a buffer of the pool (a frame lying whole in a read the next one overwrites). */
  copyOf(view: Buffer): Buffer {
    const { frame } = this.take(view.length);
    view.copy(frame);
    return frame;
  }
}
