/**
 * Accurate mode's memory of the current backup state on the client: one entry per
 * file the Director sent, found again by path when the walk meets it, and marked
 * seen. Entries the walk never meets were deleted. Built for a million files: the
 * values live in typed arrays (about 70 bytes an entry, no per-entry objects), keyed
 * by a 64-bit digest of the path in an open-addressing index. What only some letters
 * need is kept only when they are used: atimes (`a`, 12 bytes an entry) and the
 * catalog's digests (`5`, `1`: 5 bytes an entry plus the digest, 16 for XXH128).
 */
import { createHash } from 'node:crypto';
import { BurrowError } from '@burrow/common/errors/index';
import { digestKind } from '@burrow/common/fileset/digests';
import { EPOCH, type burrow } from '@burrow/common/proto/index';
import type { EntryStat } from '@burrow/fsx';

/** Whether accurate= letters ask to compare contents: Bareos's 5 (MD5) and 1 (SHA1) both mean "the digest". */
export function comparesContents(letters: string): boolean {
  return letters.includes('5') || letters.includes('1');
}

/** The catalog's digests of the entries, in one growing byte pool. */
class Digests {
  private readonly algorithm: Uint8Array;
  private readonly at: Uint32Array;
  private pool = new Uint8Array(1024);
  private used = 0;

  constructor(entries: number) {
    this.algorithm = new Uint8Array(entries);
    this.at = new Uint32Array(entries);
  }

  set(seq: number, d: burrow.FileDigest): void {
    const { value } = d;
    const kind = digestKind(d.algorithm);
    if (kind === undefined || value.length === 0) return; // none in the catalog
    if (value.length !== kind.bytes) throw new BurrowError('PROTOCOL', `a ${kind.name} digest of ${value.length} bytes in the accurate state`);
    while (this.used + value.length > this.pool.length) {
      const bigger = new Uint8Array(this.pool.length * 2);
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
    this.pool.set(value, this.used);
    this.algorithm[seq] = kind.algorithm;
    this.at[seq] = this.used;
    this.used += value.length;
  }

  get(seq: number): { algorithm: burrow.DigestAlgorithm; value: Uint8Array } | null {
    const kind = digestKind(this.algorithm[seq]);
    if (kind === undefined) return null;
    const at = this.at[seq] ?? 0;
    return { algorithm: kind.algorithm, value: this.pool.subarray(at, at + kind.bytes) };
  }
}

/** Which optional columns the job's accurate= letters need. */
export interface AccurateNeeds {
  /** Some Options compare atimes (`a`). */
  readonly atime: boolean;
}

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
  private readonly atime: Float64Array | null;
  private readonly atimeNs: Uint32Array | null;
  /** Made when the first digest arrives: only states sent for letters 5 and 1 carry them. */
  private digests: Digests | null = null;

  constructor(readonly capacity: number, needs: AccurateNeeds = { atime: false }) {
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
    this.atime = needs.atime ? new Float64Array(n) : null;
    this.atimeNs = needs.atime ? new Uint32Array(n) : null;
  }

  /** Entries received so far. */
  get entries(): number {
    return this.count;
  }

  /** The next entry; `digest`: the catalog's digest of it, when the letters compare contents. */
  add(a: burrow.FileAttributes, digest?: burrow.FileDigest | null): void {
    if (this.count >= this.capacity) throw new BurrowError('PROTOCOL', `the Director sent more than the ${this.capacity} accurate entries it announced`);
    const seq = ++this.count;
    const [ka, kb] = pathKey(a.path);
    this.keyA[seq] = ka;
    this.keyB[seq] = kb;
    const mtime = a.mtime ?? EPOCH;
    const ctime = a.ctime ?? EPOCH;
    this.mtime[seq] = mtime.sec;
    this.mtimeNs[seq] = mtime.nsec;
    this.ctime[seq] = ctime.sec;
    this.ctimeNs[seq] = ctime.nsec;
    this.size[seq] = a.size;
    this.ino[seq] = a.ino;
    this.mode[seq] = a.mode;
    this.uid[seq] = a.uid;
    this.gid[seq] = a.gid;
    this.nlink[seq] = a.nlink;
    if (this.atime !== null && this.atimeNs !== null) {
      const atime = a.atime ?? EPOCH;
      this.atime[seq] = atime.sec;
      this.atimeNs[seq] = atime.nsec;
    }
    if (digest) (this.digests ??= new Digests(this.capacity + 1)).set(seq, digest);
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

  /** The catalog's digest of the entry; null when it has none or none was sent. */
  digestOf(seq: number): { algorithm: burrow.DigestAlgorithm; value: Uint8Array } | null {
    return this.digests?.get(seq) ?? null;
  }

  /**
   * Whether the file differs from the saved state in the attributes the `accurate=`
   * letters name (contents, 5 and 1, are the caller's: they need the file read).
   */
  changed(seq: number, st: EntryStat, letters: string): boolean {
    for (const letter of letters) {
      switch (letter) {
        case 'A': return true; // always saved
        case 'd': if (st.size < (this.size[seq] ?? 0)) return true; break;
        case 'a': if (this.atime !== null && (st.atime.sec !== this.atime[seq] || st.atime.nsec !== this.atimeNs?.[seq])) return true; break;
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
