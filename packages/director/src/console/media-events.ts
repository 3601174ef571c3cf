/**
 * The operator's commands on drives and volumes, told as live events (jobs/events.ts
 * `media`) whichever console gave them, bconsole or HTTP: a page showing drives and
 * volumes knows to look again. Only the names the command was given are told; what
 * changed is for the follower to ask, under its own ACLs. What a command did to a drive
 * (a volume mounted or labelled on it, the drive unmounted or released) is told too, as
 * `drive` events, once the Storage daemon has done it.
 */
import { labelVolume, type LabelRequest, type StorageTarget } from '../sd/storage-link.js';
import type { DriveChange } from '../jobs/events.js';
import type { Command, CommandResult, ConsoleContext } from './command.js';

const MEDIA_COMMANDS: ReadonlySet<string> = new Set([
  'label', 'relabel', 'mount', 'unmount', 'release', 'update', 'purge', 'prune', 'truncate', 'delete', 'add',
  'import', 'export', 'move',
]);

export async function announcingMedia(ctx: ConsoleContext, command: Command, input: unknown, run: () => Promise<CommandResult>): Promise<CommandResult> {
  if (!MEDIA_COMMANDS.has(command.name)) return run();
  let ok = false;
  try {
    const result = await run();
    ok = result.ok;
    return result;
  } finally {
    ctx.queue.events.emit('media', { command: command.name, console: ctx.session.consoleName, ...namesIn(input), ok });
  }
}

function namesIn(input: unknown): { storage?: string; pool?: string; volume?: string } {
  const given = (input ?? {}) as Record<string, unknown>;
  const out: { storage?: string; pool?: string; volume?: string } = {};
  for (const key of ['storage', 'pool', 'volume'] as const) {
    const v = given[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/** The operator's command changed a drive (the SD said it did): a live `drive` event. */
export function driveChanged(ctx: ConsoleContext, change: Omit<DriveChange, 'jobId' | 'mode'>): void {
  ctx.queue.events.emit('drive', change);
}

/** labelVolume (sd/storage-link.ts) for a console command, told as a `drive` event once done. */
export async function labelOnDrive(ctx: ConsoleContext, target: StorageTarget, req: LabelRequest): Promise<{ volBytes: number; volFiles: number }> {
  const done = await labelVolume(target, ctx.env.directorName, req);
  driveChanged(ctx, { storage: target.name, drive: req.drive ?? 0, change: 'labelled', volume: req.volumeName, pool: req.poolName });
  return done;
}
