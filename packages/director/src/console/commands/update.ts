/**
 * update (Bareos's ua_update.cc): `update volume=NAME key=value ...` (update-volume.ts),
 * `update volume fromallpools` / `allfrompool=POOL` (every volume takes its pool's
 * limits again), `update pool=NAME` (the pool's catalog row from its resource; its
 * volumes keep their own copies until `update volume frompool`), `update slots` (the
 * autochanger's barcodes into the volumes' Slot and InChanger: slots.ts), and Burrow's
 * `update volume=NAME nextwrite=FILE:BLOCK` (a tape volume's next write position: next-write.ts).
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { mediaDefaults, poolIdsOf, poolInput } from '../../media/pools.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, count, flag, text } from '../arg-types.js';
import { storageTarget } from '../../setup/resolve.js';
import { storageNamed } from './mount.js';
import { updateSlots } from './slots.js';
import type { Arg } from '../args.js';
import { consoleScope } from '../scope.js';
import { renderLines, visiblePool, visibleVolume, type LinesResult } from './media-common.js';
import { updateVolume, VOLUME_KEYS, type VolumeKey } from './update-volume.js';
import { setNextWrite } from './next-write.js';

const updateArgs = z.object({
  what: choice(['volume', 'pool', 'slots'], 'say volume=NAME, pool=NAME or slots storage=NAME'),
  storage: text().optional(),
  drive: count().optional(),
  scan: flag().optional(),
  volume: text().optional(),
  pool: text().optional(),
  fromallpools: flag().optional(),
  allfrompool: text().optional(),
  /** Burrow's (afbackup's cartis): the volume's next write position, FILE:BLOCK (next-write.ts). */
  nextwrite: text().optional(),
  force: flag().optional(),
  yes: flag().optional(),
  /** `update volume=` keys in the order given: [key, value]. */
  changes: z.array(z.tuple([z.enum(VOLUME_KEYS), z.string()])).default([]),
}).strict();
type UpdateArgs = z.output<typeof updateArgs>;

/** The line's words: the subject, its name, and the volume keys in their order. */
function readUpdateLine(words: readonly Arg[]): Record<string, unknown> {
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const changes: Array<[string, string]> = [];
  const isVolume = words.some((w) => w.key === 'volume');
  for (const w of words) {
    if (w.key === 'slots' && w.value === undefined) {
      input.what = 'slots';
    } else if (w.key === 'volume' || (w.key === 'pool' && !isVolume)) {
      input.what = w.key;
      if (w.value !== undefined) input[w.key] = w.value;
    } else if (w.key === 'fromallpools') {
      input.fromallpools = w.value ?? true;
    } else if (w.key === 'allfrompool') {
      input.allfrompool = w.value ?? true;
    } else if ((VOLUME_KEYS as readonly string[]).includes(w.key)) {
      changes.push([w.key, w.value ?? 'true']);
    } else {
      input[w.key] = w.value ?? true;
    }
  }
  input.changes = changes;
  return input;
}

async function allFromPools(ctx: ConsoleContext, a: UpdateArgs): Promise<string[]> {
  const scope = consoleScope(ctx);
  const pools = a.allfrompool !== undefined ? [await visiblePool(ctx, a.allfrompool)] : (await ctx.catalog.listPools()).filter((p) => scope.poolAllowed(p.name));
  const lines: string[] = [];
  for (const p of pools) {
    await ctx.catalog.updateMediaDefaults(mediaDefaults(p), { poolId: p.poolId });
    lines.push(`All Volume defaults updated from "${p.name}" Pool record.`);
  }
  return lines;
}

async function updatePool(ctx: ConsoleContext, name: string | undefined): Promise<string[]> {
  if (!name) throw new BurrowError('BAD_REQUEST', 'update pool: give pool=NAME');
  const pool = findResource(ctx.config.pools, name);
  if (!pool || !consoleScope(ctx).poolAllowed(pool.name)) throw new BurrowError('NOT_FOUND', `Pool "${name}" is not defined`);
  await ctx.catalog.ensurePool(poolInput(pool, await poolIdsOf(ctx.catalog, ctx.config)));
  return [`Pool DB record updated from resource.`];
}

export const updateCommand = defineCommand({
  name: 'update',
  help: 'Update a volume\'s catalog record, or a pool\'s from its resource',
  usage: `update volume=<name> [${VOLUME_KEYS.map((k) => `${k}=`).join(' ')}] | update volume=<name> nextwrite=<file:block> [force] [yes] [storage=] [drive=] | update volume fromallpools | update volume allfrompool=<pool> | update pool=<pool> | update slots [storage=<storage>] [scan [drive=<n>]]`,
  args: updateArgs,
  readLine: readUpdateLine,
  run: async (ctx, a): Promise<LinesResult> => {
    if (a.what === 'slots') {
      // scan: drive= (0 by default) loads every cartridge and its label gives the name, not its barcode.
      const scan = a.scan ? { drive: a.drive ?? 0 } : undefined;
      return { lines: await updateSlots(ctx, storageTarget(ctx.config, storageNamed(ctx, 'update slots', a.storage)), { scan }) };
    }
    if (a.what === 'pool') return { lines: await updatePool(ctx, a.pool) };
    if (a.fromallpools || a.allfrompool !== undefined) return { lines: await allFromPools(ctx, a) };
    if (!a.volume) throw new BurrowError('BAD_REQUEST', 'update volume: give volume=NAME (or fromallpools, allfrompool=POOL)');
    if (a.nextwrite !== undefined) {
      if (a.changes.length > 0 || a.pool !== undefined) throw new BurrowError('BAD_REQUEST', 'update volume nextwrite=: give it alone (with force, yes, storage=, drive=)');
      const r = { position: a.nextwrite, force: a.force === true, yes: a.yes === true, storage: a.storage, drive: a.drive };
      return { lines: await setNextWrite(ctx, await visibleVolume(ctx, a.volume), r) };
    }
    const changes = [...a.changes];
    if (a.pool !== undefined) changes.push(['pool', a.pool]);
    return { lines: await updateVolume(ctx, await visibleVolume(ctx, a.volume), changes as Array<[VolumeKey, string]>) };
  },
  render: renderLines,
});
