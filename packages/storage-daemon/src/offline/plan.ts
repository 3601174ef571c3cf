/** A read plan for volumes read whole: where every session starts on each of them. */
import { readVolume } from '../volume/reader.js';
import { SessionPlanner, type SessionPart } from '../volume/session-parts.js';
import type { OpenVolume } from './archive.js';

/**
 * Reads the volumes' labels (records are followed but not kept) and returns every
 * session on them, each with the volumes it is on, from its session label. Damage is
 * left for the reading that follows to report.
 */
export async function planOfVolumes(open: OpenVolume, volumeNames: readonly string[], signal?: AbortSignal): Promise<SessionPart[]> {
  const planner = new SessionPlanner();
  for (const name of volumeNames) {
    const volume = await open(name, signal);
    try {
      for await (const item of readVolume(volume, { fileIndexes: [], reportIncomplete: false, signal })) planner.see(name, item);
    } finally {
      await volume.close();
    }
  }
  return planner.plan();
}
