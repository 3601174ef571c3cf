/**
 * A volume's own limits (Bareos's HasVolumeExpired, dird/next_vol.cc): an Append volume
 * that has been written on becomes Full at Maximum Volume Bytes, Used at Maximum Volume
 * Jobs or Files, or Used once Volume Use Duration has passed since its first write (not
 * since its label). Checked after every usage report from the SD and at selection, so a
 * change is visible in the catalog at once. The limits are the volume's own copies.
 */
import type { Catalog, MediaRow, VolStatus } from '../catalog/index.js';
import { withCommas } from '../jobs/format.js';

export interface LimitReached {
  status: Extract<VolStatus, 'Full' | 'Used'>;
  /** Bareos's job-log line. */
  message: string;
}

/** The limit an Append volume has reached at `now`, or null (checked in Bareos's order). */
export function limitReached(m: MediaRow, now: number): LimitReached | null {
  // A volume nothing wrote on yet has no limit to reach (Bareos: VolJobs > 0).
  if (m.volStatus !== 'Append' || m.volJobs === 0) return null;
  const name = m.volumeName;
  if (m.maxVolBytes > 0 && m.volBytes >= m.maxVolBytes) {
    return { status: 'Full', message: `Max Volume bytes=${withCommas(m.maxVolBytes)} exceeded. Marking Volume "${name}" as Full.` };
  }
  if (m.maxVolJobs > 0 && m.volJobs >= m.maxVolJobs) {
    return { status: 'Used', message: `Max Volume jobs=${withCommas(m.maxVolJobs)} exceeded. Marking Volume "${name}" as Used.` };
  }
  if (m.maxVolFiles > 0 && m.volFiles >= m.maxVolFiles) {
    return { status: 'Used', message: `Max Volume files=${withCommas(m.maxVolFiles)} exceeded. Marking Volume "${name}" as Used.` };
  }
  if (m.volUseDuration > 0 && m.firstWritten !== null && now - m.firstWritten >= m.volUseDuration) {
    return {
      status: 'Used',
      message: `Max configured use duration=${withCommas(Math.floor(m.volUseDuration / 1000))} sec. exceeded. Marking Volume "${name}" as Used.`,
    };
  }
  return null;
}

/**
 * Applies limitReached to the catalog row; returns the row as it now is, and the line
 * for the job log when the status changed.
 */
export async function enforceLimits(catalog: Catalog, m: MediaRow, now: number): Promise<{ media: MediaRow; message: string | null }> {
  const reached = limitReached(m, now);
  if (reached === null) return { media: m, message: null };
  await catalog.setMediaStatus(m.mediaId, reached.status);
  return { media: { ...m, volStatus: reached.status }, message: reached.message };
}
