/**
 * Length-prefixed frames: a 4-byte big-endian length, then that many bytes of one
 * encoded Envelope. The limit protects every daemon from a peer that announces a
 * huge frame: the connection is closed before any memory is committed to it.
 */
import { BurrowError } from '../errors/index.js';
import type { FramePool } from './frame-pool.js';

/** Large enough for a 64 KiB data chunk plus a catalog batch; small enough to be harmless. */
export const DEFAULT_MAX_FRAME = 4 * 1024 * 1024;
/** Bytes in front of every frame's payload: its length. */
export const FRAME_HEADER_SIZE = 4;
const HEADER = FRAME_HEADER_SIZE;

/** Writes the length into the first FRAME_HEADER_SIZE bytes of `frame`, which hold a payload behind them. */
export function sealFrame(frame: Uint8Array, maxFrame = DEFAULT_MAX_FRAME): Buffer {
  const out = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const length = out.length - HEADER;
  if (length > maxFrame) {
    throw new BurrowError('FRAME_TOO_LARGE', `frame of ${length} bytes exceeds the limit of ${maxFrame}`);
  }
  out.writeUInt32BE(length, 0);
  return out;
}

/**
 * Accumulates bytes from a stream and hands out complete frames. A frame that lies
 * whole inside one chunk is handed out as a view of it; one that spans chunks (a
 * 64 KiB record arrives in TLS records of 16 KiB) is copied once into a buffer of its
 * announced size.
 */
export class FrameDecoder {
  private readonly head = Buffer.alloc(HEADER);
  private headFill = 0;
  private frame: Buffer | undefined;
  private frameFill = 0;

  /** `pool`: where frames spanning reads are assembled (frame-pool.ts); none: fresh buffers. */
  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME, private readonly pool?: FramePool) {}

  /** Adds bytes; returns every frame now complete. Throws FRAME_TOO_LARGE on an oversize header. */
  push(data: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let at = 0;
    for (;;) {
      if (this.frame !== undefined) {
        const n = Math.min(this.frame.length - this.frameFill, data.length - at);
        data.copy(this.frame, this.frameFill, at, at + n);
        this.frameFill += n;
        at += n;
        if (this.frameFill < this.frame.length) break;
        frames.push(this.frame);
        this.frame = undefined;
        continue;
      }
      if (at === data.length) break;
      if (this.headFill === 0 && data.length - at >= HEADER) {
        const length = this.checkLength(data.readUInt32BE(at));
        at += HEADER;
        if (data.length - at >= length) {
          frames.push(data.subarray(at, at + length));
          at += length;
        } else {
          this.startFrame(length);
        }
        continue;
      }
      const n = Math.min(HEADER - this.headFill, data.length - at);
      data.copy(this.head, this.headFill, at, at + n);
      this.headFill += n;
      at += n;
      if (this.headFill < HEADER) break;
      this.headFill = 0;
      this.startFrame(this.checkLength(this.head.readUInt32BE(0)));
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.headFill + (this.frame === undefined ? 0 : HEADER + this.frameFill);
  }

  private checkLength(length: number): number {
    if (length > this.maxFrame) {
      throw new BurrowError('FRAME_TOO_LARGE', `peer announced a frame of ${length} bytes; the limit is ${this.maxFrame}`);
    }
    return length;
  }

  private startFrame(length: number): void {
    this.frame = this.pool === undefined ? Buffer.allocUnsafe(length) : this.pool.take(length).frame;
    this.frameFill = 0;
  }
}
