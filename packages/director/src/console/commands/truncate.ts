/**
 * truncate volstatus=Purged (Bareos 20's command): a purged volume gives its space back.
 * The SD writes a fresh label over the volume's own label of the same name, so a File
 * volume shrinks to its label; the catalog row stays Purged with its new size. Also
 * what `purge volume action=truncate` does for volumes with Action On Purge = Truncate.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { ON_PURGE_TRUNCATE, type MediaRow } from '../../catalog/index.js';
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

/** Truncates one Purged volume through the SD; the lines say what happened (Bareos's words). */
export async function truncateVolume(ctx: ConsoleContext, m: MediaRow, storage: string | undefined, requireAction = true): Promise<string[]> {
  if (m.volStatus !== 'Purged') return [`Volume "${m.volumeName}" is ${m.volStatus}, not Purged: not truncated.`];
  if (requireAction && (m.actionOnPurge & ON_PURGE_TRUNCATE) === 0) {
    return ['The option "Action On Purge = Truncate" was not defined in the Pool resource.', `Unable to truncate volume "${m.volumeName}"`];
  }
  const target = storageTarget(ctx.config, storageFor(ctx, m, storage));
  const volBytes = await labelVolume(target, ctx.env.directorName, { volumeName: m.volumeName, poolName: m.poolName, overwrite: true });
  ctx.catalog.updateMedia(m.mediaId, { volBytes, volBlocks: 1, volFiles: 0 });
  return [`3000 OK label. VolBytes=${volBytes} Volume="${m.volumeName}" Device="${target.device}"`, `The volume "${m.volumeName}" has been truncated`];
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
    const pool = a.pool === undefined ? undefined : visiblePool(ctx, a.pool);
    const vols = a.volume !== undefined ? [visibleVolume(ctx, a.volume)]
      : ctx.catalog.listMedia({ statuses: ['Purged'], ...(pool ? { poolId: pool.poolId } : {}) }).filter((m) => scope.poolAllowed(m.poolName));
    const purged = vols.filter((m) => m.volStatus === 'Purged');
    if (purged.length === 0) return { lines: ['No volumes found to perform the command.'], truncated: [] };
    const lines: string[] = [];
    const truncated: string[] = [];
    for (const m of purged) {
      lines.push(...(await truncateVolume(ctx, m, a.storage, false)));
      truncated.push(m.volumeName);
    }
    return { lines, truncated };
  },
  render: renderLines,
});
