/**
 * Buffers that a read volume reads its blocks into, lent and given back. A restore
 * reads its volume in 1 MiB blocks; a fresh buffer per block outlived the young
 * generation's collections (the block's records wait in the socket's queue) and was
 * freed only at a full collection, which V8 starts once external memory grew by about
 * 64 MiB: the Storage daemon's peak swung by that much (bench/README.md, step 11).
 *
 * A block's buffer is held by whoever still needs its bytes: the reader while it takes
 * the block's records apart, each record that is a view of it until the record was
 * written (its `release`), a record split over blocks until it was put together. Only
 * when the last holder let go does the buffer serve another block. A holder that never
 * lets go (a tool that keeps records) only keeps the buffer from serving again: it is
 * then collected like any other.
 */

import { BurrowError } from '@burrow/common/errors/index';

/** Blocks up to this size (header and payload, Burrow's 1 MiB blocks) read into lent buffers; larger ones into fresh ones. */
export const LENT_BLOCK_LIMIT = 1024 * 1024;

/** Spare buffers a volume's reader keeps: the block being taken apart, the one read ahead, and those the socket still writes. */
const KEEP = 6;

/** One lent buffer and who holds it. */
export class LentBlock {
  private holders = 1;

  /** Lent with one holder: whoever took it (the reader). */
  constructor(readonly buffer: Buffer, private readonly home: BlockBuffers) {}

  /** One more holder; the function returned lets go of that hold, once (a second call does nothing). */
  hold(): () => void {
    if (this.holders === 0) throw new BurrowError('INTERNAL', 'a block buffer held after it was given back');
    this.holders++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.letGo();
    };
  }

  /** The taker's own hold ends (call once). */
  letGo(): void {
    if (this.holders === 0) return;
    this.holders--;
    if (this.holders === 0) this.home.giveBack(this.buffer);
  }

  /** Whether someone still holds it (tests). */
  get held(): boolean {
    return this.holders > 0;
  }
}

export class BlockBuffers {
  private readonly free: Buffer[] = [];
  /** Bytes of every buffer this pool lends: the largest read asked for so far, up to LENT_BLOCK_LIMIT. */
  private size = 0;

  constructor(private readonly keep = KEEP) {}

  /**
   * A buffer of `length` bytes, lent (its LentBlock) when the size suits, else a fresh
   * one (`lent` undefined) that is simply collected.
   */
  take(length: number): { buffer: Buffer; lent: LentBlock | undefined } {
    if (length > LENT_BLOCK_LIMIT || length === 0) return { buffer: Buffer.allocUnsafe(length), lent: undefined };
    if (length > this.size) {
      // Larger blocks than before (the first read of a volume asks for a small block's size): the spares are too small.
      this.size = length;
      this.free.length = 0;
    }
    const whole = this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    return { buffer: whole.subarray(0, length), lent: new LentBlock(whole, this) };
  }

  /** LentBlock's, once its last holder let go. */
  giveBack(whole: Buffer): void {
    if (whole.length === this.size && this.free.length < this.keep) this.free.push(whole);
  }

  /** Spare buffers now (tests). */
  get spare(): number {
    return this.free.length;
  }
}
