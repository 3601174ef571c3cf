/** What the main thread and the digest thread (thread.ts, thread-worker.ts) say to each other. */
import type { burrow } from '@burrow/common/proto/index';

export type ToDigestThread =
  | { readonly op: 'open'; readonly id: number; readonly algorithm: burrow.DigestAlgorithm }
  /** `bytes` is a view of shared memory the worker reads in place, or a buffer handed over to it. */
  | { readonly op: 'update'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly op: 'zeros'; readonly id: number; readonly count: number }
  | { readonly op: 'digest'; readonly id: number }
  /** The file's backup failed: forget its hasher. */
  | { readonly op: 'drop'; readonly id: number };

export type FromDigestThread =
  /** `bytes` of an update are hashed: the main thread may queue that much more. */
  | { readonly op: 'taken'; readonly id: number; readonly bytes: number }
  | { readonly op: 'digest'; readonly id: number; readonly value: Uint8Array }
  | { readonly op: 'failed'; readonly id: number; readonly message: string };
