/**
 * Accurate mode on the Director's side: send the File daemon the current backup state
 * (the newest version of every file of the chain the job builds on), and record the
 * files it reports gone as deleted-file rows, so that a restore of this job's state
 * leaves them out instead of resurrecting them.
 */
import { burrow, timestampToMs } from '@burrow/common/proto/index';
import type { Channel } from '@burrow/common/net/channel';
import { decodeSettings } from '@burrow/common/fileset/options';
import type { Catalog, StateSnapshot, FileInput } from '../catalog/index.js';

/** Entries per AccurateBatch: a few hundred KiB a frame. */
const PAGE = 2000;

/**
 * Whether the FileSet's accurate= letters compare file contents (Bareos's 5 and 1):
 * then the state carries each file's digest, otherwise it is left out (memory on the
 * client, and the catalog read).
 */
export function accurateComparesDigests(spec: burrow.IFileSetSpec): boolean {
  return (spec.includes ?? []).some((inc) => (inc.options ?? []).some((o) => /[15]/.test(decodeSettings(o.settings ?? {}).accurate ?? '')));
}

export async function sendState(fd: Channel, snapshot: StateSnapshot): Promise<void> {
  for (let after = 0; ;) {
    const page = await snapshot.page(after, PAGE);
    if (page.length === 0) break;
    const digests = page.some((p) => p.digest !== undefined)
      ? page.map((p) => p.digest ?? { algorithm: burrow.DigestAlgorithm.DIGEST_NONE, value: new Uint8Array() })
      : [];
    await fd.send('accurateBatch', { attributes: page.map((p) => p.attributes), digests });
    after = page[page.length - 1]?.seq ?? after;
  }
  await fd.send('accurateEnd', {});
}

/** Writes one deleted-file row (FileIndex 0, no media) per reported entry. */
export async function recordDeleted(catalog: Catalog, jobId: number, snapshot: StateSnapshot, seqs: readonly number[]): Promise<number> {
  const rows: FileInput[] = [];
  for (const bytes of await snapshot.get(seqs)) {
    if (!bytes) continue;
    const a = burrow.FileAttributes.decode(bytes);
    rows.push({
      fileIndex: 0, path: Buffer.from(a.path), mediaId: null, addr: 0, type: a.type, size: a.size,
      mtime: timestampToMs(a.mtime), attributes: bytes, digest: null, digestAlgorithm: 0,
    });
  }
  if (rows.length) await catalog.insertFiles(jobId, rows);
  return rows.length;
}
