/**
 * A job that reads (a restore) from an autochanger waits for the cartridges it needs
 * that the catalog says are out of the changer (InChanger = 0), before it asks the
 * Storage daemon for a drive: its status is `M` ("is waiting for a mount request"),
 * the operator is asked with Bareos's "Please mount read Volume" and where the
 * cartridge was last seen, and the job goes on once `update slots` or `import` has put
 * it back in the catalog's changer (the catalog is looked at again every few seconds).
 * A cancel or the Job's Max Wait Time ends the wait.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { MediaRow } from '../catalog/index.js';
import { lastSeen } from '../media/job-volumes.js';
import type { StorageTarget } from '../sd/storage-link.js';
import { elapsed } from './format.js';
import type { JobContext } from './lifecycle.js';
import { operatorRows } from './volume-wait.js';

/** How often the catalog is looked at again while a cartridge is out. */
export const CARTRIDGE_POLL_MS = 2000;

export async function untilCartridgesIn(ctx: JobContext, storage: StorageTarget, volumes: readonly string[]): Promise<void> {
  if (!storage.autoChanger) return;
  const { env: { catalog, clock }, id, log, waits, signal } = ctx;
  const outside = (): MediaRow | undefined => volumes.map((v) => catalog.getMediaByName(v)).find((m) => m !== undefined && !m.inChanger);
  let asked: string | undefined;
  try {
    for (let m = outside(); m !== undefined; m = outside()) {
      if (asked !== m.volumeName) {
        asked = m.volumeName;
        waits.begin({ status: 'M', words: 'is waiting for a mount request', detail: `Volume "${m.volumeName}" of Pool "${m.poolName}", Media type "${m.mediaType}", Storage "${storage.name}"` });
        catalog.setJobStatus(id.jobId, 'M');
        log.mount(`Please mount read Volume "${m.volumeName}" for:\n${operatorRows([
          ['Job', id.job], ['Storage', `"${storage.device}"`], ['Pool', m.poolName], ['Media type', m.mediaType], ['Location', lastSeen(m)],
        ])}`);
      }
      const left = waits.remainingMs();
      if (left === 0) {
        throw new BurrowError('TIMEOUT', `Max wait time exceeded (${elapsed(waits.maxWaitMs ?? 0)}) waiting for Volume "${m.volumeName}" to be put in the changer of Storage "${storage.name}". Job canceled.`);
      }
      await clock.sleep(Math.min(CARTRIDGE_POLL_MS, left ?? CARTRIDGE_POLL_MS), signal);
      signal.throwIfAborted();
    }
    if (asked !== undefined) catalog.setJobStatus(id.jobId, 'R');
  } finally {
    if (asked !== undefined) waits.end();
  }
}
