/**
 * Accurate mode's memory of the current backup state on the client: one entry per
 * file the Director sent, found again by path when the walk meets it, and marked
 * seen. Entries the walk never meets were deleted. Built for a million files: the
 * values live in typed arrays (about 70 bytes an entry, no per-entry objects), keyed
 * by a 64-bit digest of the path in an open-addressing index.
 */
import { createHash } from 'node:crypto';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/index';
import type { EntryStat } from '@burrow/fsx';

/** Bareos's `accurate=` letters Burrow compares; digest letters are not (yet). */
export const ACCURATE_LETTERS = 'mcspugin';

function pathKey(path: Uint8Array): [number, number] {
  const d = createHash('md5').update(path).digest();
  return [d.readUInt32LE(0), d.readUInt32LE(4)];
}

export class AccurateTable {
  private count = 0;
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  private readonly index: Int32Array;
  private readonly mtime: Float64Array;
  private readonly mtimeNs: Uint32Array;
  private readonly ctime: Float64Array;
  private readonly ctimeNs: Uint32Array;
  private readonly size: Float64Array;
  private readonly ino: Float64Array;
  private readonly mode: Uint32Array;
  private readonly uid: Uint32Array;
  private readonly gid: Uint32Array;
  private readonly nlink: Uint32Array;
  private readonly seen: Uint8Array;

  constructor(readonly capacity: number) {
    const n = capacity + 1; // entries are numbered from 1
    this.keyA = new Uint32Array(n);
    this.keyB = new Uint32Array(n);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.index = new Int32Array(slots);
    this.mtime = new Float64Array(n);
    this.mtimeNs = new Uint32Array(n);
    this.ctime = new Float64Array(n);
    this.ctimeNs = new Uint32Array(n);
    this.size = new Float64Array(n);
    this.ino = new Float64Array(n);
    this.mode = new Uint32Array(n);
    this.uid = new Uint32Array(n);
    this.gid = new Uint32Array(n);
    this.nlink = new Uint32Array(n);
    this.seen = new Uint8Array(n);
  }

  /** Entries received so far. */
  get entries(): number {
    return this.count;
  }

  add(a: burrow.IFileAttributes): void {
    if (this.count >= this.capacity) throw new BurrowError('PROTOCOL', `the Director sent more than the ${this.capacity} accurate entries it announced`);
    const seq = ++this.count;
    const [ka, kb] = pathKey(a.path ?? new Uint8Array());
    this.keyA[seq] = ka;
    this.keyB[seq] = kb;
    this.mtime[seq] = Number(a.mtime?.sec ?? 0);
    this.mtimeNs[seq] = a.mtime?.nsec ?? 0;
    this.ctime[seq] = Number(a.ctime?.sec ?? 0);
    this.ctimeNs[seq] = a.ctime?.nsec ?? 0;
    this.size[seq] = Number(a.size ?? 0);
    this.ino[seq] = Number(a.ino ?? 0);
    this.mode[seq] = a.mode ?? 0;
    this.uid[seq] = Number(a.uid ?? 0);
    this.gid[seq] = Number(a.gid ?? 0);
    this.nlink[seq] = a.nlink ?? 0;
    const mask = this.index.length - 1;
    let slot = ka & mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & mask;
    this.index[slot] = seq;
  }

  /** The entry of `path`, or 0 when the state has no such file (a new file). */
  lookup(path: Uint8Array): number {
    const [ka, kb] = pathKey(path);
    const mask = this.index.length - 1;
    for (let slot = ka & mask; ; slot = (slot + 1) & mask) {
      const seq = this.index[slot] ?? 0;
      if (seq === 0) return 0;
      if (this.keyA[seq] === ka && this.keyB[seq] === kb) return seq;
    }
  }

  markSeen(seq: number): void {
    this.seen[seq] = 1;
  }

  /** Whether the file differs from the saved state in what the `accurate=` letters name. */
  changed(seq: number, st: EntryStat, letters: string): boolean {
    for (const letter of letters) {
      switch (letter) {
        case 'm': if (st.mtime.sec !== this.mtime[seq] || st.mtime.nsec !== this.mtimeNs[seq]) return true; break;
        case 'c': if (st.ctime.sec !== this.ctime[seq] || st.ctime.nsec !== this.ctimeNs[seq]) return true; break;
        case 's': if (st.size !== this.size[seq]) return true; break;
        case 'p': if ((st.mode & 0o7777) !== this.mode[seq]) return true; break;
        case 'u': if (st.uid !== this.uid[seq]) return true; break;
        case 'g': if (st.gid !== this.gid[seq]) return true; break;
        case 'i': if (Number(st.ino) !== this.ino[seq]) return true; break;
        case 'n': if (st.nlink !== this.nlink[seq]) return true; break;
        default: break;
      }
    }
    return false;
  }

  /** Entries the walk did not meet, in order. */
  *unseen(): IterableIterator<number> {
    for (let seq = 1; seq <= this.count; seq++) if (this.seen[seq] === 0) yield seq;
  }
}
