/**
 * What `status storage` shows of the drives, as plain data (the SD renders it as text
 * for bconsole and sends it as JSON for `.api json` and scripts): every drive with its
 * state, mounted volume, the jobs holding it and the jobs waiting on it, the groups,
 * and the jobs waiting to reserve a drive with Bareos's reasons.
 */
import type { ReserveMode } from './reservable-drive.js';
import type { Reservations } from './reservations.js';

/**
 * idle: nobody holds it; reserved: held, no volume open yet; appending, reading: volume
 * handles open; waiting: a job waits on it for the operator; unmounted: the operator
 * took it out of use.
 */
export type DriveState = 'idle' | 'reserved' | 'appending' | 'reading' | 'waiting' | 'unmounted';

export interface DriveStatus {
  name: string;
  printName: string;
  /** The Device resource it comes from. */
  device: string;
  /** Its Drive Index in an autochanger (what `mount drive=` names), null for a drive without one. */
  driveIndex: number | null;
  mediaType: string;
  autoselect: boolean;
  state: DriveState;
  /** The mounted volume, and the pool its label names. */
  volume: { name: string; pool: string } | null;
  /** The pool the drive's writers write for (Bareos's dev->pool_name). */
  pool: string | null;
  reservedBy: Array<{ jobId: number; mode: ReserveMode }>;
  writers: number;
  readers: number;
  /** Jobs waiting on this drive for the operator (M3). */
  waits: Array<{ jobId: number; volume: string | null; pool: string; mediaType: string; since: number }>;
}

export interface DrivesStatus {
  groups: Array<{ name: string; drives: string[] }>;
  drives: DriveStatus[];
  /** Jobs waiting to reserve a drive, oldest first, with Bareos's reasons. */
  waitingToReserve: Array<{ jobId: number; storage: string; since: number; reasons: string[] }>;
}

export function drivesStatus(desk: Reservations): DrivesStatus {
  return {
    groups: desk.table.groupList().map((g) => ({ name: g.name, drives: g.drives.map((d) => d.name) })),
    drives: desk.table.drives.map((d): DriveStatus => {
      const { appending, reading } = d.drive.activity();
      const mounted = d.mounted();
      const waits = d.operatorWaits.map((w) => ({ jobId: w.jobId, volume: w.volumeName, pool: w.pool, mediaType: w.mediaType, since: w.since }));
      let state: DriveState = 'idle';
      if (d.blocked !== null) state = 'unmounted';
      else if (waits.length > 0) state = 'waiting';
      else if (reading > 0) state = 'reading';
      else if (appending > 0) state = 'appending';
      else if (d.holders.size > 0) state = 'reserved';
      return {
        name: d.name, printName: d.printName, device: d.config.deviceName, driveIndex: d.drive.driveIndex ?? null, mediaType: d.config.mediaType, autoselect: d.config.autoselect,
        state, volume: mounted ? { name: mounted.volumeName, pool: mounted.label.poolName } : null, pool: d.pool,
        reservedBy: [...d.holders].map(([jobId, mode]) => ({ jobId, mode })), writers: appending, readers: reading, waits,
      };
    }),
    waitingToReserve: desk.waiting().map((w) => ({ jobId: w.request.jobId, storage: w.request.storage, since: w.since, reasons: [...w.reasons] })),
  };
}
