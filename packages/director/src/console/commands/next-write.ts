/**
 * `update volume=X nextwrite=FILE:BLOCK [force] [yes] [storage=] [drive=]`: afbackup's
 * `cartis` as a guarded command. The jobs that would lose data are listed first; a job
 * still within the volume's retention is destroyed only with `force`, a running one
 * never; without `yes` nothing changes. With it, the Storage daemon mounts the volume on
 * the drive (0 unless drive= says), checks the position on the tape and erases what
 * follows; only then are those jobs purged and the volume's row set to what the tape
 * holds (media/next-write.ts). The change goes to the Director's messages (info) and
 * the volume's history.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { MediaRow } from '../../catalog/index.js';
import { listDate } from '../../jobs/format.js';
import { applyNextWrite, planNextWrite, type NextWritePlan } from '../../media/next-write.js';
import { driveCommand } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import type { ConsoleContext } from '../command.js';

export interface NextWriteRequest {
  position: string;
  force: boolean;
  yes: boolean;
  storage?: string;
  drive?: number;
}

const FILE_SPAN = 2 ** 32;

/** `F:B` (tape file and block, as list jobmedia and bls show them) as an address. */
export function parsePosition(text: string): number {
  const m = /^(\d{1,9}):(\d{1,10})$/.exec(text.trim());
  if (!m || Number(m[2]) >= FILE_SPAN) throw new BurrowError('BAD_REQUEST', `nextwrite=${text}: give a tape position as FILE:BLOCK, e.g. nextwrite=2:0`);
  return Number(m[1]) * FILE_SPAN + Number(m[2]);
}

function planLines(plan: NextWritePlan, position: string): string[] {
  if (plan.destroyed.length === 0) return [`No job has data at or after ${position} on Volume "${plan.volume.volumeName}".`];
  return plan.destroyed.map((j) => {
    const kept = plan.retained.includes(j) ? ', still within the Volume Retention' : '';
    return `JobId ${j.jobId} (${j.job}, ended ${listDate(j.endTime)}${kept}) has data at or after ${position}: it will be purged.`;
  });
}

export async function setNextWrite(ctx: ConsoleContext, m: MediaRow, r: NextWriteRequest): Promise<string[]> {
  const address = parsePosition(r.position);
  const position = r.position.trim();
  const now = ctx.env.clock.now();
  const plan = await planNextWrite(ctx.catalog, m, address, now);
  const lines = planLines(plan, position);
  if (plan.running.length > 0) {
    throw new BurrowError('BAD_REQUEST', `${lines.join('\n')}\nJobId ${plan.running.map((j) => j.jobId).join(',')} is still running: the next write position of Volume "${m.volumeName}" is not changed.`);
  }
  if (plan.retained.length > 0 && !r.force) {
    throw new BurrowError('BAD_REQUEST', `${lines.join('\n')}\nRefused: ${plan.retained.length} of these jobs are still within the Volume Retention; add force to destroy them.`);
  }
  if (!r.yes) return [...lines, 'Nothing changed: add yes to set the next write position.'];
  const held = ctx.env.reservations.snapshot().find((h) => h.volumeName === m.volumeName);
  if (held) throw new BurrowError('BAD_REQUEST', `Volume "${m.volumeName}" is reserved by JobId ${held.jobIds.join(',')}: its next write position is not changed now.`);
  const storageName = r.storage ?? m.storageName;
  if (!storageName) throw new BurrowError('BAD_REQUEST', `Volume "${m.volumeName}" has no Storage in the catalog: give storage=`);
  const target = storageTarget(ctx.config, storageName);
  const reply = await driveCommand(target, ctx.env.directorName, { action: 'nextwrite', drive: r.drive ?? 0, volumeName: m.volumeName, address });
  if (reply.code >= 3900) throw new BurrowError('DEVICE', `${lines.join('\n')}\n${reply.text}\nNothing changed in the catalog.`);
  lines.push(reply.text);
  const by = `console "${ctx.session.consoleName}"`;
  lines.push(...await applyNextWrite(ctx.catalog, plan, { volBytes: Number(reply.volBytes), blocks: reply.nextBlock, files: reply.volFiles }, { now, by, position }));
  ctx.daemonMessage('info', `Volume "${m.volumeName}": next write position set to ${position} by ${by}${r.force ? ' (forced)' : ''}; purged JobIds: ${plan.destroyed.map((j) => j.jobId).join(',') || 'none'}.`);
  return lines;
}
