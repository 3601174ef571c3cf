/**
 * What the volume commands (prune, purge, update, delete, truncate, add, label) share:
 * finding a volume or pool the console may see, the confirmation Bareos asks for, and
 * a result that is Bareos's lines plus the data behind them.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import type { MediaRow, PoolRow } from '../../catalog/index.js';
import type { ConsoleContext } from '../command.js';
import { consoleScope } from '../scope.js';

/** Bareos's lines, in order; the typed fields beside them are what `.api json` readers use. */
export interface LinesResult {
  lines: string[];
}

export const renderLines = (r: LinesResult): string => r.lines.join('\n');

/** A volume by name, if this console may see its pool; otherwise it does not exist (for this console). */
export async function visibleVolume(ctx: ConsoleContext, name: string): Promise<MediaRow> {
  const m = await ctx.catalog.getMediaByName(name);
  if (!m || !consoleScope(ctx).poolAllowed(m.poolName)) throw new BurrowError('NOT_FOUND', `Volume "${name}" not found in catalog.`);
  return m;
}

/** A pool's catalog row by name, if this console may see it. */
export async function visiblePool(ctx: ConsoleContext, name: string): Promise<PoolRow> {
  const named = findResource(ctx.config.pools, name)?.name ?? name;
  const row = consoleScope(ctx).poolAllowed(named) ? await ctx.catalog.getPool(named) : undefined;
  if (!row) throw new BurrowError('NOT_FOUND', `Pool "${name}" not found in catalog.`);
  return row;
}

/**
 * Bareos asks before it deletes catalog records ("Purge (yes/no)?"); Burrow's
 * commands take the answer on the line (`yes`), so a script never hangs on a prompt
 * and a slip of the keyboard never deletes: without it nothing changes.
 */
export function confirmed(yes: boolean | undefined, what: string): void {
  if (yes !== true) throw new BurrowError('BAD_REQUEST', `${what}: nothing was changed; add "yes" to the command to confirm`);
}

/** Durations as Bareos prints them in replies ("1 year", "30 days", "1 hour 2 mins 3 secs"). */
export function durationText(ms: number): string {
  let s = Math.floor(ms / 1000);
  if (s === 0) return '0 secs';
  const units: Array<[number, string]> = [[31_536_000, 'year'], [2_592_000, 'month'], [86_400, 'day'], [3_600, 'hour'], [60, 'min'], [1, 'sec']];
  const parts: string[] = [];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    if (n === 0) continue;
    s -= n * size;
    parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}

/** `prune volume=NAME`, `purge volume=NAME`: the volume keyword names the subject too, as in Bareos. */
export function volumeSubject(input: Record<string, unknown>): Record<string, unknown> {
  if (input.what === undefined && typeof input.volume === 'string') input.what = 'volume';
  return input;
}
