/**
 * Digests of many small files, computed on the digest thread in batches, for a restore.
 *
 * A restore of small files spent a sixth of the File daemon's main thread in MD5 (the
 * main thread is what bounds it: it also makes every file). A message to the thread per
 * file costs about what hashing 8 KiB does, so each file's bytes are copied into a
 * shared 256 KiB batch (a copy costs a thirtieth of hashing) and a batch goes to the
 * thread as one message. A file's digest is therefore known only once its batch came
 * back, and a restore must not wait for it before the next file (the batch would never
 * fill): it checks these digests after the fact (`BatchedStreamHasher.check`).
 *
 * A file that turns out larger than its batch has room for, or that has holes, is
 * hashed here instead, from what it had in the batch on: the digest is the same.
 */
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { SignatureName } from '@burrow/common/fileset/options';
import type { Hasher } from './hasher.js';
import { inlineHasher, type DigestThread, type StreamHasher } from './thread.js';
import type { DigestSpan } from './thread-messages.js';

const BATCH_BYTES = 256 * 1024;
/** Files in one batch at most (empty files take no room). */
const SPANS_PER_BATCH = 4096;
/** Batches out on the thread at most; a file's update() waits beyond (bounded memory). */
const BATCHES_IN_FLIGHT = 4;
const READY = Promise.resolve();

/**
 * A StreamHasher whose digest is known only once its batch was sent (flush()): check()
 * hands the answer to a callback then, without a Promise per file (a restore of
 * 50,000 files kept their promises past the young generation's collections and the
 * File daemon's heap grew by 40 MiB). digest() works too (tests, callers that wait).
 */
export interface BatchedStreamHasher extends StreamHasher {
  readonly deferred: true;
  /** Calls `done` with null when the digest is `want`, else with the problem; once. */
  check(want: Buffer, done: (problem: string | null) => void): void;
}

type Answer = (digest: Buffer | null, err: unknown) => void;

interface Entry {
  readonly name: SignatureName;
  readonly start: number;
  end: number;
  /** Still taking bytes (no digest asked for yet). */
  open: boolean;
  dropped: boolean;
  /** Who takes the digest (or the failure) when the batch comes back. */
  answer: Answer | null;
  /** Takes the file out of the batch: hashed here from its bytes so far on. */
  leave: () => void;
}

class Batch {
  readonly entries: Entry[] = [];
  used = 0;

  constructor(readonly buffer: ArrayBuffer) {}

  room(): number {
    return this.buffer.byteLength - this.used;
  }
}

/** What a digest check says: null, or the problem. */
export function digestProblem(want: Buffer, got: Buffer): string | null {
  return got.equals(want) ? null : `digest mismatch: saved ${want.toString('hex')}, restored ${got.toString('hex')}`;
}

export class BatchedDigests {
  private batch: Batch | null = null;
  private inFlight = 0;
  private roomWaiters: Array<() => void> = [];
  private readonly free: ArrayBuffer[] = [];

  constructor(
    private readonly thread: DigestThread,
    /** A hasher of this thread, for a file that leaves its batch. */
    private readonly openHere: (name: SignatureName) => Hasher | undefined,
  ) {}

  /**
   * One file's hasher, for a file of about `size` bytes (at most a batch). Its bytes go
   * into the current batch; a batch without room for `size` more is sent first.
   */
  open(name: SignatureName, size: number): BatchedStreamHasher {
    if (this.batch !== null && (this.batch.room() < size || this.batch.entries.length >= SPANS_PER_BATCH)) this.flush();
    const batch = this.current();
    let here: StreamHasher | null = null;
    const entry: Entry = {
      name, start: batch.used, end: batch.used, open: true, dropped: false, answer: null,
      leave: () => {
        if (here !== null) return;
        const h = this.openHere(name);
        if (h === undefined) throw new BurrowError('INTERNAL', `digest algorithm ${name} is not known`);
        h.update(new Uint8Array(batch.buffer, entry.start, entry.end - entry.start));
        entry.dropped = true;
        entry.open = false;
        here = inlineHasher(h);
      },
    };
    batch.entries.push(entry);
    const inline = (): StreamHasher => {
      entry.leave();
      return here!;
    };
    const digest = (): Promise<Buffer> => {
      if (here !== null) return here.digest();
      entry.open = false;
      return new Promise((resolve, reject) => {
        entry.answer = (d, err) => (d !== null ? resolve(d) : reject(err));
      });
    };
    return {
      deferred: true,
      update: (bytes) => {
        if (here !== null) return here.update(bytes);
        // Its bytes must stay one span at the batch's end: else this file leaves the batch.
        if (entry.end !== batch.used || batch.room() < bytes.length) return inline().update(bytes);
        Buffer.from(batch.buffer, entry.end, bytes.length).set(bytes);
        entry.end += bytes.length;
        batch.used = entry.end;
        return this.inFlight < BATCHES_IN_FLIGHT ? READY : new Promise<void>((wake) => this.roomWaiters.push(wake));
      },
      zeros: (count) => inline().zeros(count),
      digest,
      check: (want, done) => {
        if (here !== null) {
          void here.digest().then((got) => done(digestProblem(want, got)), (err: unknown) => done(`digest not verified: ${describeError(err)}`));
          return;
        }
        entry.open = false;
        entry.answer = (got, err) => done(got !== null ? digestProblem(want, got) : `digest not verified: ${describeError(err)}`);
      },
      drop: () => {
        here?.drop();
        entry.dropped = true;
        entry.open = false;
      },
    };
  }

  /** Sends the current batch to the thread (a restore's end, or a batch without room). */
  flush(): void {
    const batch = this.batch;
    this.batch = null;
    if (batch === null) return;
    // A file still taking bytes when its batch goes is hashed here from then on.
    for (const e of batch.entries) if (e.open) e.leave();
    const sent = batch.entries.filter((e) => !e.dropped);
    if (sent.length === 0) {
      this.give(batch.buffer);
      return;
    }
    const spans: DigestSpan[] = sent.map((e) => ({ name: e.name, start: e.start, end: e.end }));
    this.inFlight++;
    this.thread.hashSpans(batch.buffer, spans).then(
      ({ buffer, digests }) => {
        this.give(buffer);
        sent.forEach((e, i) => e.answer?.(Buffer.from(digests[i]!), null));
      },
      (err: unknown) => { for (const e of sent) e.answer?.(null, err); },
    ).finally(() => {
      this.inFlight--;
      for (const wake of this.roomWaiters.splice(0)) wake();
    });
  }

  private current(): Batch {
    this.batch ??= new Batch(this.free.pop() ?? new ArrayBuffer(BATCH_BYTES));
    return this.batch;
  }

  private give(buffer: ArrayBuffer): void {
    if (this.free.length < BATCHES_IN_FLIGHT) this.free.push(buffer);
  }
}
