/**
 * A client socket's reads into one kept buffer (the `onread` option of net.connect and
 * tls.connect) instead of a fresh Buffer per read. A restoring File daemon reads
 * gigabytes in 16 KiB TLS records: each fresh buffer outlived the young generation's
 * collections and was freed only at a full one, which V8 starts once external memory
 * grew by about 64 MiB, so the daemon's peak swung by that much (bench/README.md, step 10).
 *
 * A read is only valid until the next one: whatever keeps bytes of it (a frame lying
 * whole in the read) must copy them first (`holds`).
 */

/** Bytes of the kept buffer: a few TLS records, or one plain TCP read of the usual size. */
const KEPT_READ_BYTES = 64 * 1024;

export class KeptReads {
  private readonly buffer = Buffer.allocUnsafeSlow(KEPT_READ_BYTES);
  private sink: ((read: Buffer) => void) | null = null;
  /** Reads that came before a sink was given, copied (none in practice: see drainTo). */
  private readonly early: Buffer[] = [];

  /** The `onread` option for net.connect / tls.connect. */
  readonly onread = {
    buffer: this.buffer,
    callback: (bytes: number, buffer: Uint8Array): boolean => {
      const read = Buffer.from(buffer.buffer, buffer.byteOffset, bytes);
      if (this.sink !== null) this.sink(read);
      else this.early.push(Buffer.from(read));
      return true; // go on reading (the Channel pauses the socket itself when its inbox is full)
    },
  };

  /**
   * From now on every read goes to `sink`, first those that came before. The Channel
   * is made in the same turn as the socket's connect event, so no read can come
   * between; the copies are for safety, not for speed.
   */
  drainTo(sink: (read: Buffer) => void): void {
    this.sink = sink;
    for (const read of this.early.splice(0)) sink(read);
  }

  /** Whether `view` lies in the kept buffer, which the next read overwrites. */
  holds(view: Uint8Array): boolean {
    return view.buffer === this.buffer.buffer;
  }
}
