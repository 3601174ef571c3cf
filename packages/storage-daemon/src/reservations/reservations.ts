/**
 * The reservation desk of the Storage daemon: a job session asks for a drive (its
 * Storage, Media Type, pool and candidate devices, as the Director sends them) and gets
 * a reservation, the only way a session reaches a drive. When every suitable drive is
 * busy the job waits, first come first served, and `status storage` shows why (Bareos's
 * "Jobs waiting to reserve a drive"); it goes on as soon as a drive is given back or the
 * operator mounts one, and stops waiting when its signal aborts (a cancel, the Director
 * gone). JavaScript runs one thing at a time, so choosing a drive and taking it happen
 * together, with no lock.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { chooseDrive, type ReserveRequest } from './choose.js';
import type { DriveTable } from './drive-table.js';
import { AppendReservation, ReadReservation, type ReservationDesk } from './reservation.js';
import type { ReservableDrive } from './reservable-drive.js';

/** A job waiting for a drive, as status shows it. */
export interface ReserveWait {
  readonly request: ReserveRequest;
  readonly since: number;
  /** Bareos's messages: why each suitable drive could not be had at the last try. */
  reasons: readonly string[];
}

interface Waiter extends ReserveWait {
  reasons: string[];
  grant: (drive: ReservableDrive) => void;
}

export interface ReserveOptions {
  signal?: AbortSignal;
  /** Called once if the job has to wait (the session tells the job log, as Bareos does). */
  onWait?: (wait: ReserveWait) => void;
}

export class Reservations implements ReservationDesk {
  private readonly waiters: Waiter[] = [];

  constructor(readonly table: DriveTable, private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  reserveAppend(req: Omit<ReserveRequest, 'mode'>, options: ReserveOptions = {}): Promise<AppendReservation> {
    return this.reserve({ ...req, mode: 'append' }, options).then((drive) => new AppendReservation(this, drive, req));
  }

  reserveRead(req: Omit<ReserveRequest, 'mode'>, options: ReserveOptions = {}): Promise<ReadReservation> {
    return this.reserve({ ...req, mode: 'read' }, options).then((drive) => new ReadReservation(this, drive, req));
  }

  /**
   * Why `req` would have to wait for a drive now (Bareos's reservation messages), or
   * null when one can be had at once or none ever could (reserving says which).
   */
  wouldWait(req: ReserveRequest): string[] | null {
    const choice = chooseDrive(req, this.candidates(req));
    return choice.kind === 'wait' ? choice.reasons : null;
  }

  /** The jobs waiting for a drive, oldest first. */
  waiting(): readonly ReserveWait[] {
    return this.waiters;
  }

  /** Volumes claimed for appending on drives other than `except` (Bareos's "unwanted" volumes). */
  volumesAppendedElsewhere(except: ReservableDrive): string[] {
    const names: string[] = [];
    for (const d of this.table.drives) {
      const v = d.appendVolume();
      if (d !== except && v !== null) names.push(v);
    }
    return names;
  }

  /** The drive appending `volumeName` now, if any. */
  appendingDrive(volumeName: string): ReservableDrive | undefined {
    return this.table.drives.find((d) => d.appendVolume() === volumeName);
  }

  /** Gives a job's hold on a drive back and lets the waiting jobs try again. */
  release(drive: ReservableDrive, jobId: number): void {
    if (drive.holders.delete(jobId)) this.retryWaiters();
  }

  /** Something changed that may free a drive for a waiting job (a release, an operator's mount). */
  retryWaiters(): void {
    for (const w of [...this.waiters]) {
      const choice = chooseDrive(w.request, this.candidates(w.request));
      if (choice.kind === 'drive') {
        this.take(choice.drive, w.request);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.grant(choice.drive);
      } else if (choice.kind === 'wait') {
        w.reasons = choice.reasons;
      }
    }
  }

  private reserve(req: ReserveRequest, { signal, onWait }: ReserveOptions): Promise<ReservableDrive> {
    signal?.throwIfAborted();
    if (this.holdsAny(req.jobId)) throw new BurrowError('BAD_REQUEST', `JobId ${req.jobId} already holds a drive`);
    const choice = chooseDrive(req, this.candidates(req));
    if (choice.kind === 'none') return Promise.reject(new BurrowError('DEVICE', choice.reason));
    if (choice.kind === 'drive') {
      this.take(choice.drive, req);
      return Promise.resolve(choice.drive);
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason ?? new BurrowError('JOB_CANCELED', `JobId ${req.jobId} stopped waiting for a drive`));
      };
      const waiter: Waiter = {
        request: req, since: this.clock(), reasons: choice.reasons,
        grant: (drive) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(drive);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      onWait?.(waiter);
    });
  }

  private candidates(req: ReserveRequest): ReservableDrive[] {
    const seen = new Set<ReservableDrive>();
    for (const name of req.devices) for (const d of this.table.candidates(name)) seen.add(d);
    return [...seen];
  }

  private take(drive: ReservableDrive, req: ReserveRequest): void {
    drive.holders.set(req.jobId, req.mode);
    if (req.mode === 'append') drive.pool = req.pool;
  }

  private holdsAny(jobId: number): boolean {
    return this.table.drives.some((d) => d.holders.has(jobId));
  }
}
