/**
 * A job's session on a Storage daemon's drive, told as it goes (jobs/events.ts `drive`,
 * the HTTP API's live events): reserved once the SD has opened the session on the drive
 * it took, each volume the SD reports mounted there, and freed when the session's
 * connection ends. The SD closes that connection once it has let the drive go; a job
 * that stops first (a cancel, a failure) closes it itself, a moment before the SD lets go.
 */
import type { Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';
import type { DriveChange } from './events.js';
import type { JobContext } from './lifecycle.js';

export interface DriveSession {
  /** The SD mounted a volume on the job's drive (sdVolumeMounted). */
  mounted(m: Pick<burrow.SdVolumeMounted, 'volumeName' | 'labelled' | 'changerDrive'>): void;
}

export function reportDriveSession(
  ctx: Pick<JobContext, 'drive'>,
  o: { storage: string; device: string; sd: Channel; mode: 'append' | 'read'; pool?: string },
): DriveSession {
  const tell = ctx.drive ?? ((): void => undefined);
  const session: Omit<DriveChange, 'change' | 'jobId'> = { storage: o.storage, device: o.device, mode: o.mode, ...(o.pool === undefined ? {} : { pool: o.pool }) };
  tell({ ...session, change: 'reserved' });
  o.sd.onClosed(() => tell({ ...session, change: 'freed' }));
  return {
    mounted: (m) => tell({
      ...session, change: 'mounted', volume: m.volumeName,
      // A changer's drive says which it is (its Drive Index plus 1), as `status storage=` numbers it.
      ...(m.changerDrive > 0 ? { drive: m.changerDrive - 1 } : {}), ...(m.labelled ? { labelled: true } : {}),
    }),
  };
}
