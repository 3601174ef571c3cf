/**
 * Making TreePages, two ways: from rows a query returns one at a time (a chain of
 * several jobs, or a user's console that needs each owner), and from a page SQLite
 * packed into one blob of numbers (as text) and one of names (one job, the common case of
 * a million files: there, values handed over one by one through the driver cost four
 * times what SQLite spends finding them).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { TreePage } from './types.js';

/**
 * Entries in one page. Up to three pages are in flight (READER_WINDOW ahead of the one
 * in use), each about 4 MiB at 20,000 entries across the two threads (its numbers as
 * text, parsed, as columns, its names): at 5,000 a restore tree of 50,000 files left
 * the Director 3-6 MiB smaller, and one of 1,000,000 files took as long (1.2-2.5 s
 * either way on a loaded machine; bench/README step 9b).
 */
export const TREE_PAGE = 5_000;

/** Numbers per entry in a packed page: fileIndex, pathId, type, size, mtime, mediaId, addr, name length. */
export const PACKED_NUMBERS = 8;

interface Columns {
  pathId: Float64Array; jobId: Float64Array; fileIndex: Float64Array; mediaId: Float64Array;
  addr: Float64Array; type: Float64Array; size: Float64Array; mtime: Float64Array;
}

function columns(n: number): Columns {
  return {
    pathId: new Float64Array(n), jobId: new Float64Array(n), fileIndex: new Float64Array(n), mediaId: new Float64Array(n),
    addr: new Float64Array(n), type: new Float64Array(n), size: new Float64Array(n), mtime: new Float64Array(n),
  };
}

export interface TreeRow {
  pathId: number; jobId: number; fileIndex: number; mediaId: number; addr: number;
  type: number; size: number; mtime: number; name: Buffer; uid?: number;
}

/** Collects rows into a page of at most TREE_PAGE entries. */
export class TreePageBuilder {
  private readonly c = columns(TREE_PAGE);
  private readonly uid: Float64Array | null;
  private readonly nameStart = new Uint32Array(TREE_PAGE + 1);
  private names = Buffer.allocUnsafe(64 * 1024);
  private n = 0;

  constructor(withOwners: boolean) {
    this.uid = withOwners ? new Float64Array(TREE_PAGE) : null;
  }

  get count(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === TREE_PAGE;
  }

  add(row: TreeRow): void {
    if (this.full) throw new BurrowError('INTERNAL', 'restore tree page is full');
    const i = this.n++;
    const c = this.c;
    c.pathId[i] = row.pathId; c.jobId[i] = row.jobId; c.fileIndex[i] = row.fileIndex; c.mediaId[i] = row.mediaId;
    c.addr[i] = row.addr; c.type[i] = row.type; c.size[i] = row.size; c.mtime[i] = row.mtime;
    if (this.uid !== null) {
      if (row.uid === undefined) throw new BurrowError('INTERNAL', 'restore tree row lacks its owner');
      this.uid[i] = row.uid;
    }
    const at = this.nameStart[i] as number;
    if (at + row.name.length > this.names.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.names.length * 2, at + row.name.length));
      this.names.copy(bigger, 0, 0, at);
      this.names = bigger;
    }
    row.name.copy(this.names, at);
    this.nameStart[i + 1] = at + row.name.length;
  }

  finish(dirs: ReadonlyMap<number, Buffer>): TreePage {
    const n = this.n;
    const cut = (a: Float64Array): Float64Array => a.slice(0, n);
    const c = this.c;
    return {
      count: n, pathId: cut(c.pathId), jobId: cut(c.jobId), fileIndex: cut(c.fileIndex), mediaId: cut(c.mediaId),
      addr: cut(c.addr), type: cut(c.type), size: cut(c.size), mtime: cut(c.mtime),
      names: Buffer.from(this.names.subarray(0, this.nameStart[n])), nameStart: this.nameStart.slice(0, n + 1),
      uid: this.uid === null ? null : cut(this.uid), dirs,
    };
  }
}

/**
 * A page SQLite packed: `numbers` lists PACKED_NUMBERS integers per entry as ASCII
 * text, comma separated (decimal, maybe negative: an mtime before 1970); `names` holds
 * the names back to back, their lengths being the last number of each entry. The
 * numbers come as bytes (a BLOB), not a string, and are parsed straight into the
 * page's columns: a string of some 200 KiB a page would be a large object in the
 * reader thread's old generation, and a scratch array of all the numbers as much
 * garbage again, both left for a full collection (bench/README 11-Dir-b).
 */
export function unpackTreePage(count: number, jobId: number, numbers: Uint8Array, names: Buffer, dirs: ReadonlyMap<number, Buffer>): TreePage {
  const c = columns(count);
  const nameStart = new Uint32Array(count + 1);
  // An entry's numbers in their packed order; the last, the name's length, goes to nameStart.
  const fields = [c.fileIndex, c.pathId, c.type, c.size, c.mtime, c.mediaId, c.addr];
  let entry = 0;
  let field = 0;
  const put = (value: number): void => {
    if (field < PACKED_NUMBERS - 1) {
      (fields[field] as Float64Array)[entry] = value;
      field++;
    } else {
      nameStart[entry + 1] = (nameStart[entry] as number) + value;
      entry++;
      field = 0;
    }
  };
  parseIntegers(numbers, count * PACKED_NUMBERS, put);
  if (nameStart[count] !== names.length) throw new BurrowError('INTERNAL', 'packed restore tree page: names do not add up');
  c.jobId.fill(jobId);
  return { count, ...c, names, nameStart, uid: null, dirs };
}

/** Exactly `expected` comma-separated decimal integers (maybe negative: an mtime before 1970), each given to `put` in order. */
function parseIntegers(text: Uint8Array, expected: number, put: (value: number) => void): void {
  if (text.length === 0 && expected === 0) return;
  let k = 0;
  let value = 0;
  let sign = 1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = i === text.length ? 0x2c : (text[i] as number);
    if (ch >= 0x30 && ch <= 0x39) {
      value = value * 10 + (ch - 0x30);
      digits++;
    } else if (ch === 0x2c && digits > 0 && k < expected) {
      put(sign * value);
      k++;
      value = 0;
      sign = 1;
      digits = 0;
    } else if (ch === 0x2d && digits === 0 && sign === 1) {
      sign = -1;
    } else {
      throw new BurrowError('INTERNAL', `packed restore tree page is malformed at character ${i}`);
    }
  }
  if (k !== expected) throw new BurrowError('INTERNAL', `packed restore tree page holds ${k} of ${expected} numbers`);
}

/** The entries of `page` for which `keep` says yes, as a page of their own. */
export function filterTreePage(page: TreePage, keep: (i: number) => boolean): TreePage {
  const b = new TreePageBuilder(page.uid !== null);
  for (let i = 0; i < page.count; i++) {
    if (!keep(i)) continue;
    b.add({
      pathId: page.pathId[i] as number, jobId: page.jobId[i] as number, fileIndex: page.fileIndex[i] as number,
      mediaId: page.mediaId[i] as number, addr: page.addr[i] as number, type: page.type[i] as number,
      size: page.size[i] as number, mtime: page.mtime[i] as number,
      name: page.names.subarray(page.nameStart[i], page.nameStart[i + 1]), uid: page.uid?.[i],
    });
  }
  return b.finish(page.dirs);
}
