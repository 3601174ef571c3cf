/**
 * What a chosen volume changes in the catalog, committed once the SD reports it
 * mounted (labelled or recycled first when asked): a new volume's row, a recycle
 * (Bareos's RecycleVolume: counters and times reset, RecycleCount + 1, Append), a move
 * from a scratch pool (the volume takes that pool's limits, keeping its Recycle Pool),
 * the purge Purge Oldest Volume asked for. Every mount counts in VolMounts.
 *
 * A volume written before is checked against the tape, as Bareos's is_eod_valid: the
 * SD found its end after `volFiles` tape files. More than the catalog's VolFiles (a
 * job the catalog lost, a catalog restored from an older copy): the catalog is
 * corrected, with a warning. Fewer never comes here: the SD refuses such a tape
 * (devices/drive.ts FilesMismatch) and the job marks it in Error and takes another.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog, MediaPatch, MediaRow } from '../catalog/index.js';
import type { OnMounted } from './choice.js';
import { mediaDefaults } from './pools.js';

export interface MountReport {
  volumeName: string;
  volBytes: number;
  volBlocks: number;
  /** A label was written (new volume, Unlabeled record, recycle). */
  labelled: boolean;
  /** The changer's slot the cartridge came from (its home slot); 0 or absent: not a changer's drive, or unknown. */
  slot?: number;
  /** The changer's drive (from 0) the cartridge is in; absent or -1: not a changer's drive. */
  drive?: number;
  /** VolFiles where appending begins: on tape the filemarks before its end of data (1 after a label). */
  volFiles?: number;
}

/** Applies the plan; returns the volume's row, the lines for the job log and its warnings. */
export async function commitMounted(catalog: Catalog, plan: OnMounted, r: MountReport, now: number): Promise<{ media: MediaRow; lines: string[]; warnings: string[] }> {
  const lines: string[] = [];
  const warnings: string[] = [];
  let mediaId: number;
  if (plan.kind === 'create') {
    mediaId = await catalog.createMedia({ ...plan.input, volBytes: r.volBytes, volBlocks: r.volBlocks, volFiles: r.volFiles ?? 0, labelDate: now, volStatus: 'Append' });
    lines.push(`Created new Volume "${r.volumeName}" in catalog.`);
  } else {
    const row = plan.kind === 'existing' ? await catalog.getMedia(plan.mediaId) : await catalog.getMediaByName(r.volumeName);
    if (!row) throw new BurrowError('CATALOG', `volume "${r.volumeName}" left the catalog while it was being mounted`);
    mediaId = row.mediaId;
    if (plan.kind === 'existing') lines.push(...await applyExisting(catalog, row, plan, r, now));
    if (!r.labelled) warnings.push(...await correctFiles(catalog, row, r));
  }
  const media = (await catalog.getMedia(mediaId))!;
  await catalog.updateMedia(mediaId, { volMounts: media.volMounts + 1 });
  return { media: { ...media, volMounts: media.volMounts + 1 }, lines, warnings };
}

/** The tape holds more files than the catalog's VolFiles: the catalog takes the tape's count. */
async function correctFiles(catalog: Catalog, row: MediaRow, r: MountReport): Promise<string[]> {
  const onVolume = r.volFiles ?? 0;
  if (onVolume <= row.volFiles) return [];
  await catalog.updateMedia(row.mediaId, { volFiles: onVolume });
  return [`For Volume "${row.volumeName}": the number of files mismatch! Volume=${onVolume} Catalog=${row.volFiles}. `
    + `The tape holds data the catalog does not count: correcting the catalog (VolFiles=${onVolume}).`];
}

async function applyExisting(catalog: Catalog, row: MediaRow, plan: Extract<OnMounted, { kind: 'existing' }>, r: MountReport, now: number): Promise<string[]> {
  const lines: string[] = [];
  if (plan.purgeJobIds.length > 0) await catalog.deleteJobs(plan.purgeJobIds);
  const patch: MediaPatch = {};
  if (plan.moveTo) {
    Object.assign(patch, mediaDefaults(plan.moveTo), { poolId: plan.moveTo.poolId, recyclePoolId: row.recyclePoolId });
    lines.push(`Using Volume "${row.volumeName}" from 'Scratch' pool.`);
  }
  if (plan.recycle && r.labelled) {
    const wasLabelled = row.volStatus !== 'Unlabeled';
    Object.assign(patch, {
      volStatus: 'Append', volJobs: 0, volFiles: r.volFiles ?? 0, volErrors: 0, volBytes: r.volBytes, volBlocks: r.volBlocks,
      firstWritten: null, lastWritten: null, labelDate: now, recycleCount: row.recycleCount + (wasLabelled ? 1 : 0),
    } satisfies MediaPatch);
    if (wasLabelled) lines.push(`Recycled volume "${row.volumeName}"`);
  }
  await catalog.updateMedia(row.mediaId, patch);
  return lines;
}
