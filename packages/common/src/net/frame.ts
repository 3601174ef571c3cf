/**
 * Length-prefixed frames: a 4-byte big-endian length, then that many bytes of one
 * encoded Envelope. The limit protects every daemon from a peer that announces a
 * huge frame: the connection is closed before any memory is committed to it.
 */
import { BurrowError } from '../errors/index.js';

/** Large enough for a 64 KiB data chunk plus a catalog batch; small enough to be harmless. */
export const DEFAULT_MAX_FRAME = 4 * 1024 * 1024;
const HEADER = 4;

export function encodeFrame(payload: Uint8Array, maxFrame = DEFAULT_MAX_FRAME): Buffer {
  if (payload.length > maxFrame) {
    throw new BurrowError('FRAME_TOO_LARGE', `frame of ${payload.length} bytes exceeds the limit of ${maxFrame}`);
  }
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, HEADER);
  return out;
}

/** Accumulates bytes from a stream and hands out complete frames. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  /** Adds bytes; returns every frame now complete. Throws FRAME_TOO_LARGE on an oversize header. */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < HEADER) break;
      const head = this.peek(HEADER);
      const length = head.readUInt32BE(0);
      if (length > this.maxFrame) {
        throw new BurrowError('FRAME_TOO_LARGE', `peer announced a frame of ${length} bytes; the limit is ${this.maxFrame}`);
      }
      if (this.buffered < HEADER + length) break;
      const whole = this.take(HEADER + length);
      frames.push(whole.subarray(HEADER));
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const joined = this.peek(n);
    const out = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= n;
    return out;
  }
}
