/**
 * The autochanger's slots in the catalog (Bareos's ua_update.cc update_slots,
 * ua_status.cc status_slots, ua_label.cc label barcodes): the Director asks the SD
 * what the changer holds (its `list` and `listall`, run by the SD's Changer Command)
 * and keeps each volume's Slot, InChanger and Storage in the catalog in step with it.
 * A barcode is a volume's name.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { MediaEventKind, MediaRow } from '../../catalog/index.js';
import { clearSlotClaims, recordEvent } from '../../media/locations.js';
import { changerCommand, driveCommand, type StorageTarget } from '../../sd/storage-link.js';
import type { ConsoleContext } from '../command.js';

/** What an update of the catalog's slots looks at. */
export interface SlotUpdate {
  /** Just the cartridges now in these slots (import, export, move, mount slot=); every slot without it. */
  only?: ReadonlySet<number>;
  /** `scan`: each cartridge's label is read by this drive of the changer instead of trusting its barcode. */
  scan?: { drive: number };
  /** Volumes an export is carrying out: their leaving is recorded by the export ("exported"), not here. */
  exporting?: ReadonlySet<string>;
}

/**
 * `update slots`: Slot, InChanger and Storage of every volume the changer lists; those
 * it no longer holds leave it. When cartridges came in, the jobs waiting on the
 * Storage's drives ask for a volume again at once (one may wait for such a cartridge).
 * With `only`, just the cartridges now in those slots (import, export and move update
 * the slots they touched); any volume the changer no longer holds leaves it either way.
 * With `scan`, the name is the cartridge's label, as Bareos's `update slots scan` reads
 * it (for libraries without a barcode reader, or barcodes that are not the names).
 */
export async function updateSlots(ctx: ConsoleContext, target: StorageTarget, o: SlotUpdate = {}): Promise<string[]> {
  const reply = await changerCommand(target, ctx.env.directorName, { action: 'list' });
  const storageId = await ctx.catalog.ensureStorage(target.name);
  const lines = [...reply.messages, ...reply.problems];
  const wanted = (slot: number): boolean => o.only === undefined || o.only.has(slot);
  const slots = o.scan ? await scanLabels(ctx, target, reply.slots, { drive: o.scan.drive, wanted, lines }) : reply.slots;
  // Every cartridge the changer holds stays in it, whatever slots this update looks at.
  const listed = new Map(slots.filter((s) => s.barcode !== '').map((s) => [s.barcode, s.slot]));
  let cameIn = 0;
  for (const { slot, barcode } of slots) {
    if (!wanted(slot)) continue;
    if (barcode === '') {
      if (o.scan) lines.push(...await emptySlot(ctx, storageId, slot));
      continue;
    }
    const m = await ctx.catalog.getMediaByName(barcode);
    if (!m) {
      lines.push(`Volume "${barcode}" in Slot ${slot} is not in the catalog: label it (label barcodes slots=${slot}).`);
      continue;
    }
    // One volume per slot (Bareos's MakeInchangerUnique): another the catalog has here goes where the changer lists it.
    for (const other of await clearSlotClaims(ctx.catalog, { mediaId: m.mediaId, storageId, slot, listedAt: (name) => listed.get(name) })) {
      lines.push(other.slot > 0 ? `Catalog record for Volume "${other.volumeName}" updated to reference slot ${other.slot}.`
        : `Volume "${other.volumeName}" is not in Slot ${slot}, Volume "${barcode}" is: InChanger set to zero.`);
    }
    if (m.slot === slot && m.inChanger && m.storageId === storageId) {
      lines.push(`Catalog record for Volume "${barcode}" is up to date.`);
      continue;
    }
    if (!m.inChanger || m.storageId !== storageId) cameIn++;
    // Back in the changer: no longer at a named place, nor in an import/export slot.
    await ctx.catalog.updateMedia(m.mediaId, { slot, inChanger: true, storageId, location: '', importExport: false, ...(m.slot !== slot ? { drive: -1 } : {}) });
    await slotEvent(ctx, m.mediaId, m.importExport ? 'imported' : 'moved', `update slots of Storage "${target.name}"`);
    lines.push(`Catalog record for Volume "${barcode}" updated to reference slot ${slot}.`);
  }
  for (const m of await inChangerOf(ctx, storageId)) {
    if (listed.has(m.volumeName)) continue;
    await ctx.catalog.updateMedia(m.mediaId, { inChanger: false, drive: -1 });
    if (!o.exporting?.has(m.volumeName)) await slotEvent(ctx, m.mediaId, 'moved', `no longer in the changer of Storage "${target.name}"`);
    lines.push(`Volume "${m.volumeName}" is no longer in the changer (it was in Slot ${m.slot}): InChanger set to zero.`);
  }
  if (cameIn > 0) {
    const woken = await driveCommand(target, ctx.env.directorName, { action: 'wake', drive: 0 });
    if (woken.code >= 3900) lines.push(woken.text);
  }
  return lines;
}

/**
 * The full slots with the names their labels give ('' for none), each read by the SD
 * (Bareos's readlabel: load, read, put back), its replies passed on as Bareos prints
 * them. A slot the drive could not get to (busy) keeps its barcode.
 */
async function scanLabels(
  ctx: ConsoleContext, target: StorageTarget, listed: ReadonlyArray<{ slot: number; barcode: string }>,
  o: { drive: number; wanted: (slot: number) => boolean; lines: string[] },
): Promise<Array<{ slot: number; barcode: string }>> {
  const out: Array<{ slot: number; barcode: string }> = [];
  for (const entry of listed) {
    if (!o.wanted(entry.slot)) {
      out.push(entry);
      continue;
    }
    const read = await driveCommand(target, ctx.env.directorName, { action: 'readlabel', drive: o.drive, slot: entry.slot });
    o.lines.push(read.text);
    if (read.code === 3001) out.push({ slot: entry.slot, barcode: read.volumeName });
    else if (read.code === 3902) out.push({ slot: entry.slot, barcode: '' });
    else out.push(entry);
  }
  return out;
}

/** A full slot whose cartridge has no volume label: no volume of the Storage is in it (Bareos's words). */
async function emptySlot(ctx: ConsoleContext, storageId: number, slot: number): Promise<string[]> {
  for (const m of await inChangerOf(ctx, storageId)) if (m.slot === slot) await ctx.catalog.updateMedia(m.mediaId, { inChanger: false, drive: -1 });
  return [`No VolName for Slot=${slot} InChanger set to zero.`];
}

async function slotEvent(ctx: ConsoleContext, mediaId: number, kind: MediaEventKind, text: string): Promise<void> {
  await recordEvent(ctx.catalog, mediaId, kind, { now: ctx.env.clock.now(), text });
}

async function inChangerOf(ctx: ConsoleContext, storageId: number): Promise<MediaRow[]> {
  return (await ctx.catalog.listMedia()).filter((m) => m.inChanger && m.storageId === storageId);
}

export interface SlotRow {
  slot: number;
  /** The cartridge's barcode, '' for an empty slot. */
  volume: string;
  volstatus: string;
  mediatype: string;
  pool: string;
  /** In a drive now (its home slot is this one). */
  loaded: boolean;
  importexport: boolean;
}

/** `status slots`: each slot with its cartridge and what the catalog knows of it. */
export async function statusSlots(ctx: ConsoleContext, target: StorageTarget): Promise<SlotRow[]> {
  const reply = await changerCommand(target, ctx.env.directorName, { action: 'listall' });
  const inDrive = new Map<number, string>();
  for (const e of reply.elements) if (e.kind === 'drive' && e.full) inDrive.set(e.homeSlot, e.barcode);
  const rows: SlotRow[] = [];
  for (const e of reply.elements.filter((x) => x.kind !== 'drive')) {
    const volume = e.full ? e.barcode : inDrive.get(e.number) ?? '';
    const m = volume === '' ? undefined : await ctx.catalog.getMediaByName(volume);
    const known = volume !== '' && m === undefined ? '?' : '';
    rows.push({
      slot: e.number, volume, volstatus: m?.volStatus ?? known, mediatype: m?.mediaType ?? known, pool: m?.poolName ?? known,
      loaded: !e.full && inDrive.has(e.number), importexport: e.kind === 'import-export',
    });
  }
  return rows;
}

/** Bareos's slot table: `*` marks a slot whose cartridge is in a drive, `@` an import/export slot. */
export function renderSlots(rows: readonly SlotRow[]): string {
  const out = [' Slot |   Volume Name    |   Status  |      Media Type       |      Pool          |',
    '------+------------------+-----------+-----------------------+--------------------|'];
  for (const r of rows) {
    const mark = r.loaded ? '*' : r.importexport ? '@' : ' ';
    out.push(` ${String(r.slot).padStart(4)}${mark}| ${r.volume.padStart(16)} | ${r.volstatus.padStart(9)} | ${r.mediatype.padStart(21)} | ${r.pool.padStart(18)} |`);
  }
  return out.join('\n');
}

/** A slot list as Bareos takes it (`slots=1-3,5`); none: every slot. */
export function parseSlotList(text: string | undefined): (slot: number) => boolean {
  if (text === undefined || text === '') return () => true;
  const ranges = slotRanges(text);
  return (slot) => ranges.some(([from, to]) => slot >= from && slot <= to);
}

/** The slots of a list (`srcslots=1-3,5`) up to the changer's last slot. */
export function slotNumbers(text: string, lastSlot: number): Set<number> {
  const out = new Set<number>();
  for (const [from, to] of slotRanges(text)) for (let n = from; n <= Math.min(to, lastSlot); n++) out.add(n);
  return out;
}

function slotRanges(text: string): Array<readonly [number, number]> {
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new BurrowError('BAD_REQUEST', `slots=${text}: "${part}" is not a slot or a range of slots (e.g. 1-3,5)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from) throw new BurrowError('BAD_REQUEST', `slots=${text}: "${part}" is not a range of slots from 1`);
    return [from, to] as const;
  });
}
