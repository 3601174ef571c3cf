/**
 * gzip members written into a buffer the caller gives, by one zlib deflate stream per
 * level, reset between members: the compression thread's gzip without garbage.
 *
 * `gzipSync` makes, per call, a zlib stream object, zlib's deflate state (about
 * 270 KiB at level 6, allocated and freed) and a fresh output buffer. On the main
 * thread the collector reclaims them soon; on the compression thread, which allocates
 * little JavaScript, it runs seldom and the fresh buffers piled up: measured with
 * 20,000 files of 1–16 KiB (`small`, GZIP6), the thread held 35-65 MiB of array
 * buffers and the File daemon peaked at 194 MiB against 140 without compression. A
 * bare thread gzipping 4 MiB of chunks 40 times: peak 88 MiB with `gzipSync`, 65 (the
 * process without any gzip) this way, at the same CPU.
 *
 * node:zlib has no public call that compresses into a given buffer; its synchronous
 * functions use the stream's handle (`writeSync` into an output buffer, the bytes left
 * in `_writeState`), and so does this, the stream kept. The member is the one
 * `gzipSync` writes with the same level (deflateReset keeps the header's settings;
 * tested). Where a Node release lacks those internals, or a member does not fit,
 * `gzipSync` answers as before.
 */
import { constants, createGzip, gzipSync, type Gzip, type ZlibReset } from 'node:zlib';

/** What node:zlib's synchronous functions use of a stream (lib/zlib.js, processChunkSync). */
interface ZlibInternals {
  _handle?: { writeSync?: (flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number) => void } | null;
  _writeState?: Uint32Array;
}

export class GzipMembers {
  /** One stream per level, made on first use; null: this Node has not the internals (gzipSync then). */
  private readonly streams = new Map<number, Gzip | null>();
  /** Whether the level's stream has written a member since it was made or reset. */
  private readonly used = new Set<number>();

  /** Writes `bytes` as one gzip member at `out[at]`; answers its length. Throws if it does not fit. */
  write(bytes: Uint8Array, level: number, out: Uint8Array, at: number): number {
    const stream = this.stream(level);
    if (stream !== null) {
      const length = this.written(stream, level, bytes, out, at);
      if (length !== null) return length;
    }
    const packed = gzipSync(bytes, { level });
    if (out.length - at < packed.length) throw new Error(`a gzip member of ${packed.length} bytes is larger than its bound`);
    out.set(packed, at);
    return packed.length;
  }

  /** Closes the streams (their zlib state is freed now, not at the next collection). */
  close(): void {
    for (const s of this.streams.values()) s?.close();
    this.streams.clear();
    this.used.clear();
  }

  private stream(level: number): Gzip | null {
    const known = this.streams.get(level);
    if (known !== undefined) return known;
    const made = createGzip({ level });
    const z = made as unknown as ZlibInternals;
    const usable = typeof z._handle?.writeSync === 'function' && z._writeState instanceof Uint32Array;
    if (!usable) made.close();
    this.streams.set(level, usable ? made : null);
    return usable ? made : null;
  }

  /** The member's length, or null when the stream could not finish it there (the caller falls back). */
  private written(stream: Gzip, level: number, bytes: Uint8Array, out: Uint8Array, at: number): number | null {
    const z = stream as unknown as Required<ZlibInternals>;
    try {
      if (this.used.has(level)) (stream as Gzip & ZlibReset).reset();
      this.used.add(level);
      const room = out.length - at;
      z._handle?.writeSync?.(constants.Z_FINISH, bytes, 0, bytes.length, out, at, room);
      const [outLeft, inLeft] = z._writeState;
      // Input left, or the output filled to its last byte (the member may not have ended):
      // not finished here. A stream that failed is dropped; the next member makes another.
      if (inLeft !== 0 || outLeft === 0 || outLeft === undefined || stream.destroyed) return this.dropped(level, stream);
      return room - outLeft;
    } catch {
      return this.dropped(level, stream);
    }
  }

  private dropped(level: number, stream: Gzip): null {
    stream.close();
    this.streams.delete(level);
    this.used.delete(level);
    return null;
  }
}
