/**
 * Buffers for small frames and chunks, cut one after another from slabs of 1 MiB: a
 * slab serves again once every slice cut from it came back. A fresh buffer per small
 * record that lives long enough to outlive two young-generation collections (one
 * waiting for the socket to write it, or in a channel's inbox for the consumer) is
 * freed only by a full collection: backing up or restoring /usr/share (54,000 files,
 * most under 256 KiB) the File daemon's array buffers swung by 35-40 MiB a second, and
 * V8 ran a full collection each second to free them (bench/README.md, step 11).
 *
 * For a user whose slices come back in about the order they were cut (records sent or
 * written in order), so that few slabs are out at once. A slice never given back keeps
 * its slab from serving again; the slab is then simply collected with its slices.
 */

/** Slices are at most this size; larger buffers are the FramePool's (frame-pool.ts). */
export const SLICED_UP_TO = 256 * 1024;
/** A slab, cut into consecutive slices. */
const SLAB_SIZE = 1024 * 1024;
/** Slices start at multiples of this (aligned reads and header writes). */
const SLICE_ALIGN = 8;

interface Slab {
  readonly whole: Buffer;
  /** Where the next slice starts. */
  used: number;
  /**
   * The slices lent and not yet given back, as the very views take() gave: a stale
   * view given back twice cannot free a later slice at the same place.
   */
  readonly out: Set<Buffer>;
}

export class SlabPool {
  /** The slab slices are being cut from; null before the first. */
  private slab: Slab | null = null;
  /** Slabs whose slices all came back, for the next ones. */
  private readonly free: Slab[] = [];
  /** Every slab with slices lent, by its memory. */
  private readonly slabs = new WeakMap<ArrayBufferLike, Slab>();

  /** `keep`: spare slabs kept at most. */
  constructor(private readonly keep = 4) {}

  /** A buffer of `length` bytes (at most SLICED_UP_TO), to be given back with give(). */
  take(length: number): Buffer {
    if (length > SLICED_UP_TO) throw new RangeError(`a slab slice holds at most ${SLICED_UP_TO} bytes, not ${length}`);
    let slab = this.slab;
    if (slab === null || slab.used + length > SLAB_SIZE) {
      // The slab left behind serves again once its last slice comes back (give).
      if (slab !== null && slab.out.size === 0) this.spare(slab);
      slab = this.free.pop() ?? { whole: Buffer.allocUnsafeSlow(SLAB_SIZE), used: 0, out: new Set() };
      slab.used = 0;
      this.slab = slab;
      this.slabs.set(slab.whole.buffer, slab);
    }
    const at = slab.used;
    const view = slab.whole.subarray(at, at + length);
    slab.out.add(view);
    slab.used = Math.ceil((at + length) / SLICE_ALIGN) * SLICE_ALIGN;
    return view;
  }

  /**
   * Gives back a buffer take() gave (the very view it gave). A second give, or any
   * other buffer, is ignored.
   */
  give(view: Buffer): void {
    const slab = this.slabs.get(view.buffer);
    if (slab === undefined || !slab.out.delete(view)) return;
    if (slab.out.size > 0) return;
    if (slab === this.slab) slab.used = 0; // every slice back: cut again from its start
    else this.spare(slab);
  }

  private spare(slab: Slab): void {
    this.slabs.delete(slab.whole.buffer);
    if (this.free.length < this.keep) this.free.push(slab);
  }
}
