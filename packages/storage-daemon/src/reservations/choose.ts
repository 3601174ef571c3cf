/**
 * Which drive a job gets, as Bareos's reserve.cc decides it (with Prefer Mounted
 * Volumes, Bareos's default), from the drives' states at this moment:
 *
 * - a writer first joins a drive already appending for its pool, below the device's
 *   Maximum Concurrent Jobs (concurrent jobs of one pool share the volume there);
 *   else it takes an idle drive: one whose mounted volume was last written for its
 *   pool, then an empty one, then any;
 * - a reader takes an idle drive only (a drive being read is never shared, and one
 *   being written is never handed to a reader), preferring one that has its first
 *   volume mounted; a file volume being written on one drive can be read on another;
 * - a drive the operator unmounted is never chosen.
 *
 * When nothing can be had now, the reasons are Bareos's reservation messages (its
 * numbers and words, which `status storage` shows under "Jobs waiting to reserve a
 * drive"); when nothing could ever do, the answer is Bareos's 3924.
 */
import type { ReservableDrive, ReserveMode } from './reservable-drive.js';

export interface ReserveRequest {
  readonly jobId: number;
  readonly mode: ReserveMode;
  /** The Director's Storage resource the job uses (for messages). */
  readonly storage: string;
  readonly mediaType: string;
  /** The job's pool (a writer shares drives only with its pool; '' for a reader without one). */
  readonly pool: string;
  /** Device, Count device or Autochanger names the Director's Storage gives, in its order. */
  readonly devices: readonly string[];
  /** A reader's first volume: a drive that has it mounted is preferred. */
  readonly firstVolume?: string;
}

export type Choice =
  | { kind: 'drive'; drive: ReservableDrive }
  /** Suitable drives exist but none is free now: wait, and show why. */
  | { kind: 'wait'; reasons: string[] }
  /** No drive of this name and Media Type exists: waiting would not help. */
  | { kind: 'none'; reason: string };

export function chooseDrive(req: ReserveRequest, candidates: readonly ReservableDrive[]): Choice {
  const suitable = candidates.filter((d) => d.config.mediaType === req.mediaType);
  if (suitable.length === 0) {
    return { kind: 'none', reason: `3924 Device "${req.devices.join(', ')}" not in SD Device resources or no matching Media Type.` };
  }
  const chosen = req.mode === 'append' ? forAppend(req, suitable) : forRead(req, suitable);
  if (chosen) return { kind: 'drive', drive: chosen };
  return { kind: 'wait', reasons: suitable.map((d) => whyNot(req, d)) };
}

function forAppend(req: ReserveRequest, drives: readonly ReservableDrive[]): ReservableDrive | undefined {
  const shared = drives.find((d) => d.blocked === null && d.mode() === 'append' && d.pool === req.pool && d.hasRoomForWriter());
  if (shared) return shared;
  return idleByPreference(drives, (d) => {
    if (d.mounted() === null) return 1;
    return d.pool === req.pool ? 0 : 2;
  });
}

function forRead(req: ReserveRequest, drives: readonly ReservableDrive[]): ReservableDrive | undefined {
  return idleByPreference(drives, (d) => {
    const mounted = d.mounted();
    if (mounted === null) return 1;
    return mounted.volumeName === req.firstVolume ? 0 : 2;
  });
}

/** The idle drive of lowest rank (the first of equals, in the Director's order). */
function idleByPreference(drives: readonly ReservableDrive[], rank: (d: ReservableDrive) => number): ReservableDrive | undefined {
  let best: { drive: ReservableDrive; rank: number } | undefined;
  for (const drive of drives) {
    if (drive.blocked !== null || drive.isBusy()) continue;
    const r = rank(drive);
    if (!best || r < best.rank) best = { drive, rank: r };
  }
  return best?.drive;
}

/** Bareos's message for why `drive` cannot be reserved for `req` now. */
function whyNot(req: ReserveRequest, d: ReservableDrive): string {
  const { jobId } = req;
  const dev = d.printName;
  if (req.mode === 'read') {
    if (d.blocked !== null) return `3601 JobId=${jobId} device ${dev} is BLOCKED due to user unmount.`;
    return `3602 JobId=${jobId} device ${dev} is busy (already reading/writing).`;
  }
  if (d.blocked !== null) return `3604 JobId=${jobId} device ${dev} is BLOCKED due to user unmount.`;
  if (d.mode() === 'read') return `3603 JobId=${jobId} device ${dev} is busy reading.`;
  if (!d.hasRoomForWriter()) return `3609 JobId=${jobId} Max concurrent jobs exceeded on drive ${dev}.`;
  return `3608 JobId=${jobId} wants Pool="${req.pool}" but have Pool="${d.pool ?? ''}" nreserve=${d.holders.size} on drive ${dev}.`;
}
