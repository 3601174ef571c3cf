/**
 * Accurate mode's content comparison (accurate= letters 5 and 1, Bareos's
 * CalculateAndCompareFileChksum): a file whose compared attributes are unchanged is
 * read once through the digest the catalog holds for it, and saved only when that
 * digest differs. Bareos computes the FileSet's Signature and compares texts, so a
 * changed Signature re-saves every file; Burrow computes the catalog's own algorithm
 * and compares like with like.
 */
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { BurrowError } from '@burrow/common/errors/index';
import { digestName } from '@burrow/common/fileset/digests';
import type { Fd } from '@burrow/fsx';
import type { Hashers } from '../digest/hashers.js';
import type { AccurateTable } from './table.js';

const readAsync = promisify(read);
const CHUNK = 256 * 1024;

/** Why the contents could not be compared (the file is saved again), or whether they are the same. */
export type ContentsVerdict = { readonly same: boolean } | { readonly unknown: string };

/** Reads `fd` from offset 0 to its end through the catalog's digest of entry `seq`. */
export async function compareContents(
  p: { readonly table: AccurateTable; readonly seq: number; readonly fd: Fd; readonly hashers: Hashers; readonly signal: AbortSignal },
): Promise<ContentsVerdict> {
  const saved = p.table.digestOf(p.seq);
  if (saved === null) return { unknown: 'Cannot verify checksum: the catalog holds no digest of it; saved again' };
  const hasher = p.hashers.open(saved.algorithm);
  if (hasher === undefined) return { unknown: `Cannot verify checksum: ${digestName(saved.algorithm)} is not known here; saved again` };
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let at = 0; ;) {
    if (p.signal.aborted) throw new BurrowError('JOB_CANCELED', 'the backup was canceled', { cause: p.signal.reason });
    const { bytesRead } = await readAsync(p.fd, buf, 0, CHUNK, at);
    if (bytesRead === 0) break;
    hasher.update(buf.subarray(0, bytesRead));
    at += bytesRead;
  }
  return { same: hasher.digest().equals(saved.value) };
}
