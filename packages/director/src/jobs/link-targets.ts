/**
 * A partial restore that picks one name of a hard-link set must still get the data:
 * the data was saved once, with the first name the backup met, and the other names
 * are links to it. For every chosen link whose data-holding name is not chosen too,
 * that name is added to the restore (the File daemon then makes the link to it).
 */
import { burrow } from '@burrow/common/proto/index';
import type { Catalog, RestoreFileRow } from '../catalog/index.js';

export function withLinkTargets(catalog: Catalog, rows: readonly RestoreFileRow[]): { rows: readonly RestoreFileRow[]; added: Buffer[] } {
  const chosen = new Set(rows.map((r) => `${r.jobId}:${r.fileIndex}`));
  const added: RestoreFileRow[] = [];
  for (const r of rows) {
    if (r.type !== burrow.FileType.FT_HARDLINK) continue;
    const link = catalog.findFile(r.jobId, r.path);
    if (!link) continue;
    const attrs = burrow.FileAttributes.decode(link.attributes);
    const key = `${r.jobId}:${attrs.hardlinkFileIndex}`;
    if (chosen.has(key)) continue;
    const target = catalog.findFile(r.jobId, Buffer.from(attrs.hardlinkTarget));
    if (!target || target.mediaId === null) continue;
    const volumeName = catalog.getMedia(target.mediaId)?.volumeName;
    if (!volumeName) continue;
    chosen.add(key);
    added.push({ jobId: r.jobId, fileIndex: target.fileIndex, path: target.path, mediaId: target.mediaId, volumeName, addr: target.addr, type: target.type });
  }
  return { rows: added.length ? [...rows, ...added] : rows, added: added.map((a) => a.path) };
}
