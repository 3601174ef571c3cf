/**
 * truncate volstatus=Purged (Bareos's command): a purged volume gives its space back.
 * The SD writes a fresh label over the volume's own label of the same name, so a File
 * volume shrinks to its label; the catalog row stays Purged with its new size. As in
 * Bareos, only volumes that may be recycled (Recycle = yes), are enabled and hold more
 * than their label are candidates, and the reply is "The volume 'X' has been
 * truncated." Also what `purge volume action=truncate` does for volumes with Action On
 * Purge = Truncate (whose reply Bareos words "The volume "X" has been truncated").
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { MEDIA_ENABLED, ON_PURGE_TRUNCATE, type MediaRow } from '../../catalog/index.js';
import { labelVolume } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, flag, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { confirmed, renderLines, visiblePool, visibleVolume, type LinesResult } from './media-common.js';

export interface TruncateOutput extends LinesResult {
  truncated: string[];
}

/** The Storage a volume is reached through: storage=, the one it was last used on, or the first configured. */
function storageFor(ctx: ConsoleContext, m: MediaRow, storage: string | undefined): string {
  const name = storage ?? m.storageName ?? ctx.config.storages.find((s) => s.mediaType === m.mediaType)?.name;
  if (!name) throw new BurrowError('BAD_REQUEST', `no Storage with Media Type "${m.mediaType}" for Volume "${m.volumeName}": give storage=`);
  if (!consoleScope(ctx).storageAllowed(name)) throw new BurrowError('NOT_FOUND', `Storage "${name}" is not defined`);
  return name;
}

/** Why the `truncate` command leaves a Purged volume alone (Bareos's candidates), or null. */
function notCandidate(m: MediaRow): string | null {
  if (m.volStatus !== 'Purged') return `Volume "${m.volumeName}" is ${m.volStatus}, not Purged: not truncated.`;
  if (!m.recycle) return `Volume "${m.volumeName}" has Recycle = no: not truncated.`;
  if (m.enabled !== MEDIA_ENABLED) return `Volume "${m.volumeName}" is not enabled: not truncated.`;
  if (m.volBlocks <= 1) return `Volume "${m.volumeName}" holds only its label: nothing to truncate.`;
  return null;
}

/**
 * Truncates one Purged volume through the SD; the lines say what happened. `by` says
 * whose words: `purge action=truncate` (which needs Action On Purge = Truncate) or
 * the `truncate` command.
 */
export async function truncateVolume(ctx: ConsoleContext, m: MediaRow, storage: string | undefined, by: 'purge' | 'truncate' = 'purge'): Promise<string[]> {
  if (m.volStatus !== 'Purged') return [`Volume "${m.volumeName}" is ${m.volStatus}, not Purged: not truncated.`];
  if (by === 'purge' && (m.actionOnPurge & ON_PURGE_TRUNCATE) === 0) {
    return ['The option "Action On Purge = Truncate" was not defined in the Pool resource.', `Unable to truncate volume "${m.volumeName}"`];
  }
  const target = storageTarget(ctx.config, storageFor(ctx, m, storage));
  const { volBytes, volFiles } = await labelVolume(target, ctx.env.directorName, { volumeName: m.volumeName, poolName: m.poolName, overwrite: true });
  await ctx.catalog.updateMedia(m.mediaId, { volBytes, volBlocks: 1, volFiles });
  const done = by === 'purge' ? `The volume "${m.volumeName}" has been truncated` : `The volume '${m.volumeName}' has been truncated.`;
  return [`3000 OK label. VolBytes=${volBytes} Volume="${m.volumeName}" Device="${target.device}"`, done];
}

const truncateArgs = z.object({
  volstatus: choice(['purged'], 'volstatus= must be Purged'),
  storage: text().optional(),
  pool: text().optional(),
  volume: text().optional(),
  yes: flag().optional(),
}).strict();

export const truncateCommand = defineCommand({
  name: 'truncate',
  help: 'Truncate purged volumes to their label, giving their space back',
  usage: 'truncate volstatus=Purged [storage=<storage>] [pool=<pool>] [volume=<name>] yes',
  args: truncateArgs,
  run: async (ctx, a): Promise<TruncateOutput> => {
    confirmed(a.yes, 'truncate');
    const scope = consoleScope(ctx);
    const pool = a.pool === undefined ? undefined : await visiblePool(ctx, a.pool);
    const vols = a.volume !== undefined ? [await visibleVolume(ctx, a.volume)]
      : (await ctx.catalog.listMedia({ statuses: ['Purged'], ...(pool ? { poolId: pool.poolId } : {}) })).filter((m) => scope.poolAllowed(m.poolName));
    // A volume named on the line that is no candidate says why; the others are left out quietly, as in Bareos.
    const refusals = a.volume !== undefined ? vols.map(notCandidate).filter((why): why is string => why !== null) : [];
    const candidates = vols.filter((m) => notCandidate(m) === null);
    if (candidates.length === 0) return { lines: [...refusals, 'No volumes found to perform the command.'], truncated: [] };
    const lines: string[] = [];
    const truncated: string[] = [];
    for (const m of candidates) {
      lines.push(...(await truncateVolume(ctx, m, a.storage, 'truncate')));
      truncated.push(m.volumeName);
    }
    return { lines, truncated };
  },
  render: renderLines,
});
