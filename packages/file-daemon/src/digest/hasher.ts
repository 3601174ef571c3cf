/** One file's digest computed on the calling thread; node:crypto's Hash fits as it is. */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  /** The digest, once: the hasher is spent afterwards. */
  digest(): Buffer;
}
