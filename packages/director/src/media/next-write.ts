/**
 * The next write position of a tape volume (afbackup's `cartis`, an emergency tool):
 * the catalog's side. Every job with a block at or after the new position loses data
 * there (JobMedia EndAddr is the address of a job's last block on the volume), so it is
 * destroyed: it cannot be restored whole any more, and its rows are purged. A job still
 * within the volume's retention is destroyed only when the operator forces it; a running
 * job never. Once the Storage daemon has checked the position on the tape and erased
 * what follows, the volume's row takes what the tape holds (VolBytes, VolBlocks,
 * VolFiles, VolJobs) and goes back to Append: this is also how a volume in Error,
 * whose catalog and tape disagree, is repaired.
 */
import { FINAL_JOB_STATUSES, type Catalog, type JobRow, type MediaRow } from '../catalog/index.js';
import { recordEvent } from './locations.js';
import { purgeEmptied } from './purged.js';

export interface NextWritePlan {
  volume: MediaRow;
  address: number;
  /** Jobs with data at or after the position: purged when it is set. */
  destroyed: JobRow[];
  /** Those of them still within the volume's retention: only with force. */
  retained: JobRow[];
  /** Those of them not finished: never. */
  running: JobRow[];
}

/** What setting the position would destroy. */
export async function planNextWrite(catalog: Catalog, volume: MediaRow, address: number, now: number): Promise<NextWritePlan> {
  const hit = new Set<number>();
  for (const j of await catalog.jobsOnMedia(volume.mediaId)) {
    if ((await catalog.listJobMedia(j.jobId)).some((jm) => jm.mediaId === volume.mediaId && jm.endAddr >= address)) hit.add(j.jobId);
  }
  const destroyed = (await catalog.jobsOnMedia(volume.mediaId)).filter((j) => hit.has(j.jobId));
  return {
    volume, address, destroyed,
    retained: destroyed.filter((j) => (j.endTime ?? now) + volume.volRetention > now),
    running: destroyed.filter((j) => !FINAL_JOB_STATUSES.includes(j.status)),
  };
}

/** What the tape holds after the cut, as the Storage daemon counted it. */
export interface TapeAfterCut {
  volBytes: number;
  /** Blocks left, the label's included (the next block's number). */
  blocks: number;
  files: number;
}

/** Purges the destroyed jobs and sets the volume's row to what the tape holds; the lines say what was done. */
export async function applyNextWrite(catalog: Catalog, plan: NextWritePlan, tape: TapeAfterCut, o: { now: number; by: string; position: string }): Promise<string[]> {
  const { volume } = plan;
  const lines: string[] = [];
  if (plan.destroyed.length > 0) {
    const ids = plan.destroyed.map((j) => j.jobId);
    lines.push(`Purging the following ${ids.length} JobIds, whose data on Volume "${volume.volumeName}" was at or after ${o.position}: ${ids.join(',')}`);
    // Their other volumes (a job spanning volumes) are left empty perhaps; this one is set below.
    const touched = (await catalog.deleteJobs(ids)).filter((id) => id !== volume.mediaId);
    lines.push(...(await purgeEmptied(catalog, touched)).lines);
  }
  const volJobs = (await catalog.jobsOnMedia(volume.mediaId)).length;
  await catalog.updateMedia(volume.mediaId, {
    volBytes: tape.volBytes, volBlocks: tape.blocks, volFiles: tape.files, volJobs, volStatus: 'Append',
    ...(volJobs === 0 ? { firstWritten: null, lastWritten: null } : {}),
  });
  const text = `next write set to ${o.position} by ${o.by}; ${plan.destroyed.length} job(s) purged`;
  await recordEvent(catalog, volume.mediaId, 'repositioned', { now: o.now, text });
  lines.push(`Volume "${volume.volumeName}": next write at ${o.position}; VolBytes=${tape.volBytes} VolBlocks=${tape.blocks} VolFiles=${tape.files} VolJobs=${volJobs}; VolStatus=Append (was ${volume.volStatus}).`);
  return lines;
}
