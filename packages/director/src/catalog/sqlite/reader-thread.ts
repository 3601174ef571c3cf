/**
 * Long reads of the catalog off the Director's event loop. Finding the newest version
 * of a million files takes SQLite seconds; on the main thread that would stall every
 * job, console and HTTP request meanwhile. The reader thread (reader-worker.ts, one
 * for the catalog, started on first use) runs them on a read-only connection of its
 * own and sends the answer back in batches, paced by the consumer (reader-wire.ts); the
 * main thread does its part of the work (building the tree) a batch at a time. The
 * short restore-browse reads (a file's versions) and the query command's statements
 * (an administrator's SQL, of any length) go the same way.
 *
 * The thread also checkpoints the catalog's WAL (keepCheckpointed), so the writer's
 * syncs stay off the event loop too (ADR 0010, its addendum on checkpoints).
 *
 * If the thread dies, every stream waiting on it fails with a CATALOG error naming the
 * catalog, and the next request starts a new thread. close() ends the thread and its
 * connection before the catalog's own connection checkpoints and closes.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { StateEntry, StateSnapshot } from '../catalog.js';
import type { FileRow, FileVersion, QueryParam, QueryRows, QueryValue, RestoreFileRow, RestoreFilter, TreePage } from '../types.js';
import {
  filesFromWire, pageFromWire,
  type FromReader, type ReaderData, type ReaderRequest, type ToReader, type WireFiles, type WirePage,
} from './reader-wire.js';

/** A Buffer crosses to the other thread as a plain Uint8Array: a Buffer again, without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** How long close() waits for the thread to close its connection (it may be in the middle of one query). */
const CLOSE_WAIT_MS = 5000;

/**
 * How often the thread checkpoints the WAL: what the writer commits meanwhile (a backup's
 * file rows come at some tens of MiB a second at most) is what the WAL holds.
 */
const CHECKPOINT_MS = 250;
/** The thread is started for checkpoints once the WAL is this large (a catalog barely written needs none)... */
const CHECKPOINTS_FROM_BYTES = 1024 * 1024;
/** ...looked at this often. */
const WAL_WATCH_MS = 1000;

/** A file's size; 0 when it is not there. */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A stream's batches as they arrive, until its end or its failure. */
class Arrivals {
  private readonly batches: unknown[] = [];
  private finished = false;
  private error: BurrowError | undefined;
  private waiter: (() => void) | undefined;

  get ended(): boolean {
    return this.finished || this.error !== undefined;
  }

  push(batch: unknown): void {
    this.batches.push(batch);
    this.wake();
  }

  end(): void {
    this.finished = true;
    this.wake();
  }

  fail(error: BurrowError): void {
    if (this.ended) return;
    this.error = error;
    this.wake();
  }

  /** The next batch, `done` at the end; throws the stream's failure. */
  async next(): Promise<{ done: false; batch: unknown } | { done: true }> {
    for (;;) {
      if (this.batches.length > 0) return { done: false, batch: this.batches.shift() };
      if (this.error !== undefined) throw this.error;
      if (this.finished) return { done: true };
      await new Promise<void>((resolve) => { this.waiter = resolve; });
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

export class CatalogReader {
  private worker: Worker | null = null;
  private closedFlag: Int32Array | null = null;
  private readonly streams = new Map<number, Arrivals>();
  private nextId = 1;
  private closed = false;
  private reffed = false;
  /** keepCheckpointed(): each thread started checkpoints the WAL; the watch starts one when the WAL grows. */
  private checkpointing = false;
  private walWatch: NodeJS.Timeout | undefined;

  constructor(private readonly file: string) {}

  /** Catalog.restoreTreePages. */
  async *treePages(jobIds: readonly number[], opts?: { owners?: boolean }): AsyncGenerator<TreePage> {
    const dirs = new Map<number, Buffer>();
    for await (const batch of this.stream({ kind: 'treePages', jobIds: [...jobIds], owners: opts?.owners === true })) {
      yield pageFromWire(batch as WirePage, dirs);
    }
  }

  /** Catalog.fileVersions. */
  async fileVersions(jobIds: readonly number[], path: Buffer): Promise<FileVersion[]> {
    const versions: FileVersion[] = [];
    for await (const batch of this.stream({ kind: 'fileVersions', jobIds: [...jobIds], path })) {
      for (const v of batch as FileVersion[]) versions.push({ ...v, digest: v.digest === null ? null : asBuffer(v.digest) });
    }
    return versions;
  }

  /** Catalog.selectRestoreFiles. */
  async selectRestoreFiles(jobIds: readonly number[], filter?: RestoreFilter): Promise<RestoreFileRow[]> {
    if (jobIds.length === 0) return [];
    const rows: RestoreFileRow[] = [];
    for await (const batch of this.stream({ kind: 'restoreFiles', jobIds: [...jobIds], paths: filter?.paths?.map((p) => new Uint8Array(p)) })) {
      for (const row of filesFromWire(batch as WireFiles)) rows.push(row);
    }
    return rows;
  }

  /** Catalog.iterateFiles. */
  async *files(jobId: number): AsyncGenerator<FileRow> {
    for await (const batch of this.stream({ kind: 'files', jobId })) {
      for (const r of batch as FileRow[]) {
        yield { ...r, path: asBuffer(r.path), attributes: asBuffer(r.attributes), digest: r.digest === null ? null : asBuffer(r.digest) };
      }
    }
  }

  /** Catalog.readOnlyQuery. */
  async readOnlyQuery(sql: string, params: readonly QueryParam[], maxRows: number): Promise<QueryRows> {
    const answer = await this.one({ kind: 'query', sql, params: [...params], maxRows }) as QueryRows;
    const cell = (v: QueryValue): QueryValue => (v instanceof Uint8Array ? asBuffer(v) : v);
    return { ...answer, rows: answer.rows.map((r) => r.map(cell)) };
  }

  /** Catalog.snapshotCurrentState: the state stays on the thread, read from there. */
  async snapshot(jobIds: readonly number[], options?: { readonly digests?: boolean }): Promise<StateSnapshot> {
    const made = await this.one({ kind: 'snapshot', jobIds: [...jobIds], digests: options?.digests === true }) as { snapshot: number; count: number };
    const snapshot = made.snapshot;
    return {
      count: made.count,
      page: async (after, limit) => (await this.one({ kind: 'snapshotPage', snapshot, after, limit }) as StateEntry[]).map((e) => ({
        ...e, attributes: asBuffer(e.attributes), ...(e.digest ? { digest: { algorithm: e.digest.algorithm, value: asBuffer(e.digest.value) } } : {}),
      })),
      get: async (seqs) => (await this.one({ kind: 'snapshotGet', snapshot, seqs: [...seqs] }) as Array<Uint8Array | undefined>)
        .map((a) => (a === undefined ? undefined : asBuffer(a))),
      drop: async () => { await this.one({ kind: 'snapshotDrop', snapshot }); },
    };
  }

  /** A request answered in one batch. */
  private async one(request: ReaderRequest): Promise<unknown> {
    for await (const batch of this.stream(request)) return batch;
    throw new BurrowError('INTERNAL', `the reader thread answered ${request.kind} with nothing`);
  }

  /** One request's batches as the consumer takes them; a consumer that stops early cancels the rest. */
  private async *stream(request: ReaderRequest): AsyncGenerator<unknown> {
    if (this.closed) throw new BurrowError('CATALOG', `catalog ${this.file} is closed`);
    const id = this.nextId++;
    const arrivals = new Arrivals();
    this.streams.set(id, arrivals);
    this.started().postMessage({ op: 'open', id, request } satisfies ToReader);
    this.busy();
    try {
      for (;;) {
        const next = await arrivals.next();
        if (next.done) return;
        yield next.batch;
        this.worker?.postMessage({ op: 'more', id } satisfies ToReader);
      }
    } finally {
      if (!arrivals.ended) this.worker?.postMessage({ op: 'cancel', id } satisfies ToReader);
      this.streams.delete(id);
      this.busy();
    }
  }

  /**
   * Hands the WAL's checkpoints to the thread (its writer then leaves them): a thread is
   * started for them once the WAL (`wal`, the catalog's -wal file) passes a MiB, and
   * again whenever it stopped, and each thread started, for a read too, checkpoints.
   */
  keepCheckpointed(wal: string): void {
    this.checkpointing = true;
    this.walWatch = setInterval(() => {
      if (this.worker === null && !this.closed && fileSize(wal) >= CHECKPOINTS_FROM_BYTES) this.started();
    }, WAL_WATCH_MS).unref();
  }

  /** Ends the thread after it has closed its connection; streams still open fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.walWatch);
    const w = this.worker;
    const flag = this.closedFlag;
    this.worker = null;
    this.fail(`catalog ${this.file} is closed`);
    if (w === null || flag === null) return;
    w.postMessage({ op: 'close' } satisfies ToReader);
    // Synchronous, as Catalog.close is: the catalog's own close checkpoints next, which
    // a reader still holding an old snapshot would hold up.
    Atomics.wait(flag, 0, 0, CLOSE_WAIT_MS);
    void w.terminate();
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const closed = new SharedArrayBuffer(4);
    const w = new Worker(new URL('./reader-worker.js', import.meta.url), { workerData: { file: this.file, closed, checkpointMs: this.checkpointing ? CHECKPOINT_MS : 0 } satisfies ReaderData });
    w.on('message', (m: FromReader) => this.onMessage(m));
    w.on('error', (err) => this.died(w, `stopped: ${describeError(err)}`));
    w.on('exit', (code) => this.died(w, `exited with code ${code}`));
    // Idle, the thread must not keep the process alive; busy() refs it while streams are open.
    w.unref();
    this.reffed = false;
    this.worker = w;
    this.closedFlag = new Int32Array(closed);
    return w;
  }

  private onMessage(m: FromReader): void {
    const arrivals = this.streams.get(m.id);
    if (arrivals === undefined) return; // the consumer left; a cancel is on its way
    if (m.op === 'batch') arrivals.push(m.batch);
    else if (m.op === 'end') arrivals.end();
    // A refusal of what was asked (a query that is not one SELECT) is the caller's, said as it is.
    else arrivals.fail(new BurrowError(m.code, m.code === 'CATALOG' ? `catalog ${this.file}: ${m.message}` : m.message));
  }

  private died(w: Worker, why: string): void {
    if (this.worker !== w) return; // closed, or already replaced
    this.worker = null;
    this.fail(`catalog ${this.file}: the reader thread ${why}`);
  }

  private fail(message: string): void {
    for (const a of this.streams.values()) a.fail(new BurrowError('CATALOG', message));
  }

  /** Keeps the process alive exactly while streams are open. */
  private busy(): void {
    const out = this.streams.size > 0;
    if (out === this.reffed || this.worker === null) return;
    this.reffed = out;
    if (out) this.worker.ref();
    else this.worker.unref();
  }
}
