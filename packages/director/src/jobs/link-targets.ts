/**
 * A partial restore that picks one name of a hard-link set must still get the data:
 * the data was saved once, with the first name the backup met, and the other names
 * are links to it. For every chosen link whose data-holding name is not chosen too,
 * that name is added to the restore (the File daemon then makes the link to it).
 */
import { burrow } from '@burrow/common/proto/index';
import type { BootstrapBuilder, Catalog, ChosenFile } from '../catalog/index.js';

/** A chosen file that is a hard link (FT_HARDLINK): its job and the name it has there. */
export interface ChosenLink {
  jobId: number;
  path: Buffer;
}

/**
 * Adds to `chosen` the data-holding name of each link in `links` that it lacks; returns
 * the names added. Only links are looked up, so the cost follows their number, not the
 * restore's.
 */
export async function addLinkTargets(catalog: Catalog, chosen: BootstrapBuilder, links: Iterable<ChosenLink>): Promise<Buffer[]> {
  const added = new Map<string, ChosenFile & { path: Buffer }>();
  for (const l of links) {
    const link = await catalog.findFile(l.jobId, l.path);
    if (!link) continue;
    const attrs = burrow.FileAttributes.decode(link.attributes);
    const key = `${l.jobId}:${attrs.hardlinkFileIndex}`;
    if (added.has(key) || chosen.has(l.jobId, attrs.hardlinkFileIndex)) continue;
    const target = await catalog.findFile(l.jobId, Buffer.from(attrs.hardlinkTarget));
    if (!target || target.mediaId === null) continue;
    const volumeName = (await catalog.getMedia(target.mediaId))?.volumeName;
    if (!volumeName) continue;
    added.set(key, { jobId: l.jobId, fileIndex: target.fileIndex, volumeName, addr: target.addr, path: target.path });
  }
  // Added after the lookups: each add may unsort the builder's indexes, which has() then sorts again.
  for (const a of added.values()) chosen.add(a);
  return [...added.values()].map((a) => a.path);
}
