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
export function recordEvent(catalog: Catalog, mediaId: number, event: MediaEventKind, d: EventDetails): void {
  const m = catalog.getMedia(mediaId);
  if (!m) return;
  catalog.addMediaEvent({
    mediaId, volumeName: m.volumeName, time: d.now, event, place: placeOf(m), jobId: d.jobId ?? null, text: d.text ?? '',
  });
}
