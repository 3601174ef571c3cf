/**
 * import, export and move (Bareos's console commands of those names, ua_impexp.cc):
 * cartridges carried between an autochanger's slots and its import/export (mail)
 * slots by the changer's `transfer`, which the Storage daemon runs. The plan comes from
 * the changer's `listall` (slot-moves.ts); each move prints Bareos's "3308 Successfully
 * transfered volume from slot N to M." (its spelling), a failed one its warning, and
 * then the catalog's Slot and InChanger are brought up to date for the slots touched,
 * as `update slots` does (an import can so end a job's wait for its cartridge); with
 * `scan`, from the labels of the cartridges moved, read by drive= (0 by default).
 */
import { z } from 'zod';
import { changerCommand, driveCommand } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { count, flag, many, text } from '../arg-types.js';
import { renderLines, type LinesResult } from './media-common.js';
import { storageNamed } from './mount.js';
import { planSlotMoves, type SlotMove, type SlotOperation } from './slot-moves.js';
import { recordEvent } from '../../media/locations.js';
import { slotNumbers, updateSlots } from './slots.js';

interface MoveArgs {
  storage?: string;
  srcslots?: string;
  dstslots?: string;
  volume?: string[];
  scan?: boolean;
  /** scan: the drive that reads the labels (Bareos's drive=; default 0). */
  drive?: number;
}

async function moveCartridges(ctx: ConsoleContext, op: SlotOperation, a: MoveArgs): Promise<LinesResult> {
  const target = storageTarget(ctx.config, storageNamed(ctx, op, a.storage));
  const dir = ctx.env.directorName;
  const last = (await changerCommand(target, dir, { action: 'slots' })).count;
  if (last <= 0) return { lines: ['No slots in changer.'] };
  const { elements } = await changerCommand(target, dir, { action: 'listall' });
  const plan = planSlotMoves(op, elements, {
    src: a.srcslots === undefined ? undefined : slotNumbers(a.srcslots, last),
    dst: a.dstslots === undefined ? undefined : slotNumbers(a.dstslots, last),
    volumes: a.volume?.flatMap((v) => v.split('|')).filter((v) => v !== ''),
  });
  const lines = [...plan.warnings];
  if (plan.refused) return { lines: [...lines, plan.refused] };
  const touched = new Set<number>();
  const exports: SlotMove[] = [];
  for (const m of plan.moves) {
    if (m.releaseDrive !== undefined) {
      const released = await driveCommand(target, dir, { action: 'release', drive: m.releaseDrive });
      if (released.code >= 3900) {
        lines.push(released.text, `Failed to release volume in drive ${m.releaseDrive}`);
        continue;
      }
    }
    try {
      await changerCommand(target, dir, { action: 'transfer', slot: m.from, destination: m.to });
      lines.push(`3308 Successfully transfered volume from slot ${m.from} to ${m.to}.`);
      touched.add(m.from).add(m.to);
      if (op === 'export') exports.push(m);
    } catch (err) {
      lines.push((err as Error).message, `Failed to move volume from source slot ${m.from} to destination slot ${m.to}`);
    }
  }
  const exporting = new Set(exports.map((m) => m.barcode));
  if (touched.size > 0) lines.push(...await updateSlots(ctx, target, { only: touched, scan: a.scan ? { drive: a.drive ?? 0 } : undefined, exporting }));
  for (const m of exports) await exported(ctx, target.name, m);
  return { lines };
}

/**
 * An exported cartridge is in an import/export slot: out of the changer (update slots
 * set InChanger = 0, as Bareos does), with that slot as its place and "exported" in its
 * history.
 */
async function exported(ctx: ConsoleContext, storageName: string, m: SlotMove): Promise<void> {
  const media = m.barcode === '' ? undefined : await ctx.catalog.getMediaByName(m.barcode);
  if (!media) return;
  await ctx.catalog.updateMedia(media.mediaId, { slot: m.to, inChanger: false, importExport: true, drive: -1, location: '' });
  await recordEvent(ctx.catalog, media.mediaId, 'exported', { now: ctx.env.clock.now(), text: `from Slot ${m.from} of Storage "${storageName}"` });
}

// Bareos also takes srcslot= and dstslot=.
const args = z.object({
  storage: text().optional(), srcslots: text().optional(), dstslots: text().optional(), srcslot: text().optional(), dstslot: text().optional(),
  volume: many().optional(), scan: flag().optional(), drive: count().optional(),
}).strict();

const slotCommand = (op: SlotOperation, help: string, usage: string) => defineCommand({
  name: op, help, usage: `${op} ${usage}`, args,
  run: (ctx, a) => moveCartridges(ctx, op, { ...a, srcslots: a.srcslots ?? a.srcslot, dstslots: a.dstslots ?? a.dstslot }),
  render: renderLines,
});

export const importCommand = slotCommand('import', 'Import volumes from import/export slots to normal slots',
  'storage=<storage> [srcslots=<slot-selection>] [dstslots=<slot-selection>] [volume=<name>] [scan [drive=<n>]]');
export const exportCommand = slotCommand('export', 'Export volumes from normal slots to import/export slots',
  'storage=<storage> srcslots=<slot-selection> [dstslots=<slot-selection>] [volume=<name>] [scan [drive=<n>]]');
export const moveCommand = slotCommand('move', 'Move slots in an autochanger', 'storage=<storage> srcslots=<slot-selection> dstslots=<slot-selection>');
