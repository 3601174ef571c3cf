/**
 * What a job session holds instead of a drive: a reservation for appending (a backup)
 * or for reading (a restore, a volume verify). It mounts the volumes the job needs on
 * its drive and hands out volume handles; the session never sees the drive, so two
 * sessions cannot disturb each other's volumes, and the reservations always know who
 * uses what. Releasing gives the drive back for the next job; the drive keeps its
 * volume mounted, as Bareos keeps it, so the next job of the pool finds it there.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { afterClose, type AppendOptions, type AppendVolume, type ReadVolume } from '../devices/drive.js';
import type { VolumeLabelInfo } from '../volume/labels.js';
import type { ReservableDrive, WakeCause } from './reservable-drive.js';
import { behindGate } from './write-gate.js';

/** What a reservation needs of the desk that made it (reservations.ts). */
export interface ReservationDesk {
  release(drive: ReservableDrive, jobId: number): void;
  volumesAppendedElsewhere(except: ReservableDrive): string[];
  appendingDrive(volumeName: string): ReservableDrive | undefined;
  /** The desk's clock (injectable, so waits can be tested without waiting). */
  now(): number;
}

/** Who holds a reservation: the job, and the pool and Media Type its operator waits name. */
export interface Holder {
  jobId: number;
  /** The job's pool ('' for a read session). */
  pool: string;
  mediaType: string;
}

/** How long a job waits for the operator before asking the Director again, when it does not say (Bareos's Volume Poll Interval). */
const DEFAULT_POLL_SECONDS = 300;

abstract class Held {
  private released = false;
  readonly jobId: number;

  constructor(protected readonly desk: ReservationDesk, protected readonly held: ReservableDrive, protected readonly req: Holder) {
    this.jobId = req.jobId;
  }

  /** The reserved drive's name (the Director logs `Using Device "..." to write.`). */
  get driveName(): string {
    return this.held.name;
  }

  get printName(): string {
    return this.held.printName;
  }

  /** The Device resource of the reserved drive (a Count copy's original): its spool settings. */
  get deviceName(): string {
    return this.held.config.deviceName;
  }

  /** The changer's slot of the cartridge in the drive (its home slot), 0 for a drive without a changer or none known. */
  cartridgeSlot(): number {
    return this.held.drive.loadedSlot?.() ?? 0;
  }

  /** The drive's index in its autochanger plus 1; 0 for a drive without a changer. */
  changerDrive(): number {
    return this.held.drive.loadedSlot === undefined || this.held.drive.driveIndex === undefined ? 0 : this.held.drive.driveIndex + 1;
  }

  /** Gives the drive back; once is enough, twice does nothing. Close the volume handles first. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.desk.release(this.held, this.jobId);
  }

  /**
   * Waits on the drive for the operator, when the Director has no volume for this job
   * (or a read session's volume cannot be had).
   * The wait is registered on the drive, so `status storage` shows it (volume or pool,
   * Media Type, since when); `mount` on this drive or a `label` of its Media Type ends
   * it, resolving with which, and `signal` (a cancel, the poll interval) rejects it.
   */
  waitForOperator(volumeName: string | null, signal?: AbortSignal): Promise<WakeCause> {
    this.checkHeld();
    const waits = this.held.operatorWaits;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = waits.indexOf(wait);
        if (i >= 0) waits.splice(i, 1);
        reject(signal?.reason);
      };
      const wait = {
        jobId: this.jobId, volumeName, pool: this.req.pool, mediaType: this.req.mediaType, since: this.desk.now(),
        wake: (cause: WakeCause) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(cause);
        },
      };
      if (signal?.aborted) return reject(signal.reason);
      waits.push(wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * The Director has no volume for the job now: wait on the drive, where `status
   * storage` shows the wait, until the operator mounts or labels there, update slots
   * finds cartridges in its changer, or `pollSeconds` pass (Bareos's Volume Poll
   * Interval; then the job asks again, since a volume may have appeared in the
   * catalog). A cancel (`signal`) ends it.
   */
  async waitForOperatorOrPoll(volumeName: string | null, pollSeconds: number, signal: AbortSignal): Promise<'poll' | WakeCause> {
    const poll = new AbortController();
    const timer = setTimeout(() => poll.abort(), Math.max(1, pollSeconds || DEFAULT_POLL_SECONDS) * 1000);
    try {
      return await this.waitForOperator(volumeName, AbortSignal.any([signal, poll.signal]));
    } catch (err) {
      if (poll.signal.aborted && !signal.aborted) return 'poll';
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  protected checkHeld(): void {
    if (this.released) throw new BurrowError('INTERNAL', `JobId ${this.jobId} used Device ${this.printName} after releasing it`);
  }
}

export class AppendReservation extends Held {
  /** Label Media of the drive's Device: the job may label a new volume by itself. */
  get labelMedia(): boolean {
    return this.held.config.labelMedia;
  }

  /** The largest block the drive writes (a tape's Maximum Block Size), if it has a limit. */
  get maximumBlockSize(): number | undefined {
    return this.held.drive.maximumBlockSize;
  }

  /**
   * The volume the drive has: the one its writers use, else the one mounted. The
   * Director gives it to the job when it is appendable in the job's pool (Bareos asks
   * the same of a mounted volume before it looks for another).
   */
  mountedVolume(): string | null {
    return this.held.appendVolume() ?? this.held.mounted()?.volumeName ?? null;
  }

  /**
   * Runs `choose` (ask the Director for a volume, mount it) when no other writer of the
   * drive is choosing: the next then finds the volume mounted and the Director gives
   * it to that job too, so jobs starting together share it.
   */
  chooseVolume<T>(choose: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.checkHeld();
    return this.held.volumeChoice.run(choose, signal);
  }

  /**
   * Waits for the drive's despool turn and holds it: until the release, the blocks of
   * every other job writing through the drive wait (write-gate.ts), so what this job
   * despools meanwhile lands on the volume in one run. Rejects if `signal` aborts first.
   */
  holdForDespool(signal?: AbortSignal): Promise<() => void> {
    this.checkHeld();
    return this.held.writeGate.hold(this.jobId, signal);
  }

  /** Volumes other drives append to: the Director must not give them to this job (Bareos's unwanted volumes). */
  unwantedVolumes(): string[] {
    return this.desk.volumesAppendedElsewhere(this.held);
  }

  /** Whether another drive appends to `volumeName` now (then this job must ask for another). */
  inUseElsewhere(volumeName: string): boolean {
    const d = this.desk.appendingDrive(volumeName);
    return d !== undefined && d !== this.held;
  }

  /**
   * Mounts `volumeName` and opens it at its end of data, labelling it first when
   * `label` is given (a new volume the pool's Label Format named; the device has Label
   * Media), or, with `recycle`, writing a fresh label over its own (all data lost). The volume is claimed for this drive at once, before anything is awaited,
   * so no other drive is given it, even while it is being labelled. While other jobs on
   * this drive write another volume, this waits until they are done with it. DEVICE
   * when another drive appends to it (check inUseElsewhere first).
   */
  async openAppend(volumeName: string, options: AppendOptions & { label?: VolumeLabelInfo; recycle?: boolean } = {}): Promise<AppendVolume> {
    this.checkHeld();
    for (;;) {
      const other = this.desk.appendingDrive(volumeName);
      if (other && other !== this.held) {
        throw new BurrowError('DEVICE', `Volume "${volumeName}" is in use on device ${other.printName}`);
      }
      if (this.held.claimAppend(volumeName)) break;
      // A despooling job waiting here for the others to leave their volume lets them write until they do.
      await this.held.writeGate.whileWaitingOnOthers(this.jobId, () => this.held.whenNoAppendClaims(options.signal));
    }
    try {
      if (options.label && options.recycle) {
        // Recycling writes over our own label of this very name only: mounting reads it first.
        await this.held.drive.mount(volumeName, options.signal);
        await this.held.drive.label(volumeName, options.label, { relabel: true, signal: options.signal });
      } else if (options.label) {
        await this.held.drive.label(volumeName, options.label, { signal: options.signal });
      }
      await this.held.drive.mount(volumeName, options.signal);
      const handle = behindGate(await this.held.drive.openAppend(options), this.held.writeGate, this.jobId, options.signal);
      return afterClose(handle, () => this.held.unclaimAppend());
    } catch (err) {
      this.held.unclaimAppend();
      throw err;
    }
  }
}

export class ReadReservation extends Held {
  /**
   * Mounts `volumeName` on the drive and opens it for reading; one volume at a time,
   * each closed before the next is opened. A volume another drive writes is read beside
   * the writer when the drives allow it (files); otherwise DEVICE.
   */
  async openRead(volumeName: string, signal?: AbortSignal): Promise<ReadVolume> {
    this.checkHeld();
    const drive = this.held.drive;
    const writer = this.desk.appendingDrive(volumeName);
    if (writer && writer !== this.held && !drive.capabilities.sharedReads) {
      throw new BurrowError('DEVICE', `Volume "${volumeName}" is in use on device ${writer.printName}`);
    }
    await drive.mount(volumeName, signal);
    return drive.openRead(signal);
  }
}
