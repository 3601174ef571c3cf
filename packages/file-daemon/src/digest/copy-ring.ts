/**
 * Shared memory for chunks that are not shared already (a restore's records arrive in
 * the socket's buffers) on their way to the digest thread: each is copied in (a copy
 * costs a twentieth of hashing it) and its room is freed when the thread has taken
 * it. The thread takes updates in the order they were posted, so the ring frees in
 * that order too, and no shared memory is allocated per chunk.
 */
export class CopyRing {
  private readonly mem: Buffer;
  /** Where the next copy goes. */
  private head = 0;
  /** Bytes held, with the tail skipped when a copy did not fit before the end. */
  private used = 0;
  /** What each posted update holds (0: nothing of the ring), oldest first. */
  private readonly held: number[] = [];

  constructor(readonly size: number) {
    this.mem = Buffer.from(new SharedArrayBuffer(size));
  }

  /**
   * A copy of `bytes` in the ring, for the update about to be posted; null when there
   * is no room now (the caller waits for the thread to take something, or allocates).
   */
  copy(bytes: Uint8Array): Buffer | null {
    const n = bytes.length;
    let at = this.head;
    let skipped = 0;
    if (at + n > this.size) {
      skipped = this.size - at;
      at = 0;
    }
    if (this.used + skipped + n > this.size) return null;
    this.mem.set(bytes, at);
    this.head = at + n;
    this.used += skipped + n;
    this.held.push(skipped + n);
    return this.mem.subarray(at, at + n);
  }

  /** The update about to be posted holds nothing of the ring. */
  none(): void {
    this.held.push(0);
  }

  /** The oldest update posted was taken by the thread: its room is free. */
  taken(): void {
    this.used -= this.held.shift() ?? 0;
    if (this.used === 0) this.head = 0;
  }

  /** Whether any update is still out. */
  get busy(): boolean {
    return this.held.length > 0;
  }
}
