/**
 * A drive as the reservations see it: the Drive itself (which only this layer touches),
 * what its Device resource says of it, and its bookkeeping in Bareos's terms — the jobs
 * holding it and for what (reserved for append or for read, never both), the pool of
 * the jobs appending through it (Bareos's dev->pool_name, kept after they end so the
 * next job of that pool prefers it), the volume they append to, and whether the
 * operator took it out of use with `unmount`.
 */
import type { Drive, MountedVolume } from '../devices/drive.js';
import { Waiters } from '@burrow/common/signals/waiters';
import { Turn } from './turn.js';
import { WriteGate } from './write-gate.js';

export type ReserveMode = 'append' | 'read';

/** What the Device resource says of one of its drives. */
export interface DriveConfig {
  /** The Device resource it comes from (a Count copy names its original). */
  readonly deviceName: string;
  readonly mediaType: string;
  /** No: used only when named itself, never when its group is named (Bareos's Autoselect). */
  readonly autoselect: boolean;
  /** Label Media: a job may label a new volume here by itself. */
  readonly labelMedia: boolean;
  /** Jobs appending through it at once; 0: no limit (Bareos's default). */
  readonly maximumConcurrentJobs: number;
}

/**
 * Why a drive is out of use, as Bareos's blocked states say it. `unmounted`: the
 * operator unmounted it; nothing is reserved on it until `mount`. `unmounted-waiting`:
 * unmounted while a job waited on it for a volume (M3: the job's wait goes on, and
 * the drive is not probed until `mount`).
 */
export type Blocked = 'unmounted' | 'unmounted-waiting' | null;

/**
 * What woke a job waiting for the operator: a `mount` on its drive, a `label` it may
 * use, or an `update slots` that found cartridges in its drive's changer.
 */
export type WakeCause = 'mount' | 'label' | 'slots';

/**
 * A job waiting on a drive for the operator (Bareos's BST_WAITING_FOR_SYSOP):
 * the volume it wants, or null for any appendable volume of its pool ("Cannot find any
 * appendable volumes"). `mount` wakes it.
 */
export interface OperatorWait {
  readonly jobId: number;
  readonly volumeName: string | null;
  readonly pool: string;
  readonly mediaType: string;
  readonly since: number;
  /** Resolves the wait: the operator mounted or labelled something worth another look. */
  readonly wake: (cause: WakeCause) => void;
}

export class ReservableDrive {
  /** The jobs holding this drive, and for what; all hold it the same way. */
  readonly holders = new Map<number, ReserveMode>();
  /** The pool of the jobs that append through it, kept after they end (Bareos's dev->pool_name). */
  pool: string | null = null;
  blocked: Blocked = null;
  /** Jobs waiting on this drive for the operator (`mount` and `label` wake them). */
  readonly operatorWaits: OperatorWait[] = [];
  /**
   * Its writers choose its volume one at a time: jobs that start together would
   * otherwise each be given a new volume before the first is mounted, and then write
   * one after the other instead of interleaving on one.
   */
  readonly volumeChoice = new Turn();
  /** Held by a job while it despools: the other jobs' blocks wait (write-gate.ts). */
  readonly writeGate = new WriteGate();
  private appending: { volumeName: string; users: number } | null = null;
  private readonly idleWaiters = new Waiters();

  constructor(readonly drive: Drive, readonly config: DriveConfig) {}

  get name(): string {
    return this.drive.name;
  }

  /** Bareos's print name: `"FileStorage0001" (/var/lib/burrow/storage)`. */
  get printName(): string {
    return this.drive.printName;
  }

  mounted(): MountedVolume | null {
    return this.drive.mounted();
  }

  mode(): ReserveMode | null {
    for (const m of this.holders.values()) return m;
    return null;
  }

  /** Held by a job, or with handles open (an operator's label in progress). */
  isBusy(): boolean {
    const a = this.drive.activity();
    return this.holders.size > 0 || a.appending > 0 || a.reading > 0;
  }

  /** Another append holder may join: below the device's Maximum Concurrent Jobs. */
  hasRoomForWriter(): boolean {
    const max = this.config.maximumConcurrentJobs;
    return max === 0 || this.holders.size < max;
  }

  /** The volume its append holders write or are about to (Bareos's volume reservation), if any. */
  appendVolume(): string | null {
    return this.appending?.volumeName ?? null;
  }

  /**
   * Claims `volumeName` for appending through this drive, synchronously, so no other
   * drive is handed it meanwhile. Refused (false) while its writers use another volume.
   */
  claimAppend(volumeName: string): boolean {
    if (this.appending && this.appending.volumeName !== volumeName) return false;
    this.appending ??= { volumeName, users: 0 };
    this.appending.users += 1;
    return true;
  }

  /** Gives back one claim; the last one frees the drive for another volume. */
  unclaimAppend(): void {
    if (!this.appending) return;
    this.appending.users -= 1;
    if (this.appending.users > 0) return;
    this.appending = null;
    this.idleWaiters.wakeAll();
  }

  /** Resolves once no writer claims a volume here (to mount another one), or rejects when `signal` aborts. */
  whenNoAppendClaims(signal?: AbortSignal): Promise<void> {
    if (!this.appending) return Promise.resolve();
    return this.idleWaiters.wait(signal);
  }
}
