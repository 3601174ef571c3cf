/**
 * `status storage=` as the operator reads it, in the layout of Bareos's SD status
 * (running jobs, jobs waiting to reserve a drive, device status), and as JSON of the
 * same data for `.api json` and scripts. Burrow adds to each drive the jobs holding it
 * and how long a job has waited for the operator.
 */
import { VERSION } from '@burrow/common/daemon/version';
import type { burrow } from '@burrow/common/proto/index';
import type { StorageContext } from '../context.js';
import { progressLines, withCommas } from '@burrow/common/progress/index';
import { drivesStatus, type DriveStatus, type DrivesStatus } from '../reservations/index.js';

export function statusReply(ctx: StorageContext): burrow.StatusReply.$Properties {
  const drives = drivesStatus(ctx.reservations);
  const running = [...ctx.running].map(([jobId, s]) => ({
    jobId, startedAt: s.startedAt, director: s.director, mode: s.mode, jobName: s.jobName, level: s.level, pool: s.pool, drive: s.drive,
    ...s.progress?.(), spool: s.spool?.(),
  }));
  const spooling = { active: ctx.spools.totals.active, bytes: ctx.spools.spooledBytes(), jobs: ctx.spools.totals.jobs, maxJobBytes: ctx.spools.totals.maxJobBytes };
  return {
    text: statusText(ctx, drives),
    json: JSON.stringify({ name: ctx.name, version: VERSION, startedAt: ctx.startedAt, running, spooling, ...drives }),
  };
}

function statusText(ctx: StorageContext, drives: DrivesStatus): string {
  const byName = new Map(drives.drives.map((d) => [d.name, d]));
  return [
    `${ctx.name} Version: ${VERSION}`,
    `Daemon started ${new Date(ctx.startedAt).toISOString()}. Jobs: run=${ctx.running.size} running.`,
    '',
    'Running Jobs:',
    ...runningLines(ctx, byName),
    '====',
    '',
    'Jobs waiting to reserve a drive:',
    ...drives.waitingToReserve.flatMap((w) => w.reasons.map((r) => `   ${r}`)),
    '====',
    '',
    // Burrow's addition (Bareos shows these only under each device): every request the operator has to answer.
    'Pending operator requests:',
    ...drives.drives.flatMap((d) => d.waits.map((w) => `   JobId=${w.jobId} wants ${w.volume === null ? 'an appendable Volume' : `Volume "${w.volume}"`}`
      + `${w.pool === '' ? ' to read' : ` of Pool "${w.pool}"`} (Media type "${w.mediaType}") on device ${d.printName} since ${new Date(w.since).toISOString()}`)),
    '====',
    '',
    'Device status:',
    ...drives.groups.flatMap((g) => [`Autochanger "${g.name}" with devices:`, ...g.drives.map((n) => `   ${byName.get(n)?.printName ?? n}`)]),
    ...drives.drives.flatMap((d) => ['', ...driveLines(d), '==']),
    '====',
    '',
    spoolingLine(ctx),
    '====',
  ].join('\n');
}

function runningLines(ctx: StorageContext, drives: ReadonlyMap<string, DriveStatus>): string[] {
  if (ctx.running.size === 0) return ['No Jobs running.'];
  const now = Date.now();
  return [...ctx.running].flatMap(([jobId, s]) => {
    const drive = s.drive === undefined ? undefined : drives.get(s.drive);
    if (!drive) return [`JobId=${jobId} Job ${s.jobName} is waiting to reserve a drive (Director "${s.director}").`];
    const what = s.mode === 'append' ? `Writing: ${s.level} Backup job` : 'Reading: Restore job';
    const p = s.progress?.() ?? { files: 0, bytes: 0 };
    const spool = s.spool?.();
    return [
      `${what} ${s.jobName} JobId=${jobId} Volume="${drive.volume?.name ?? ''}"`,
      `    pool="${s.pool}" device=${drive.printName}`,
      ...(spool ? [`    spooling=${Number(spool.state === 'spooling')} despooling=${Number(spool.state === 'despooling')} despool_wait=${Number(spool.state === 'despool-wait')} spooled=${withCommas(spool.bytes)} bytes`] : []),
      ...progressLines(p, s.meter.look(p.bytes, now), now - s.startedAt),
    ];
  });
}

/** Bareos's summary line of data spooling since the daemon started. */
function spoolingLine(ctx: StorageContext): string {
  const t = ctx.spools.totals;
  return `Data spooling: ${t.active} active jobs, ${withCommas(ctx.spools.spooledBytes())} bytes; ${t.jobs} total jobs, ${withCommas(t.maxJobBytes)} max bytes/job.`;
}

function driveLines(d: DriveStatus): string[] {
  const head = d.volume
    ? [
      `Device ${d.printName} is ${d.state === 'waiting' ? 'waiting for' : 'mounted with'}:`,
      `    Volume:      ${d.volume.name}`,
      `    Pool:        ${d.pool ?? d.volume.pool}`,
      `    Media type:  ${d.mediaType}`,
    ]
    : [`Device ${d.printName} is not open.`];
  const lines = [...head];
  if (d.state === 'unmounted') lines.push('    Device is BLOCKED. User unmounted.');
  for (const w of d.waits) {
    lines.push(...(w.volume === null
      ? ['    Device is BLOCKED waiting to create a volume for:']
      : [`    Device is BLOCKED waiting for mount of volume "${w.volume}",`]));
    lines.push(`       Pool:        ${w.pool}`, `       Media type:  ${w.mediaType}`, `       JobId ${w.jobId} waiting since ${new Date(w.since).toISOString()}`);
  }
  if (d.reservedBy.length > 0) {
    lines.push(`    Reserved by: ${d.reservedBy.map((r) => `JobId=${r.jobId} (${r.mode === 'append' ? 'writing' : 'reading'})`).join(', ')}`);
  }
  if (d.writers > 0 || d.readers > 0) lines.push(`    Writers=${d.writers} Readers=${d.readers}`);
  if (!d.autoselect) lines.push('    Autoselect=no: used only when named itself');
  return lines;
}
