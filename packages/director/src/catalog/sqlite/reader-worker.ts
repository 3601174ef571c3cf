/**
 * The catalog's reader thread (reader-thread.ts starts it): long reads of the catalog
 * on a read-only connection of its own to the same SQLite file. The catalog is in WAL
 * mode, so this reader and the Director's writer go on side by side; each stream reads
 * inside one transaction, so all its batches come from the catalog as it was when it
 * began, whatever is written meanwhile.
 *
 * Requests are served one at a time, in order: a stream holds the connection (an
 * iterating statement may be open) from its first batch to its end, while it waits
 * for its consumer to take batches (reader-wire.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { treePageQueries } from './tree-pages.js';
import { restoreQueries } from './restore.js';
import { fileListing } from './files.js';
import { queryOps } from './query.js';
import { stateSnapshots, type LocalSnapshot } from './snapshot.js';
import { unpurgedJobs } from './prune.js';
import { READER_PAGE_CACHE_PRAGMA } from './page-cache.js';
import {
  FILE_BATCH, filesToWire, pageToWire, READER_WINDOW,
  type FromReader, type ReaderData, type ReaderRequest, type ToReader,
} from './reader-wire.js';

const port = parentPort;
if (port === null) throw new Error('reader-worker.ts runs only as a worker thread');

const data = workerData as ReaderData;
const db = new Database(data.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(READER_PAGE_CACHE_PRAGMA);
const trees = treePageQueries(db);
const restore = restoreQueries(db);
const listing = fileListing(db);
// The query command's statements run on a connection of their own that cannot write (query.ts).
const queries = queryOps(data.file);
const states = stateSnapshots(db);
/** A restore, its tree, its browsing and an Accurate state never read a job marked PurgedFiles. */
const unpurged = unpurgedJobs(db);
/**
 * The WAL's checkpoints (ADR 0010), off the Director's main thread: the writer there
 * leaves them to this connection, which copies what was committed into the database
 * file and syncs it. PASSIVE waits for nobody: it copies what no reader still needs
 * while the writer goes on appending. The writer starts the WAL again from its
 * beginning when it begins a transaction with everything copied, so the WAL holds what
 * is written between two checkpoints; hence a checkpoint again soon after one that
 * found new frames (the less each copies, the likelier it ends between two of the
 * writer's transactions), and every checkpointMs otherwise.
 */
const checkpointer = data.checkpointMs > 0 ? new Database(data.file, { fileMustExist: true }) : null;
/** After a checkpoint that found new frames, the next one this soon (ms). */
const CHECKPOINT_AGAIN_MS = 25;
let checkpoints: NodeJS.Timeout | undefined;
let framesBefore = -1;

function checkpoint(db: Database.Database): void {
  let next = data.checkpointMs;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    if (r !== undefined && r.log !== framesBefore) next = CHECKPOINT_AGAIN_MS;
    framesBefore = r?.log ?? -1;
  } catch {
    // Tried again next time; the writer's own checkpoint bounds the WAL if this one keeps failing.
  }
  checkpoints = setTimeout(() => checkpoint(db), next);
}
if (checkpointer !== null) checkpoints = setTimeout(() => checkpoint(checkpointer), data.checkpointMs);

/** Accurate states made here, by number, until dropped (their tables are this connection's). */
const snapshots = new Map<number, LocalSnapshot>();
let lastSnapshot = 0;

interface Batch { batch: unknown; transfer: ArrayBuffer[] }

interface Stream {
  credit: number;
  cancelled: boolean;
  wake?: () => void;
}

const streams = new Map<number, Stream>();
let queue: Promise<void> = Promise.resolve();

function reply(m: FromReader, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(m, transfer);
}

port.on('message', (m: ToReader) => {
  if (m.op === 'open') {
    const stream: Stream = { credit: READER_WINDOW, cancelled: false };
    streams.set(m.id, stream);
    queue = queue.then(() => serve(m.id, stream, m.request));
  } else if (m.op === 'close') {
    for (const s of streams.values()) stop(s);
    queue = queue.then(close);
  } else {
    const s = streams.get(m.id);
    if (s === undefined) return; // ended already
    if (m.op === 'more') s.credit++;
    else stop(s);
    s.wake?.();
  }
});

function stop(s: Stream): void {
  s.cancelled = true;
  s.wake?.();
}

/** The batches that answer a request, made as they are asked for. */
function* batches(request: ReaderRequest): Generator<Batch> {
  switch (request.kind) {
    case 'treePages': {
      const sent = new Set<number>();
      for (const page of trees.restoreTreePages(unpurged(request.jobIds), { owners: request.owners })) yield pageToWire(page, sent);
      return;
    }
    case 'fileVersions':
      yield { batch: restore.fileVersions(unpurged(request.jobIds), Buffer.from(request.path)), transfer: [] };
      return;
    case 'restoreFiles': {
      // The choice is sorted by volume as a whole: made at once, sent in batches.
      const paths = request.paths?.map((p) => Buffer.from(p));
      const rows = restore.selectRestoreFiles(unpurged(request.jobIds), paths === undefined ? undefined : { paths });
      for (let at = 0; at < rows.length; at += FILE_BATCH) yield filesToWire(rows.slice(at, at + FILE_BATCH));
      return;
    }
    case 'files':
      for (const page of listing.pages(request.jobId)) yield { batch: page, transfer: [] };
      return;
    case 'query':
      yield { batch: queries.readOnlyQuery(request.sql, request.params, request.maxRows), transfer: [] };
      return;
    case 'snapshot': {
      const made = states.snapshotCurrentState(unpurged(request.jobIds), { digests: request.digests });
      snapshots.set(++lastSnapshot, made);
      yield { batch: { snapshot: lastSnapshot, count: made.count }, transfer: [] };
      return;
    }
    case 'snapshotPage':
      yield { batch: snapshot(request.snapshot).page(request.after, request.limit), transfer: [] };
      return;
    case 'snapshotGet':
      yield { batch: snapshot(request.snapshot).get(request.seqs), transfer: [] };
      return;
    case 'snapshotDrop':
      snapshots.get(request.snapshot)?.drop();
      snapshots.delete(request.snapshot);
      yield { batch: true, transfer: [] };
      return;
  }
}

function snapshot(n: number): LocalSnapshot {
  const s = snapshots.get(n);
  if (s === undefined) throw new BurrowError('CATALOG', `accurate state ${n} is not there (dropped, or made by a reader thread that has since stopped)`);
  return s;
}

/** Never rejects: a failure is the stream's answer, and the requests queued after it still run. */
async function serve(id: number, s: Stream, request: ReaderRequest): Promise<void> {
  let answer: Generator<Batch> | undefined;
  try {
    if (s.cancelled) return;
    db.exec('BEGIN');
    answer = batches(request);
    while (!s.cancelled) {
      if (s.credit === 0) {
        await new Promise<void>((resolve) => { s.wake = resolve; });
        s.wake = undefined;
        continue;
      }
      const next = answer.next();
      if (next.done === true) {
        reply({ op: 'end', id });
        return;
      }
      s.credit--;
      reply({ op: 'batch', id, batch: next.value.batch }, next.value.transfer);
    }
  } catch (err) {
    const code = err instanceof BurrowError ? err.code : 'CATALOG';
    reply({ op: 'failed', id, code, message: describeError(err) });
  } finally {
    streams.delete(id);
    answer?.return(undefined);
    if (db.inTransaction) db.exec('COMMIT');
  }
}

function close(): void {
  clearTimeout(checkpoints);
  checkpointer?.close();
  queries.closeQueries();
  db.close();
  const flag = new Int32Array(data.closed);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  port?.close();
}
