/**
 * What a verify compares against, and how (Bareos's dird/verify.cc semantics): the
 * catalog's rows of the job(s) verified, found by path (disk levels) or by file index
 * (volume levels), each marked when met so the rest can be named as missing; and the
 * comparison of one entry by the `verify=` letters of its Options block:
 * i inode, p mode, n links, u uid, g gid, s size, a atime, m mtime, c ctime,
 * d size decreased, 5 MD5, 1 SHA1. No letters (Bareos's "V"): presence only.
 */
import { displayPath } from '@burrow/common/names/index';
import { burrow } from '@burrow/common/proto/index';
import type { Catalog, FileRow } from '../catalog/index.js';
import { digestName, digestText } from '@burrow/common/fileset/digests';

export interface Reference {
  path: Buffer;
  attributes: burrow.FileAttributes;
  digest: Buffer | null;
  digestAlgorithm: number;
  seen: boolean;
}

function reference(row: FileRow): Reference {
  return { path: row.path, attributes: burrow.FileAttributes.decode(row.attributes), digest: row.digest, digestAlgorithm: row.digestAlgorithm, seen: false };
}

/** The catalog side of a verify, keyed by path or by file index. */
export class References<K extends string | number> {
  private readonly map = new Map<K, Reference>();

  /** Files of `jobIds`, oldest job first so a later version wins; deleted-file rows remove. */
  static async byPath(catalog: Catalog, jobIds: readonly number[]): Promise<References<string>> {
    const refs = new References<string>();
    for (const jobId of jobIds) {
      for await (const row of catalog.iterateFiles(jobId)) {
        if (row.fileIndex === 0) refs.map.delete(pathKey(row.path));
        else refs.map.set(pathKey(row.path), reference(row));
      }
    }
    return refs;
  }

  static async byIndex(catalog: Catalog, jobId: number): Promise<References<number>> {
    const refs = new References<number>();
    for await (const row of catalog.iterateFiles(jobId)) if (row.fileIndex > 0) refs.map.set(row.fileIndex, reference(row));
    return refs;
  }

  get size(): number {
    return this.map.size;
  }

  /** The reference for `key`, marked as met; undefined when the catalog has none. */
  meet(key: K): Reference | undefined {
    const r = this.map.get(key);
    if (r) r.seen = true;
    return r;
  }

  /** Digest algorithms the references carry. */
  digestAlgorithms(): burrow.DigestAlgorithm[] {
    return [...new Set([...this.map.values()].map((r) => r.digestAlgorithm).filter((a) => a !== 0))];
  }

  /** Paths never met, sorted. */
  missing(): Buffer[] {
    return [...this.map.values()].filter((r) => !r.seen).map((r) => r.path).sort(Buffer.compare);
  }
}

/** A path as a map key, byte for byte (latin1 maps each byte to one character). */
export function pathKey(path: Uint8Array): string {
  return Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString('latin1');
}

const time = (t: burrow.Timestamp | null): string => `${t?.sec ?? 0}.${String(t?.nsec ?? 0).padStart(9, '0')}`;

/** What differs between the catalog's entry and the one met, by the letters; empty: nothing. */
export function differences(letters: string, cat: Reference, met: { attributes: burrow.FileAttributes; digest?: burrow.FileDigest | null }): string[] {
  const a = cat.attributes;
  const f = met.attributes;
  const out: string[] = [];
  const differ = (what: string, c: string | number, m: string | number): void => {
    if (c !== m) out.push(`${what} differs (Cat: ${c} File: ${m})`);
  };
  for (const letter of new Set(letters)) {
    switch (letter) {
      case 'i': differ('inode', a.ino, f.ino); break;
      case 'p': differ('mode', a.mode.toString(8), f.mode.toString(8)); break;
      case 'n': differ('nlink', a.nlink, f.nlink); break;
      case 'u': differ('uid', a.uid, f.uid); break;
      case 'g': differ('gid', a.gid, f.gid); break;
      case 's': differ('size', a.size, f.size); break;
      case 'a': differ('atime', time(a.atime), time(f.atime)); break;
      case 'm': differ('mtime', time(a.mtime), time(f.mtime)); break;
      case 'c': differ('ctime', time(a.ctime), time(f.ctime)); break;
      case 'd': if (a.size > f.size) out.push(`size decreased (Cat: ${a.size} File: ${f.size})`); break;
      default: break;
    }
  }
  if (/[51]/.test(letters)) {
    const d = digestDifference(cat, met.digest);
    if (d) out.push(d);
  }
  return out;
}

/** A digest of the catalog and one computed, compared when both exist with one algorithm. */
export function digestDifference(cat: Reference, digest: burrow.FileDigest | null | undefined): string | null {
  if (!cat.digest || !digest || digest.algorithm !== cat.digestAlgorithm) return null;
  const got = Buffer.from(digest.value);
  if (got.equals(cat.digest)) return null;
  // Digests as Bareos's catalog shows them (base64), so they can be set beside its own.
  return `${digestName(cat.digestAlgorithm)} differs (Cat: ${digestText(cat.digest)} File: ${digestText(got)})`;
}

export function shown(path: Uint8Array | undefined): string {
  return displayPath(path ?? new Uint8Array());
}
