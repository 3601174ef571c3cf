/**
 * The operator's commands on drives and volumes, told as live events (jobs/events.ts
 * `media`) whichever console gave them, bconsole or HTTP: a page showing drives and
 * volumes knows to look again. Only the names the command was given are told; what
 * changed is for the follower to ask, under its own ACLs.
 */
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
