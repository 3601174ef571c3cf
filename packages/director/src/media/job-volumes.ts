/**
 * The volumes of one backup job, as its SD session asks for them (the Director's side
 * of Bareos's catreq.cc "find next volume" / "update media"): choose the next volume,
 * commit what that choice changes once the SD has it mounted, record usage and check
 * the volume's limits after every report, and let the volumes go when the job ends.
 * Each call returns the lines for the job log; when no volume can be found, `next`
 * says why and what the operator can do, and the job waits (jobs/volume-wait.ts).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog, MediaEventKind, MediaRow, MediaUsage } from '../catalog/index.js';
import { mountedInChanger, recordEvent } from './locations.js';
import type { Clock } from '../time/clock.js';
import type { OnMounted, VolumeChoice } from './choice.js';
import { enforceLimits } from './limits.js';
import { commitMounted, type MountReport } from './mounted.js';
import { findNextVolume, type VolumeWanted } from './next-volume.js';
import type { VolumeReservations } from './reservations.js';

export interface JobVolumesOptions {
  catalog: Catalog;
  reservations: VolumeReservations;
  clock: Clock;
  jobId: number;
  poolName: string;
  mediaType: string;
  storageName: string;
  device: string;
  /** The Storage's Auto Changer: volumes in its changer are chosen first, and one out of it is waited for. */
  autoChanger: boolean;
  /** The Job's Prune Volumes (the pool's AutoPrune applies anyway). */
  pruneVolumes: boolean;
  job?: VolumeWanted['job'];
}

export interface VolumeRequestIn {
  /** The volume the SD just filled. */
  previousFull?: string;
  /** The last volume handed out, which the SD could not use, and why. */
  unusable?: { volume: string; reason: string };
  /** The last volume handed out, whose cartridge is in no slot of the drive's changer. */
  notInChanger?: string;
  labelMedia: boolean;
  /** The volume the job's drive has mounted: taken first when it is appendable in the pool (Bareos asks the same). */
  mounted?: string;
  /** Volumes other drives of the SD append to: never given to this job (Bareos's unwanted volumes). */
  othersAppend?: readonly string[];
}

export interface Logged<T> {
  value: T;
  lines: string[];
  /** Lines that make the job end "OK -- with warnings". */
  warnings?: string[];
}

/** What the operator is told of a cartridge the job waits for that is not in the changer. */
export interface OutOfChanger {
  volume: string;
  /** Its last known place, from the catalog (Bareos's Slot and Storage). */
  location: string;
}

/**
 * Where a cartridge out of the changer was last, as the catalog knows it: the place the
 * operator named (`update volume location=`), and its Slot (an import/export one when it
 * was exported) and Storage.
 */
export function lastSeen(m: Pick<MediaRow, 'slot' | 'storageName' | 'location' | 'importExport'>): string {
  const where = m.storageName === null ? '' : ` of Storage "${m.storageName}"`;
  const seen = m.slot > 0 ? `last seen in ${m.importExport ? 'Import/Export ' : ''}Slot ${m.slot}${where}` : 'never seen in a changer slot';
  return m.location === '' ? seen : `${m.location} (${seen})`;
}

export class JobVolumes {
  private readonly unwanted = new Set<string>();
  /** Volumes the SD found in no slot of its changer during this job: waited for, not tried again, until they are back in. */
  private readonly missing = new Set<string>();
  private readonly plans = new Map<string, OnMounted>();
  private readonly ids = new Map<string, number>();
  /** Volumes whose history has this job's "written" event already. */
  private readonly written = new Set<string>();

  constructor(private readonly o: JobVolumesOptions) {}

  /**
   * The volume to hand the SD next, or null with `reason` when there is none (the job
   * then waits for the operator, jobs/volume-wait.ts), and with `wanted` when the
   * operator should mount or label a particular volume: an Unlabeled one of the pool
   * (made by `add`) that the device may not label by itself. Searches of all jobs take
   * turns: one that prunes lets the event loop go on, and no other may choose meanwhile.
   */
  next(req: VolumeRequestIn): Promise<Logged<VolumeChoice | null> & { reason?: string; wanted?: string; outOfChanger?: OutOfChanger }> {
    return this.o.reservations.inTurn(() => this.search(req));
  }

  private async search(req: VolumeRequestIn): Promise<Logged<VolumeChoice | null> & { reason?: string; wanted?: string; outOfChanger?: OutOfChanger }> {
    const { catalog, reservations, jobId } = this.o;
    const lines: string[] = [];
    if (req.notInChanger) lines.push(...await this.notInChanger(req.notInChanger));
    if (req.previousFull) {
      const prev = await catalog.getMediaByName(req.previousFull);
      if (prev?.volStatus === 'Append') await catalog.setMediaStatus(prev.mediaId, 'Full');
    }
    const warnings = req.unusable ? [await this.refused(req.unusable)] : [];
    const pool = await catalog.getPool(this.o.poolName);
    if (!pool) throw new BurrowError('NOT_FOUND', `Pool "${this.o.poolName}" is not in the catalog`);
    const result = await findNextVolume(catalog, reservations, {
      jobId, pool, mediaType: this.o.mediaType, storageId: await catalog.ensureStorage(this.o.storageName), labelMedia: req.labelMedia,
      prune: pool.autoPrune || this.o.pruneVolumes, unwanted: new Set([...this.unwanted, ...(req.othersAppend ?? [])]),
      mounted: req.mounted, now: this.o.clock.now(), job: this.o.job,
      storage: { name: this.o.storageName, device: this.o.device },
      inChangerOf: this.o.autoChanger ? await catalog.ensureStorage(this.o.storageName) : undefined,
    });
    lines.push(...result.lines);
    if (result.found === null) {
      const wanted = req.labelMedia ? undefined : (await catalog.findMedia({
        poolId: pool.poolId, mediaType: this.o.mediaType, statuses: ['Unlabeled'], order: 'oldest-written',
        exclude: new Set([...this.unwanted, ...reservations.pendingForOthers(jobId)]),
      }))?.volumeName;
      return { value: null, lines, warnings, reason: result.reason, wanted };
    }
    const choice = result.found;
    const out = choice.media && choice.volumeName !== req.mounted ? this.outOfChanger(choice.media) : undefined;
    if (out) {
      // Bareos asks for the cartridge rather than have the changer look for it in vain.
      const reason = `Volume "${out.volume}" is not in the changer of Storage "${this.o.storageName}" (${out.location}): `
        + `put it in a slot and run "update slots storage=${this.o.storageName}", or label another volume for Pool "${this.o.poolName}".`;
      return { value: null, lines, warnings, reason, wanted: out.volume, outOfChanger: out };
    }
    reservations.hold(jobId, choice.volumeName, choice.onMounted.kind !== 'none');
    this.plans.set(choice.volumeName, choice.onMounted);
    if (choice.media) this.ids.set(choice.volumeName, choice.media.mediaId);
    return { value: choice, lines, warnings };
  }

  /**
   * The SD's changer has no slot with the volume's cartridge: InChanger = 0 in the
   * catalog (Bareos's words for it), its hold goes, and it is waited for, not used.
   */
  private async notInChanger(volume: string): Promise<string[]> {
    this.missing.add(volume);
    this.o.reservations.release(this.o.jobId, volume);
    this.plans.delete(volume);
    const m = await this.o.catalog.getMediaByName(volume);
    if (!m?.inChanger) return [];
    await this.o.catalog.updateMedia(m.mediaId, { inChanger: false, drive: -1 });
    await this.event(m.mediaId, 'moved', `not found in Slot ${m.slot} by the changer of Storage "${this.o.storageName}"`);
    return [`Autochanger Volume "${volume}" not found in slot ${m.slot}.\n    Setting InChanger to zero in catalog.`];
  }

  /**
   * A chosen volume the job must wait for instead: out of the changer by the catalog
   * (Auto Changer) or by the SD's word during this job, and not back in since.
   */
  private outOfChanger(m: MediaRow): OutOfChanger | undefined {
    if (m.inChanger || (!this.o.autoChanger && !this.missing.has(m.volumeName))) return undefined;
    return { volume: m.volumeName, location: lastSeen(m) };
  }

  /**
   * The SD could not use the volume: it is marked in Error and not chosen again. A new
   * name whose label failed (a foreign file is in the way) gets a row in Error, never an
   * appendable one, so the name stays out of use and `list volumes` shows why.
   */
  private async refused(u: { volume: string; reason: string }): Promise<string> {
    this.unwanted.add(u.volume);
    this.o.reservations.release(this.o.jobId, u.volume);
    const plan = this.plans.get(u.volume);
    this.plans.delete(u.volume);
    const id = this.ids.get(u.volume) ?? (plan?.kind === 'create' ? await this.o.catalog.createMedia({ ...plan.input, volStatus: 'Error' }) : undefined);
    if (id !== undefined) {
      await this.o.catalog.setMediaStatus(id, 'Error');
      await this.event(id, 'error', u.reason);
    }
    return `Volume "${u.volume}" cannot be used: ${u.reason}. Marking Volume "${u.volume}" in Error in Catalog.`;
  }

  /**
   * Resolves once the volume the job's drive has mounted is settled: another job of
   * the drive that is mounting it for itself has had its mount committed. Ask before
   * next(), so that jobs starting together on one drive share its volume.
   */
  untilMountedSettled(mounted: string | undefined, signal?: AbortSignal): Promise<void> {
    return mounted === undefined ? Promise.resolve() : this.o.reservations.untilSettled(mounted, this.o.jobId, signal);
  }

  /** The SD mounted a volume this job was given: commit the choice's changes. */
  async mounted(r: MountReport): Promise<Logged<number>> {
    const plan = this.plans.get(r.volumeName);
    if (plan === undefined) throw new BurrowError('PROTOCOL', `the SD mounted volume "${r.volumeName}", which this job was not given`);
    const { media, lines, warnings } = await commitMounted(this.o.catalog, plan, r, this.o.clock.now());
    if (plan.kind === 'create' || (plan.kind === 'existing' && plan.recycle && r.labelled)) {
      const relabelled = plan.kind === 'existing' && media.recycleCount > 0 && media.labelDate !== null;
      await this.event(media.mediaId, relabelled ? 'recycled' : 'labelled', `by the Storage daemon for JobId ${this.o.jobId}`);
    }
    if (this.o.autoChanger) {
      await mountedInChanger(this.o.catalog, media, { storageName: this.o.storageName, slot: r.slot ?? 0, drive: r.drive ?? -1, now: this.o.clock.now(), jobId: this.o.jobId });
    }
    this.missing.delete(r.volumeName);
    this.plans.set(r.volumeName, { kind: 'none' });
    this.ids.set(r.volumeName, media.mediaId);
    this.o.reservations.mounted(this.o.jobId, r.volumeName);
    return { value: media.mediaId, lines, warnings };
  }

  private async event(mediaId: number, kind: MediaEventKind, text: string): Promise<void> {
    await recordEvent(this.o.catalog, mediaId, kind, { now: this.o.clock.now(), jobId: this.o.jobId, text });
  }

  /** The catalog id of a volume this job writes on. */
  async mediaIdOf(volumeName: string): Promise<number> {
    const known = this.ids.get(volumeName) ?? (await this.o.catalog.getMediaByName(volumeName))?.mediaId;
    if (known === undefined) throw new BurrowError('PROTOCOL', `the SD wrote on volume "${volumeName}", which the catalog does not know`);
    this.ids.set(volumeName, known);
    return known;
  }

  /**
   * The catalog ids of the volumes a batch of the SD's file rows names (one or two: a
   * batch may span a change of volume), each looked up once, before the rows are made.
   */
  async mediaIdsOf(volumeNames: Iterable<string>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const name of volumeNames) if (!ids.has(name)) ids.set(name, await this.mediaIdOf(name));
    return ids;
  }

  /** Records the SD's usage report, then checks the volume's limits (Bareos does after every update). */
  async usage(volumeName: string, usage: Omit<MediaUsage, 'lastWritten'>): Promise<Logged<number>> {
    const mediaId = await this.mediaIdOf(volumeName);
    const now = this.o.clock.now();
    await this.o.catalog.updateMediaUsage(mediaId, { ...usage, lastWritten: now });
    if (!this.written.has(volumeName)) {
      this.written.add(volumeName);
      await this.event(mediaId, 'written', `by JobId ${this.o.jobId}`);
    }
    const row = (await this.o.catalog.getMedia(mediaId))!;
    const { message } = await enforceLimits(this.o.catalog, row, now);
    return { value: mediaId, lines: message ? [message] : [] };
  }

  /** The job is over: its volumes are free for others. */
  release(): void {
    this.o.reservations.release(this.o.jobId);
  }
}
