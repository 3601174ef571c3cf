/**
 * The restore tree: the state a chain of backups left (per path, its newest version),
 * as a browsable tree that an operator marks files in. A client may have millions of
 * files, so nodes are columns of typed arrays indexed by node number and every name
 * lives in one byte arena: about 50 bytes a file, no object per node.
 *
 * Node 0 is "/". A node with jobId 0 is a directory that no chosen job saved itself
 * (a parent of the FileSet's top); it is browsable but has nothing to restore.
 * Children are found through a compressed child list made once after loading
 * (`seal`), each directory's slice sorted by name the first time it is looked into.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BurrowError } from '@burrow/common/errors/index';
import type { TreePage } from '../catalog/index.js';

const FT_DIRECTORY = 2;
const SLASH = 0x2f;

/** The path (ending in "/") of the directory a page's entry is in. */
function dirPath(page: TreePage, pathId: number): Buffer {
  const dir = page.dirs.get(pathId);
  if (dir === undefined) throw new BurrowError('INTERNAL', `restore tree entry in unknown directory ${pathId}`);
  return dir;
}

/** Columns that grow by doubling while the tree loads. */
class Columns {
  parent = new Int32Array(1024);
  nameStart = new Uint32Array(1024);
  nameLength = new Uint16Array(1024);
  jobId = new Uint32Array(1024);
  fileIndex = new Uint32Array(1024);
  media = new Uint32Array(1024);
  addr = new Float64Array(1024);
  size = new Float64Array(1024);
  mtime = new Float64Array(1024);
  type = new Uint8Array(1024);
  marked = new Uint8Array(1024);

  grow(): void {
    const grow = <T extends Int32Array | Uint32Array | Uint16Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent); this.nameStart = grow(this.nameStart); this.nameLength = grow(this.nameLength);
    this.jobId = grow(this.jobId); this.fileIndex = grow(this.fileIndex); this.media = grow(this.media);
    this.addr = grow(this.addr); this.size = grow(this.size); this.mtime = grow(this.mtime);
    this.type = grow(this.type); this.marked = grow(this.marked);
  }
}

export interface NodeInfo {
  node: number;
  name: Buffer;
  isDir: boolean;
  /** 0: not saved by a chosen job. */
  jobId: number;
  fileIndex: number;
  mediaId: number;
  addr: number;
  type: number;
  size: number;
  mtime: number;
  marked: boolean;
}

/** Nodes a walk visits between two turns of the event loop: a few milliseconds of work. */
const WALK_SLICE = 20_000;

export class RestoreTree {
  private readonly c = new Columns();
  private count = 1;
  private names = Buffer.alloc(1 << 16);
  private namesUsed = 0;
  /** Directories by full path with a trailing slash (latin1): only directories, not files. */
  private readonly dirs = new Map<string, number>([['/', 0]]);
  private readonly dirOfPathId = new Map<number, number>();
  private lastPathId = -1;
  private lastParent = 0;
  private childStart: Int32Array | null = null;
  private children: Int32Array | null = null;
  private sorted: Uint8Array | null = null;
  private markedCount = 0;

  private constructor() {
    this.c.type[0] = FT_DIRECTORY;
  }

  /**
   * Builds the tree from the catalog's pages of entries (Catalog.restoreTreePages),
   * letting the event loop run between pages: a page is a few milliseconds of work, a
   * million files some seconds that consoles and jobs must not wait for.
   */
  static async from(pages: AsyncIterable<TreePage> | Iterable<TreePage>): Promise<RestoreTree> {
    const tree = new RestoreTree();
    for await (const page of pages) {
      for (let i = 0; i < page.count; i++) tree.add(page, i);
      await yieldToLoop();
    }
    tree.seal();
    return tree;
  }

  get size(): number {
    return this.count;
  }

  get marks(): number {
    return this.markedCount;
  }

  /** A node named by bytes [start, end) of `source`. */
  private newNode(parent: number, source: Buffer, start = 0, end = source.length): number {
    if (this.count === this.c.parent.length) this.c.grow();
    const length = end - start;
    if (this.namesUsed + length > this.names.length) {
      const bigger = Buffer.alloc(Math.max(this.names.length * 2, this.namesUsed + length));
      this.names.copy(bigger, 0, 0, this.namesUsed);
      this.names = bigger;
    }
    const n = this.count++;
    this.c.parent[n] = parent;
    this.c.nameStart[n] = this.namesUsed;
    this.c.nameLength[n] = length;
    this.c.type[n] = FT_DIRECTORY;
    // Byte by byte: names are short, and Buffer.copy's fixed cost per call was a third
    // of this function for a million files.
    const names = this.names;
    for (let i = start, at = this.namesUsed; i < end; i++, at++) names[at] = source[i] as number;
    this.namesUsed += length;
    return n;
  }

  /** The directory node for a path ending in "/", made (with its parents) when missing. */
  private dirNode(path: Buffer): number {
    const key = path.toString('latin1');
    const known = this.dirs.get(key);
    if (known !== undefined) return known;
    const cut = path.lastIndexOf(SLASH, path.length - 2);
    const parent = this.dirNode(path.subarray(0, cut + 1));
    const n = this.newNode(parent, path.subarray(cut + 1, path.length - 1));
    this.dirs.set(key, n);
    return n;
  }

  /** Adds entry `i` of `page`. */
  private add(page: TreePage, i: number): void {
    if (this.childStart !== null) throw new BurrowError('INTERNAL', 'the restore tree is sealed');
    const pathId = page.pathId[i] as number;
    // Entries of one directory mostly come together: the last one's parent is checked first.
    let parent = pathId === this.lastPathId ? this.lastParent : this.dirOfPathId.get(pathId);
    if (parent === undefined) this.dirOfPathId.set(pathId, (parent = this.dirNode(dirPath(page, pathId))));
    this.lastPathId = pathId;
    this.lastParent = parent;
    const start = page.nameStart[i] as number;
    const end = page.nameStart[i + 1] as number;
    const type = page.type[i] as number;
    let n: number;
    if (start === end) n = parent; // the entry of a directory saved as "dir/"
    else if (type === FT_DIRECTORY) n = this.dirNode(Buffer.concat([dirPath(page, pathId), page.names.subarray(start, end), Buffer.from('/')]));
    else n = this.newNode(parent, page.names, start, end);
    this.c.jobId[n] = page.jobId[i] as number;
    this.c.fileIndex[n] = page.fileIndex[i] as number;
    this.c.media[n] = page.mediaId[i] as number;
    this.c.addr[n] = page.addr[i] as number;
    this.c.size[n] = page.size[i] as number;
    this.c.mtime[n] = page.mtime[i] as number;
    this.c.type[n] = type;
  }

  /** Makes the child lists: counting, prefix sums, filling — linear in the nodes. */
  private seal(): void {
    const start = new Int32Array(this.count + 1);
    for (let n = 1; n < this.count; n++) start[(this.c.parent[n] as number) + 1]!++;
    for (let n = 0; n < this.count; n++) start[n + 1]! += start[n] as number;
    const fill = start.slice(0, this.count);
    const children = new Int32Array(Math.max(this.count - 1, 0));
    for (let n = 1; n < this.count; n++) children[fill[this.c.parent[n] as number]!++] = n;
    this.childStart = start;
    this.children = children;
    this.sorted = new Uint8Array(this.count);
    this.dirs.clear();
    this.dirOfPathId.clear();
  }

  name(n: number): Buffer {
    const s = this.c.nameStart[n] as number;
    return this.names.subarray(s, s + (this.c.nameLength[n] as number));
  }

  isDir(n: number): boolean {
    return this.c.type[n] === FT_DIRECTORY;
  }

  parentOf(n: number): number {
    return n === 0 ? 0 : (this.c.parent[n] as number);
  }

  /** The children of a directory, sorted by name (bytes). */
  childrenOf(n: number): Int32Array {
    const start = this.childStart as Int32Array;
    const list = (this.children as Int32Array).subarray(start[n] as number, start[n + 1] as number);
    const sorted = this.sorted as Uint8Array;
    if (!sorted[n]) {
      const order = Array.from(list).sort((a, b) => Buffer.compare(this.name(a), this.name(b)));
      list.set(order);
      sorted[n] = 1;
    }
    return list;
  }

  /** The child called `name`, or -1 (binary search in the sorted slice). */
  child(n: number, name: Buffer): number {
    const list = this.childrenOf(n);
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const cmp = Buffer.compare(this.name(list[mid] as number), name);
      if (cmp === 0) return list[mid] as number;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The absolute path of a node ("/" for the root). */
  path(n: number): Buffer {
    const parts: Buffer[] = [];
    for (let at = n; at !== 0; at = this.c.parent[at] as number) parts.push(this.name(at), Buffer.from('/'));
    return parts.length === 0 ? Buffer.from('/') : Buffer.concat(parts.reverse());
  }

  /** The node an absolute path names, or -1. */
  lookup(path: Buffer): number {
    let n = 0;
    for (const part of path.toString('latin1').split('/')) {
      if (part === '' || part === '.') continue;
      n = part === '..' ? this.parentOf(n) : this.child(n, Buffer.from(part, 'latin1'));
      if (n < 0) return -1;
    }
    return n;
  }

  info(n: number): NodeInfo {
    return {
      node: n, name: this.name(n), isDir: this.isDir(n), jobId: this.c.jobId[n] as number, fileIndex: this.c.fileIndex[n] as number,
      mediaId: this.c.media[n] as number, addr: this.c.addr[n] as number, type: this.c.type[n] as number,
      size: this.c.size[n] as number, mtime: this.c.mtime[n] as number, marked: this.c.marked[n] === 1,
    };
  }

  isMarked(n: number): boolean {
    return this.c.marked[n] === 1;
  }

  /**
   * Visits a node and everything below it, depth first; `visit` returns false to skip a
   * subtree. The event loop runs every WALK_SLICE nodes: marking a tree of a million
   * files (its directories' children sorted on the first visit) took 0.4 s at once.
   */
  async walk(n: number, visit: (node: number) => boolean | void): Promise<void> {
    const stack = [n];
    let slice = 0;
    while (stack.length > 0) {
      if (++slice === WALK_SLICE) {
        slice = 0;
        await yieldToLoop();
      }
      const at = stack.pop() as number;
      if (visit(at) === false || !this.isDir(at)) continue;
      const kids = this.childrenOf(at);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as number);
    }
  }

  /** Marks (or unmarks) a node and, for a directory, everything below it; returns how many changed. */
  async setMark(n: number, on: boolean): Promise<number> {
    let changed = 0;
    const want = on ? 1 : 0;
    await this.walk(n, (at) => {
      if (this.c.marked[at] !== want) {
        this.c.marked[at] = want;
        changed++;
      }
    });
    this.markedCount += on ? changed : -changed;
    return changed;
  }

  /** The marked nodes that have a version to restore, in node order. */
  *markedFiles(): IterableIterator<number> {
    for (let n = 0; n < this.count; n++) if (this.c.marked[n] === 1 && this.c.jobId[n] !== 0) yield n;
  }

  /** The MediaIds of the marked nodes' versions: the volumes a restore of the marks reads. */
  markedMediaIds(): Set<number> {
    const ids = new Set<number>();
    for (const n of this.markedFiles()) ids.add(this.c.media[n] as number);
    return ids;
  }
}
