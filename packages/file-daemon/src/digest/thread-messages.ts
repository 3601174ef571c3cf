/** What the main thread and the digest thread (thread.ts, thread-worker.ts) say to each other. */
import type { SignatureName } from '@burrow/common/fileset/options';

export type ToDigestThread =
  | { readonly op: 'open'; readonly id: number; readonly name: SignatureName }
  /** The first `length` bytes of `buffer`, handed over (transferred); it comes back in `taken`. */
  | { readonly op: 'update'; readonly id: number; readonly buffer: ArrayBuffer; readonly length: number }
  | { readonly op: 'zeros'; readonly id: number; readonly count: number }
  | { readonly op: 'digest'; readonly id: number }
  /** The file's backup failed: forget its hasher. */
  | { readonly op: 'drop'; readonly id: number }
  /** Many small files at once: each span of `buffer` (handed over) is one file's whole data. */
  | { readonly op: 'spans'; readonly id: number; readonly buffer: ArrayBuffer; readonly spans: readonly DigestSpan[] };

/** One file's bytes in a batch: `[start, end)` of its buffer, hashed with `name`'s digest. */
export interface DigestSpan {
  readonly name: SignatureName;
  readonly start: number;
  readonly end: number;
}

export type FromDigestThread =
  /** An update is hashed: its buffer handed back, and `length` more bytes may be queued. */
  | { readonly op: 'taken'; readonly id: number; readonly buffer: ArrayBuffer; readonly length: number }
  | { readonly op: 'digest'; readonly id: number; readonly value: Uint8Array }
  /** A batch's digests, one per span in order, and its buffer handed back. */
  | { readonly op: 'spans'; readonly id: number; readonly buffer: ArrayBuffer; readonly digests: readonly Uint8Array[] }
  | { readonly op: 'failed'; readonly id: number; readonly message: string };
