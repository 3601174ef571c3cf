/**
 * What the Director's main thread and the catalog's reader thread (reader-thread.ts,
 * reader-worker.ts) say to each other, and how a TreePage crosses between them.
 *
 * A stream (one request's answer in batches) is paced by its consumer: the reader
 * sends at most READER_WINDOW batches ahead of what the main thread has taken, and
 * each batch taken asks for one more (`more`). Memory stays bounded whatever the job's
 * size, and no message carries more than one page (TREE_PAGE entries), FILE_BATCH
 * chosen files, a page of a job's file rows (files.ts) or a query's rows (at most the
 * limit it was asked with).
 */
import type { BurrowErrorCode } from '@burrow/common/errors/index';
import type { QueryParam, RestoreFileRow, TreePage } from '../types.js';

/** Batches a stream may run ahead of its consumer: one being used, one on its way. */
export const READER_WINDOW = 2;

/** Chosen files (RestoreFileRow) in one batch. */
export const FILE_BATCH = 10_000;

/** What the reader thread is started with. */
export interface ReaderData {
  readonly file: string;
  /** One Int32 the reader sets to 1 (and notifies) once its connection is closed. */
  readonly closed: SharedArrayBuffer;
  /** Checkpoint the catalog's WAL this often (ms) on a connection of the thread's own; 0: never. */
  readonly checkpointMs: number;
}

/** What a stream answers (the long reads of Catalog the reader thread serves). */
export type ReaderRequest =
  | { readonly kind: 'treePages'; readonly jobIds: readonly number[]; readonly owners: boolean }
  | { readonly kind: 'fileVersions'; readonly jobIds: readonly number[]; readonly path: Uint8Array }
  | { readonly kind: 'restoreFiles'; readonly jobIds: readonly number[]; readonly paths?: readonly Uint8Array[] }
  | { readonly kind: 'files'; readonly jobId: number }
  | { readonly kind: 'query'; readonly sql: string; readonly params: readonly QueryParam[]; readonly maxRows: number }
  /** Makes an Accurate state (answers its number and count); the others read or drop it by that number. */
  | { readonly kind: 'snapshot'; readonly jobIds: readonly number[]; readonly digests: boolean }
  | { readonly kind: 'snapshotPage'; readonly snapshot: number; readonly after: number; readonly limit: number }
  | { readonly kind: 'snapshotGet'; readonly snapshot: number; readonly seqs: readonly number[] }
  | { readonly kind: 'snapshotDrop'; readonly snapshot: number };

export type ToReader =
  | { readonly op: 'open'; readonly id: number; readonly request: ReaderRequest }
  /** The consumer took a batch: one more may come. */
  | { readonly op: 'more'; readonly id: number }
  /** The consumer stopped early (an error, a console gone): the stream ends without another batch. */
  | { readonly op: 'cancel'; readonly id: number }
  /** Ends every stream, closes the connection, then sets `closed`. */
  | { readonly op: 'close' };

/** A batch's form depends on the request: WirePage, WireFiles, or as cloned FileVersion[], FileRow[], QueryRows. */
export type FromReader =
  | { readonly op: 'batch'; readonly id: number; readonly batch: unknown }
  | { readonly op: 'end'; readonly id: number }
  | { readonly op: 'failed'; readonly id: number; readonly code: BurrowErrorCode; readonly message: string };

/**
 * A TreePage as it crosses: its columns as they are (handed over, not copied), the
 * names in a buffer of their own, and instead of every directory of the stream only
 * those no earlier page of it named (the main thread keeps the others).
 */
export interface WirePage {
  readonly count: number;
  readonly columns: readonly Float64Array[];
  readonly uid: Float64Array | null;
  readonly names: Uint8Array;
  readonly nameStart: Uint32Array;
  readonly dirIds: Float64Array;
  readonly dirPaths: Uint8Array;
  readonly dirStart: Uint32Array;
}

/** The column order of WirePage.columns. */
const COLUMNS = ['pathId', 'jobId', 'fileIndex', 'mediaId', 'addr', 'type', 'size', 'mtime'] as const;

/**
 * The wire form of `page` and what to transfer with it; `sent` holds the directories
 * earlier pages carried, and gets this page's. The page's arrays are handed over:
 * the reader must not touch it afterwards.
 */
export function pageToWire(page: TreePage, sent: Set<number>): { batch: WirePage; transfer: ArrayBuffer[] } {
  const newDirs: number[] = [];
  for (let i = 0; i < page.count; i++) {
    const id = page.pathId[i] as number;
    if (!sent.has(id)) {
      sent.add(id);
      newDirs.push(id);
    }
  }
  const paths = newDirs.map((id) => page.dirs.get(id) ?? Buffer.alloc(0));
  const dirStart = new Uint32Array(paths.length + 1);
  paths.forEach((p, i) => { dirStart[i + 1] = (dirStart[i] as number) + p.length; });
  const dirPaths = new Uint8Array(dirStart[paths.length] as number);
  paths.forEach((p, i) => dirPaths.set(p, dirStart[i]));
  // Names in a buffer of their own (SQLite's blob) are handed over as they are; names
  // sharing a larger (pooled) buffer are copied into one of their own first.
  const own = page.names.byteOffset === 0 && page.names.byteLength === page.names.buffer.byteLength;
  const names = own ? page.names : new Uint8Array(page.names);
  const columns = COLUMNS.map((c) => page[c]);
  const wire: WirePage = {
    count: page.count, columns, uid: page.uid, names, nameStart: page.nameStart,
    dirIds: Float64Array.from(newDirs), dirPaths, dirStart,
  };
  const arrays = [...columns, page.uid, page.nameStart, names, wire.dirIds, dirPaths, dirStart];
  // Each buffer once: a buffer named twice in a transfer list is refused.
  return { batch: wire, transfer: [...new Set(arrays.flatMap((a) => (a === null ? [] : [a.buffer as ArrayBuffer])))] };
}

/** The TreePage a wire page stands for; `dirs` (the stream's, shared by its pages) gets its new directories. */
export function pageFromWire(w: WirePage, dirs: Map<number, Buffer>): TreePage {
  for (let i = 0; i < w.dirIds.length; i++) {
    dirs.set(w.dirIds[i] as number, Buffer.from(w.dirPaths.buffer, w.dirPaths.byteOffset + (w.dirStart[i] as number),
      (w.dirStart[i + 1] as number) - (w.dirStart[i] as number)));
  }
  const [pathId, jobId, fileIndex, mediaId, addr, type, size, mtime] = w.columns as [Float64Array, Float64Array, Float64Array,
    Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return {
    count: w.count, pathId, jobId, fileIndex, mediaId, addr, type, size, mtime, uid: w.uid,
    names: Buffer.from(w.names.buffer, w.names.byteOffset, w.names.byteLength), nameStart: w.nameStart, dirs,
  };
}

/** Chosen files (RestoreFileRow) as columns: the numbers, the paths back to back, each file's volume by index. */
export interface WireFiles {
  readonly count: number;
  /** jobId, fileIndex, mediaId, addr, type, volume (an index into `volumes`) per file. */
  readonly numbers: Float64Array;
  readonly paths: Uint8Array;
  readonly pathStart: Uint32Array;
  readonly volumes: readonly string[];
}

const FILE_NUMBERS = 6;

export function filesToWire(rows: readonly RestoreFileRow[]): { batch: WireFiles; transfer: ArrayBuffer[] } {
  const numbers = new Float64Array(rows.length * FILE_NUMBERS);
  const pathStart = new Uint32Array(rows.length + 1);
  const volumes: string[] = [];
  const volumeIndex = new Map<string, number>();
  rows.forEach((r, i) => {
    let v = volumeIndex.get(r.volumeName);
    if (v === undefined) {
      volumeIndex.set(r.volumeName, (v = volumes.length));
      volumes.push(r.volumeName);
    }
    numbers.set([r.jobId, r.fileIndex, r.mediaId, r.addr, r.type, v], i * FILE_NUMBERS);
    pathStart[i + 1] = (pathStart[i] as number) + r.path.length;
  });
  const paths = new Uint8Array(pathStart[rows.length] as number);
  rows.forEach((r, i) => paths.set(r.path, pathStart[i]));
  return { batch: { count: rows.length, numbers, paths, pathStart, volumes }, transfer: [numbers.buffer, paths.buffer, pathStart.buffer] };
}

export function filesFromWire(w: WireFiles): RestoreFileRow[] {
  const rows: RestoreFileRow[] = [];
  for (let i = 0, k = 0; i < w.count; i++, k += FILE_NUMBERS) {
    const at = w.pathStart[i] as number;
    rows.push({
      jobId: w.numbers[k] as number, fileIndex: w.numbers[k + 1] as number, mediaId: w.numbers[k + 2] as number,
      addr: w.numbers[k + 3] as number, type: w.numbers[k + 4] as number, volumeName: w.volumes[w.numbers[k + 5] as number] as string,
      path: Buffer.from(w.paths.buffer, w.paths.byteOffset + at, (w.pathStart[i + 1] as number) - at),
    });
  }
  return rows;
}
