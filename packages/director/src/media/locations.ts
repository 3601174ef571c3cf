/**
 * Where each cartridge is, and what happened to it (afbackup's cartridge database, on
 * top of Bareos's Slot, InChanger and Storage): a place in words for the operator, and
 * a history of events with their times (catalog MediaEvent rows), recorded by the
 * media module and the console commands that move, label, load or write volumes.
 *
 * A cartridge's place, most precise first: in a drive of a changer (the Director saw
 * it mounted there), in a slot of a changer, at a place the operator named (`update
 * volume location=`), in the import/export slot it was exported to, or out of the
 * changer where it was last seen.
 */
import type { Catalog, MediaEventKind, MediaRow } from '../catalog/index.js';

type Placed = Pick<MediaRow, 'slot' | 'inChanger' | 'storageName' | 'location' | 'drive' | 'importExport'>;

/** The cartridge's place in words ("Slot 3 of Storage "Changer"", "vault", ...). */
export function placeOf(m: Placed): string {
  const of = m.storageName === null ? '' : ` of Storage "${m.storageName}"`;
  if (m.inChanger && m.drive >= 0) return `Drive ${m.drive}${of}${m.slot > 0 ? ` (home Slot ${m.slot})` : ''}`;
  if (m.inChanger && m.slot > 0) return `Slot ${m.slot}${of}`;
  if (m.location !== '') return m.location;
  if (m.importExport && m.slot > 0) return `Import/Export Slot ${m.slot}${of}`;
  if (m.slot > 0) return `out of the changer (last seen in Slot ${m.slot}${of})`;
  return m.inChanger ? `in the changer${of}` : 'unknown';
}

export interface EventDetails {
  now: number;
  jobId?: number;
  /** What else to say ("JobId 3 wrote 12 MB"). */
  text?: string;
}

/** Records one event of the volume's history, at the place the volume is now. */
export async function recordEvent(catalog: Pick<Catalog, 'getMedia' | 'addMediaEvent'>, mediaId: number, event: MediaEventKind, d: EventDetails): Promise<void> {
  const m = await catalog.getMedia(mediaId);
  if (!m) return;
  await catalog.addMediaEvent({
    mediaId, volumeName: m.volumeName, time: d.now, event, place: placeOf(m), jobId: d.jobId ?? null, text: d.text ?? '',
  });
}

/** What keeping cartridges' places needs of the catalog. */
export type ChangerCatalog = Pick<Catalog, 'getMedia' | 'listMedia' | 'updateMedia' | 'ensureStorage' | 'addMediaEvent'>;

/** Where a changer's drive mounted a volume (a backup's, a restore's or a verify's). */
export interface MountedIn {
  storageName: string;
  /** The cartridge's home slot, as the SD loaded it; 0 unknown. */
  slot: number;
  /** The drive's index in the changer; -1 unknown. */
  drive: number;
  now: number;
  jobId: number;
}

/**
 * Mounted by a drive of the changer: the volume is in the changer, whatever the catalog
 * said (the operator's mount slot=, a cartridge moved by hand), and in the slot the SD
 * loaded it from, which no other volume of the Storage keeps (Bareos's
 * MakeInchangerUnique). In its history: "loaded" into the drive, and whichever
 * cartridge the catalog had in that drive went back to its slot ("unloaded").
 */
export async function mountedInChanger(catalog: ChangerCatalog, media: MediaRow, o: MountedIn): Promise<void> {
  const storageId = await catalog.ensureStorage(o.storageName);
  if (o.drive >= 0 && (media.drive !== o.drive || media.storageId !== storageId)) {
    for (const other of await catalog.listMedia()) {
      if (other.mediaId === media.mediaId || other.drive !== o.drive || other.storageId !== storageId) continue;
      await catalog.updateMedia(other.mediaId, { drive: -1 });
      await recordEvent(catalog, other.mediaId, 'unloaded', { now: o.now, jobId: o.jobId, text: `from Drive ${o.drive} for Volume "${media.volumeName}"` });
    }
    await catalog.updateMedia(media.mediaId, { drive: o.drive, storageId, inChanger: true, importExport: false, location: '' });
    await recordEvent(catalog, media.mediaId, 'loaded', { now: o.now, jobId: o.jobId, text: `for JobId ${o.jobId}` });
  }
  if (!media.inChanger || media.storageId !== storageId || (o.slot > 0 && media.slot !== o.slot)) {
    await catalog.updateMedia(media.mediaId, { inChanger: true, storageId, importExport: false, location: '', ...(o.slot > 0 ? { slot: o.slot } : {}) });
  }
  if (o.slot > 0) await clearSlotClaims(catalog, { mediaId: media.mediaId, storageId, slot: o.slot });
}

/**
 * One volume per slot: every other volume of the Storage the catalog has in `slot`
 * leaves it, to the slot the changer lists it in (`listedAt`), else out of the changer.
 * Returns the volumes moved and the slot each went to (0: out of the changer).
 */
export async function clearSlotClaims(
  catalog: ChangerCatalog, o: { mediaId: number; storageId: number; slot: number; listedAt?: (volumeName: string) => number | undefined },
): Promise<Array<{ volumeName: string; slot: number }>> {
  const moved: Array<{ volumeName: string; slot: number }> = [];
  for (const other of await catalog.listMedia()) {
    if (other.mediaId === o.mediaId || !other.inChanger || other.storageId !== o.storageId || other.slot !== o.slot) continue;
    const at = o.listedAt?.(other.volumeName);
    await catalog.updateMedia(other.mediaId, at === undefined || at === o.slot ? { inChanger: false, drive: -1 } : { slot: at, drive: -1 });
    moved.push({ volumeName: other.volumeName, slot: at === undefined || at === o.slot ? 0 : at });
  }
  return moved;
}
