/**
 * `update volume=NAME key=value ...` (Bareos's ua_update.cc UpdateVolume): each key
 * changes one field of the volume's row and answers Bareos's line ("New Volume status
 * is: Used"). Keys: volstatus, volretention, voluse, maxvoljobs, maxvolfiles,
 * maxvolbytes, recycle, inchanger, slot, pool, recyclepool, enabled, actiononpurge,
 * frompool (the pool's limits again), and Burrow's location (a named place such as
 * "vault": the cartridge is out of the changer; "" clears it). After the change the volume's limits are
 * checked, so a lowered limit shows at once.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { parseDuration, parseSize, tryBoolean } from '@burrow/common/config/units';
import { MEDIA_ARCHIVED, MEDIA_DISABLED, MEDIA_ENABLED, ON_PURGE_NONE, ON_PURGE_TRUNCATE, type MediaEnabled, type MediaPatch, type MediaRow } from '../../catalog/index.js';
import { enforceLimits } from '../../media/limits.js';
import { hasRoom, mediaDefaults } from '../../media/pools.js';
import { moveRefusal } from '../../media/client-sets.js';
import { recordEvent } from '../../media/locations.js';
import { SETTABLE, statusNamed } from '../../media/statuses.js';
import type { ConsoleContext } from '../command.js';
import { durationText, visiblePool } from './media-common.js';

/** The keys `update volume` takes, as Bareos spells them (any case on the line). */
export const VOLUME_KEYS = ['volstatus', 'volretention', 'voluse', 'maxvoljobs', 'maxvolfiles', 'maxvolbytes', 'recycle', 'inchanger',
  'slot', 'pool', 'recyclepool', 'enabled', 'actiononpurge', 'frompool', 'location'] as const;
export type VolumeKey = (typeof VOLUME_KEYS)[number];

const count = (key: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw new BurrowError('BAD_REQUEST', `update volume: ${key}= must be a number, not "${v}"`);
  return Number(v);
};
const yesNo = (v: string): boolean => {
  const b = tryBoolean(v);
  if (b === undefined) throw new BurrowError('BAD_REQUEST', 'Invalid value. It must be yes or no.');
  return b;
};
const measured = <T>(parse: (v: string) => T, v: string, what: string): T => {
  try {
    return parse(v);
  } catch {
    throw new BurrowError('BAD_REQUEST', `${what}: ${v}`);
  }
};

function enabledOf(v: string): MediaEnabled {
  const word = v.toLowerCase();
  if (word === 'archived' || word === '2') return MEDIA_ARCHIVED;
  const b = tryBoolean(v) ?? (word === '1' ? true : word === '0' ? false : undefined);
  if (b === undefined) throw new BurrowError('BAD_REQUEST', `Invalid value. It must be yes, no or archived, not "${v}"`);
  return b ? MEDIA_ENABLED : MEDIA_DISABLED;
}

/** One key's change: the patch and Bareos's reply line. */
async function change(ctx: ConsoleContext, m: MediaRow, key: VolumeKey, v: string): Promise<{ patch: MediaPatch; line: string }> {
  switch (key) {
    case 'volstatus': {
      const s = statusNamed(v, SETTABLE);
      if (!s) throw new BurrowError('BAD_REQUEST', `Invalid VolStatus specified: ${v}`);
      return { patch: { volStatus: s }, line: `New Volume status is: ${s}` };
    }
    case 'volretention': {
      const ms = measured(parseDuration, v, 'Invalid retention period specified') * 1000;
      return { patch: { volRetention: ms }, line: `New retention period is: ${durationText(ms)}` };
    }
    case 'voluse': {
      const ms = measured(parseDuration, v, 'Invalid use duration specified') * 1000;
      return { patch: { volUseDuration: ms }, line: `New use duration is: ${durationText(ms)}` };
    }
    case 'maxvoljobs': return { patch: { maxVolJobs: count(key, v) }, line: `New max jobs is: ${count(key, v)}` };
    case 'maxvolfiles': return { patch: { maxVolFiles: count(key, v) }, line: `New max files is: ${count(key, v)}` };
    case 'maxvolbytes': {
      const n = measured(parseSize, v, 'Invalid max. bytes specification');
      return { patch: { maxVolBytes: n }, line: `New Max bytes is: ${n}` };
    }
    case 'recycle': return { patch: { recycle: yesNo(v) }, line: `New Recycle flag is: ${yesNo(v) ? 'yes' : 'no'}` };
    case 'inchanger': return { patch: { inChanger: yesNo(v) }, line: `New InChanger flag is: ${yesNo(v) ? 'yes' : 'no'}` };
    case 'slot': return { patch: { slot: count(key, v) }, line: `New Slot is: ${count(key, v)}` };
    case 'enabled': return { patch: { enabled: enabledOf(v) }, line: `New Enabled is: ${enabledOf(v)}` };
    case 'actiononpurge': {
      const truncate = v.toLowerCase() === 'truncate';
      return { patch: { actionOnPurge: truncate ? ON_PURGE_TRUNCATE : ON_PURGE_NONE }, line: `New ActionOnPurge is: ${truncate ? 'Truncate' : 'None'}` };
    }
    case 'recyclepool': {
      if (v === '' || v === 'true') return { patch: { recyclePoolId: null }, line: 'New RecyclePool is: *None*' };
      const p = await visiblePool(ctx, v);
      return { patch: { recyclePoolId: p.poolId }, line: `New RecyclePool is: ${p.name}` };
    }
    case 'pool': {
      const p = await visiblePool(ctx, v);
      if (p.poolId !== m.poolId && !await hasRoom(ctx.catalog, p)) throw new BurrowError('BAD_REQUEST', `Pool "${p.name}" is full (Maximum Volumes=${p.maximumVolumes})`);
      const refusal = await moveRefusal(ctx.catalog, m, p);
      if (refusal) throw new BurrowError('BAD_REQUEST', refusal);
      return { patch: { poolId: p.poolId }, line: `New Pool is: ${p.name}` };
    }
    case 'location': {
      // Burrow's (afbackup's cartridge locations): a cartridge put somewhere named is out of the changer.
      if (v.length > 128 || /[\0-\x1f]/.test(v)) throw new BurrowError('BAD_REQUEST', 'update volume: location= must be a name of at most 128 characters, without control characters');
      if (v === '') return { patch: { location: '' }, line: 'New Location is: *None*' };
      return { patch: { location: v, inChanger: false, drive: -1 }, line: `New Location is: ${v}` };
    }
    case 'frompool': {
      const p = (await ctx.catalog.getPoolById(m.poolId))!;
      return { patch: mediaDefaults(p), line: `Volume defaults updated from "${p.name}" Pool record.` };
    }
  }
}

/** Applies the keys in the order given; every key is checked before anything changes. */
export async function updateVolume(ctx: ConsoleContext, m: MediaRow, keys: ReadonlyArray<[VolumeKey, string]>): Promise<string[]> {
  if (keys.length === 0) throw new BurrowError('BAD_REQUEST', `update volume: say what to change (${VOLUME_KEYS.join(', ')})`);
  const changes: Array<{ patch: MediaPatch; line: string }> = [];
  for (const [k, v] of keys) changes.push(await change(ctx, m, k, v));
  const patch = Object.assign({}, ...changes.map((c) => c.patch)) as MediaPatch;
  await ctx.catalog.updateMedia(m.mediaId, patch);
  if (patch.location !== undefined || patch.slot !== undefined || patch.inChanger !== undefined) {
    await recordEvent(ctx.catalog, m.mediaId, 'moved', { now: ctx.env.clock.now(), text: `update volume by console "${ctx.session.consoleName}"` });
  }
  const lines = changes.map((c) => c.line);
  const { message } = await enforceLimits(ctx.catalog, (await ctx.catalog.getMedia(m.mediaId))!, ctx.env.clock.now());
  if (message) lines.push(message);
  return lines;
}
