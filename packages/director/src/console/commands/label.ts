/**
 * label: write a label on a new volume through the SD, then record it in the catalog
 * (Append, the pool's limits, the slot; a record made by `add` becomes labelled). The
 * catalog changes only once the SD has labelled, so a refused label leaves no record.
 * relabel (Bareos's): a Purged or Recycle volume takes a new name and a fresh label
 * (its data is lost; a File volume's file is renamed); the new name gets a new record
 * in the pool given, and the old record is deleted, once the SD has done it.
 */
import { z } from 'zod';
import { recordEvent } from '../../media/locations.js';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { changerCommand, type StorageTarget } from '../../sd/storage-link.js';
import { labelOnDrive } from '../media-events.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { count, flag, text } from '../arg-types.js';
import { parseSlotList } from './slots.js';
import { volumeNameProblem } from '../../media/label-format.js';
import { mediaDefaults } from '../../media/pools.js';
import { isOneOf, RELABELABLE } from '../../media/statuses.js';
import type { MediaRow, PoolRow } from '../../catalog/index.js';
import { confirmed, visibleVolume } from './media-common.js';
import { consoleScope } from '../scope.js';

export interface LabelResult {
  volume: string;
  mediaid: number;
  pool: string;
  storage: string;
  device: string;
  slot: number;
  volbytes: number;
}

/** The Storage and Pool a label names, as this console may use them. */
async function storageAndPool(ctx: ConsoleContext, command: string, a: { storage?: string; pool: string }): Promise<{ storage: StorageTarget; pool: PoolRow }> {
  const storageName = a.storage ?? ctx.config.storages[0]?.name;
  if (!storageName) throw new BurrowError('BAD_REQUEST', `${command}: no Storage resource is configured`);
  const scope = consoleScope(ctx);
  if (!scope.storageAllowed(storageName)) throw new BurrowError('NOT_FOUND', `Storage "${storageName}" is not defined`);
  const pool = findResource(ctx.config.pools, a.pool);
  if (!pool || !scope.poolAllowed(pool.name)) throw new BurrowError('NOT_FOUND', `Pool "${a.pool}" is not defined`);
  const poolRow = await ctx.catalog.getPool(pool.name);
  if (!poolRow) throw new BurrowError('CATALOG', `Pool "${pool.name}" is missing from the catalog`);
  return { storage: storageTarget(ctx.config, storageName), pool: poolRow };
}

/** What label and relabel check before asking the SD: the Storage, the Pool and the new name. */
async function labelTarget(ctx: ConsoleContext, command: string, a: { storage?: string; pool: string; volume: string }): Promise<{ storage: StorageTarget; pool: PoolRow; existing: MediaRow | undefined }> {
  const target = await storageAndPool(ctx, command, a);
  const problem = volumeNameProblem(a.volume);
  if (problem) throw new BurrowError('BAD_REQUEST', `${command}: ${problem}`);
  // A record made by `add` (Unlabeled, nothing written) may be labelled; one with data never.
  const existing = await ctx.catalog.getMediaByName(a.volume);
  if (existing && existing.volStatus !== 'Unlabeled') throw new BurrowError('BAD_REQUEST', `Media record for new Volume "${a.volume}" already exists.`);
  return { ...target, existing };
}

/**
 * A volume a job has been given (to recycle, to append to) is the job's until it ends:
 * relabelling it would pull it from under the job. (A new name a job waits for may be
 * labelled: that is how an operator answers its request.)
 */
function notReserved(ctx: ConsoleContext, volume: string): void {
  const held = ctx.env.reservations.snapshot().find((h) => h.volumeName === volume);
  if (held) throw new BurrowError('BAD_REQUEST', `Volume "${volume}" is reserved by JobId ${held.jobIds.join(',')}: not relabelled now.`);
}

/** The new volume's catalog row: made, or (a record of `add`) filled in; Append with the pool's limits. */
async function recordLabelled(ctx: ConsoleContext, t: Awaited<ReturnType<typeof labelTarget>>, volume: string, sd: { volBytes: number; volFiles: number }, slotArg: number | undefined): Promise<{ mediaId: number; slot: number }> {
  const slot = slotArg ?? t.existing?.slot ?? 0;
  const fields = {
    poolId: t.pool.poolId, mediaType: t.storage.mediaType, storageId: await ctx.catalog.ensureStorage(t.storage.name), volBytes: sd.volBytes, volBlocks: 1, volFiles: sd.volFiles,
    labelDate: ctx.env.clock.now(), slot, inChanger: slot > 0, ...mediaDefaults(t.pool),
  };
  let mediaId: number;
  if (t.existing) {
    await ctx.catalog.updateMedia(t.existing.mediaId, { ...fields, volStatus: 'Append' });
    mediaId = t.existing.mediaId;
  } else mediaId = await ctx.catalog.createMedia({ volumeName: volume, volStatus: 'Append', ...fields });
  await recordEvent(ctx.catalog, mediaId, 'labelled', { now: ctx.env.clock.now(), text: `by console "${ctx.session.consoleName}"` });
  return { mediaId, slot };
}

/** `label barcodes`: what happened to each cartridge of the slots named. */
export interface LabelBarcodesResult {
  storage: string;
  labelled: LabelResult[];
  lines: string[];
}

const renderLabel = (r: LabelResult): string[] => [
  `Sending label command for Volume "${r.volume}" Slot ${r.slot} ...`,
  `3000 OK label. VolBytes=${r.volbytes} Volume="${r.volume}" Device="${r.device}"`,
  `Catalog record for Volume "${r.volume}", Slot ${r.slot} successfully created.`,
];

/**
 * `label barcodes [slots=]`: every cartridge the changer lists in those slots is
 * labelled with its barcode (the SD loads each first) and recorded with its slot; one
 * the catalog has already keeps its record and gets its slot; a cleaning cartridge (the
 * pool's Cleaning Prefix) is recorded as Cleaning, never labelled. One cartridge that
 * fails does not stop the others.
 */
async function labelBarcodes(ctx: ConsoleContext, a: { storage?: string; pool: string; slots?: string; drive?: number; yes?: boolean }): Promise<LabelBarcodesResult> {
  confirmed(a.yes, 'label barcodes');
  const inRange = parseSlotList(a.slots);
  const first = await storageAndPool(ctx, 'label barcodes', a);
  const reply = await changerCommand(first.storage, ctx.env.directorName, { action: 'list' });
  const lines = [...reply.messages, ...reply.problems];
  const labelled: LabelResult[] = [];
  for (const { slot, barcode } of reply.slots) {
    if (!inRange(slot) || barcode === '') continue;
    const known = await ctx.catalog.getMediaByName(barcode);
    if (known && known.volStatus !== 'Unlabeled') {
      await ctx.catalog.updateMedia(known.mediaId, { slot, inChanger: true, storageId: await ctx.catalog.ensureStorage(first.storage.name) });
      lines.push(`Media record for Slot ${slot} Volume "${barcode}" already exists.`);
      continue;
    }
    if (barcode.startsWith(first.pool.cleaningPrefix) && first.pool.cleaningPrefix !== '') {
      await ctx.catalog.createMedia({
        volumeName: barcode, poolId: first.pool.poolId, mediaType: first.storage.mediaType, storageId: await ctx.catalog.ensureStorage(first.storage.name),
        volStatus: 'Cleaning', slot, inChanger: true, ...mediaDefaults(first.pool),
      });
      lines.push(`Catalog record for cleaning tape "${barcode}" in Slot ${slot} successfully created.`);
      continue;
    }
    try {
      const t = await labelTarget(ctx, 'label barcodes', { storage: a.storage, pool: a.pool, volume: barcode });
      const sd = await labelOnDrive(ctx, t.storage, { volumeName: barcode, poolName: t.pool.name, drive: a.drive, slot });
      const { mediaId } = await recordLabelled(ctx, t, barcode, sd, slot);
      const r = { volume: barcode, mediaid: mediaId, pool: t.pool.name, storage: t.storage.name, device: t.storage.device, slot, volbytes: sd.volBytes };
      labelled.push(r);
      lines.push(...renderLabel(r));
    } catch (err) {
      lines.push(`Slot ${slot} Volume "${barcode}" not labelled: ${(err as Error).message}`);
    }
  }
  if (labelled.length === 0 && lines.length === 0) lines.push(`No cartridge with a barcode in the slots named of Storage "${first.storage.name}".`);
  return { storage: first.storage.name, labelled, lines };
}

export const labelCommand = defineCommand({
  name: 'label',
  help: 'Label a volume, or every cartridge of an autochanger by its barcode',
  usage: 'label [storage=<storage>] volume=<name> pool=<pool> [slot=<n>] [drive=<n>] | label barcodes [storage=<storage>] pool=<pool> [slots=<list>] [drive=<n>] yes',
  args: z.object({
    storage: text().optional(), volume: text().optional(), pool: text(), slot: count().optional(), drive: count().optional(),
    barcodes: flag().optional(), slots: text().optional(), yes: flag().optional(),
  }).strict(),
  run: async (ctx, a): Promise<LabelResult | LabelBarcodesResult> => {
    if (a.barcodes) return labelBarcodes(ctx, a);
    if (a.volume === undefined) throw new BurrowError('BAD_REQUEST', 'label: missing volume=');
    const volume = a.volume;
    const t = await labelTarget(ctx, 'label', { ...a, volume });
    // The SD labels first: a label it refuses (a volume already there) leaves no Media record behind.
    const sd = await labelOnDrive(ctx, t.storage, { volumeName: volume, poolName: t.pool.name, drive: a.drive, slot: a.slot });
    const { mediaId, slot } = await recordLabelled(ctx, t, volume, sd, a.slot);
    return { volume, mediaid: mediaId, pool: t.pool.name, storage: t.storage.name, device: t.storage.device, slot, volbytes: sd.volBytes };
  },
  render: (r) => ('lines' in r ? r.lines : renderLabel(r)).join('\n'),
});

export interface RelabelResult extends LabelResult {
  oldvolume: string;
}

export const relabelCommand = defineCommand({
  name: 'relabel',
  help: 'Relabel a purged volume with a new name (its data is lost)',
  usage: 'relabel [storage=<storage>] oldvolume=<name> volume=<new name> pool=<pool> [slot=<n>]',
  args: z.object({ storage: text().optional(), oldvolume: text(), volume: text(), pool: text(), slot: count().optional() }).strict(),
  run: async (ctx, a): Promise<RelabelResult> => {
    const old = await visibleVolume(ctx, a.oldvolume);
    // Only a volume whose data nobody wants any more (Bareos: Purged or Recycle).
    if (!isOneOf(old.volStatus, RELABELABLE)) {
      throw new BurrowError('BAD_REQUEST', `Volume "${old.volumeName}" has VolStatus ${old.volStatus}. It must be Purged or Recycled before relabeling.`);
    }
    notReserved(ctx, old.volumeName);
    const t = await labelTarget(ctx, 'relabel', a);
    if (old.mediaType !== t.storage.mediaType) {
      throw new BurrowError('BAD_REQUEST', `Volume "${old.volumeName}" has Media Type "${old.mediaType}"; Storage "${t.storage.name}" has "${t.storage.mediaType}"`);
    }
    // The SD renames and labels first; the catalog changes only once it has.
    const sd = await labelOnDrive(ctx, t.storage, { volumeName: a.volume, poolName: t.pool.name, oldVolumeName: old.volumeName });
    // The new record first, as Bareos: should the old one not go, the catalog still knows the new volume.
    const { mediaId, slot } = await recordLabelled(ctx, t, a.volume, sd, a.slot ?? old.slot);
    await ctx.catalog.deleteMedia(old.mediaId);
    return { volume: a.volume, oldvolume: old.volumeName, mediaid: mediaId, pool: t.pool.name, storage: t.storage.name, device: t.storage.device, slot, volbytes: sd.volBytes };
  },
  render: (r) => [
    `Sending relabel command from "${r.oldvolume}" to "${r.volume}" ...`,
    `3000 OK label. VolBytes=${r.volbytes} Volume="${r.volume}" Device="${r.device}"`,
    `Catalog record for Volume "${r.volume}", Slot ${r.slot} successfully created.`,
    `Old volume "${r.oldvolume}" deleted from catalog.`,
  ].join('\n'),
});
