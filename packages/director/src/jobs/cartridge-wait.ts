/**
 * A job that reads (a restore, a volume verify) from an autochanger waits for the
 * cartridges it needs that are out of the changer, as Bareos's read acquire does:
 * its status is `M` ("is waiting for a mount request"), and the operator is asked with
 * Bareos's "Please mount read Volume" and where the cartridge was last seen, again
 * after 1 hour, 2, 4 ... up to 24 (VolumeWait's schedule: after 9 the job fails), and
 * after each `mount` that did not bring it. A cancel or the Job's Max Wait Time ends it.
 *
 * Two ways in:
 * - before the job takes a drive, for cartridges the catalog says are out (InChanger =
 *   0): the catalog is looked at every few seconds until `update slots` or `import`
 *   puts them back, so no drive is held meanwhile;
 * - during the read session, when the SD finds a cartridge in no slot of its changer
 *   (the catalog said it was in: it was taken out by hand): InChanger = 0 with Bareos's
 *   words, the same request to the operator, and the SD waits on its drive for `mount`,
 *   `update slots` or `import`, asking again every poll interval.
 */
import type { burrow } from '@burrow/common/proto/index';
import type { Catalog, MediaRow } from '../catalog/index.js';
import { lastSeen } from '../media/job-volumes.js';
import { mountedInChanger } from '../media/locations.js';
import type { JobLines } from '../messages/job-lines.js';
import type { StorageTarget } from '../sd/storage-link.js';
import type { Clock } from '../time/clock.js';
import type { JobContext } from './lifecycle.js';
import { VolumeWait } from './volume-wait.js';
import type { JobWaits } from './waits.js';

/** How often the catalog is looked at again while a cartridge is out, before the job takes a drive. */
export const CARTRIDGE_POLL_MS = 2000;

export interface CartridgeWaitParties {
  jobId: number;
  /** The job's unique name (Bareos's Job). */
  job: string;
  storage: Pick<StorageTarget, 'name' | 'device' | 'mediaType' | 'autoChanger'>;
  catalog: Pick<Catalog, 'getMediaByName' | 'getMedia' | 'listMedia' | 'updateMedia' | 'ensureStorage' | 'addMediaEvent' | 'setJobStatus'>;
  log: JobLines;
  waits: JobWaits;
  clock: Clock;
  /** The job's cancel. */
  signal: AbortSignal;
}

/** The wait of a job reading with `storage`. */
export function cartridgeWait(ctx: JobContext, storage: StorageTarget): CartridgeWait {
  const { env, id, log, waits, signal } = ctx;
  return new CartridgeWait({ jobId: id.jobId, job: id.job, storage, catalog: env.catalog, log, waits, clock: env.clock, signal });
}

export class CartridgeWait {
  private readonly wait: VolumeWait;

  constructor(private readonly p: CartridgeWaitParties) {
    this.wait = new VolumeWait({ ...p, mode: 'read', pool: '', mediaType: p.storage.mediaType, storage: p.storage.name });
  }

  /** Aborts when the job may wait no longer (its Max Wait Time). */
  get expired(): AbortSignal {
    return this.wait.expired;
  }

  /** Resolves once none of `volumes` is out of the changer by the catalog (at once without Auto Changer). */
  async untilIn(volumes: readonly string[]): Promise<void> {
    if (!this.p.storage.autoChanger) return;
    const { catalog, clock, signal } = this.p;
    const outside = async (): Promise<MediaRow | undefined> => {
      for (const v of volumes) {
        const m = await catalog.getMediaByName(v);
        if (m !== undefined && !m.inChanger) return m;
      }
      return undefined;
    };
    const until = AbortSignal.any([signal, this.wait.expired]);
    let askingAgain = '';
    try {
      for (let m = await outside(); m !== undefined; m = await outside()) {
        this.wait.noVolume({ ...this.wanted(m, `"${this.p.storage.device}"`), askingAgain });
        askingAgain = 'poll';
        await clock.sleep(CARTRIDGE_POLL_MS, until);
        until.throwIfAborted();
      }
    } finally {
      this.wait.found();
    }
  }

  /**
   * The SD cannot have a volume it must read: its cartridge is in no slot of the changer.
   * The catalog learns it (Bareos's "Autochanger Volume ... not found in slot"), the job
   * waits, and the answer says how long the SD waits before it tries again (the read
   * session sends it once this resolves, before it reads the SD's next message).
   */
  async volumeRequested(req: burrow.SdReadVolumeRequest): Promise<{ pollSeconds: number }> {
    const { catalog, log } = this.p;
    const m = await catalog.getMediaByName(req.volumeName);
    if (req.notInChanger && m?.inChanger) {
      await catalog.updateMedia(m.mediaId, { inChanger: false });
      log.info(`Autochanger Volume "${m.volumeName}" not found in slot ${m.slot}.\n    Setting InChanger to zero in catalog.`);
    }
    const wanted = m ? this.wanted(m, req.device) : { wanted: req.volumeName, device: req.device, reason: '' };
    return this.wait.noVolume({ ...wanted, askingAgain: req.askingAgain });
  }

  /**
   * The SD mounted a volume to read on a drive of the changer: the catalog learns where
   * its cartridge is (that drive, its home slot) and its history that it was loaded, as
   * for a backup's mount.
   */
  async mounted(m: burrow.SdVolumeMounted): Promise<void> {
    const { catalog, clock, jobId, storage } = this.p;
    if (!storage.autoChanger || m.changerDrive === 0) return;
    const media = await catalog.getMediaByName(m.volumeName);
    if (media) await mountedInChanger(catalog, media, { storageName: storage.name, slot: m.slot, drive: m.changerDrive - 1, now: clock.now(), jobId });
  }

  /** The session goes on (the SD had the volume, or ended): the job runs again. */
  resumed(): void {
    this.wait.found();
  }

  private wanted(m: MediaRow, device: string): { wanted: string; device: string; reason: string; location: string; pool: string; mediaType: string } {
    return { wanted: m.volumeName, device, reason: '', location: lastSeen(m), pool: m.poolName, mediaType: m.mediaType };
  }
}
