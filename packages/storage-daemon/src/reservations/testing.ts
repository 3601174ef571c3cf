/** Test helpers for the reservations: drive tables of memory drives sharing one archive. */
import { memoryArchive, memoryDrive } from '../devices/random-access-drive.js';
import { DriveTable, type DeviceSpec, type GroupSpec } from './drive-table.js';
import { Reservations } from './reservations.js';

export type TestDevice = Partial<Omit<DeviceSpec, 'makeDrive'>> & { name: string };

/** Devices of Media Type File over one memory archive; `count`, `maximumConcurrentJobs` and the rest as given. */
export function memoryTable(devices: readonly TestDevice[], groups: readonly GroupSpec[] = []): DriveTable {
  const archive = memoryArchive();
  return DriveTable.build(devices.map((d) => ({
    count: 1, autoselect: true, mediaType: 'File', labelMedia: true, maximumConcurrentJobs: 0,
    makeDrive: (name: string) => memoryDrive({ name, archive }),
    ...d,
  })), groups);
}

/** Reservations over memory drives, with a clock the test moves. */
export function memoryDesk(devices: readonly TestDevice[], groups: readonly GroupSpec[] = []): { desk: Reservations; clock: { now: number } } {
  const clock = { now: Date.UTC(2026, 0, 1) };
  return { desk: new Reservations(memoryTable(devices, groups), () => clock.now), clock };
}

/** A writer's request for JobId `jobId` in `pool` on the devices named. */
export function writer(jobId: number, pool: string, devices: readonly string[] = ['FileStorage']) {
  return { jobId, storage: 'File', mediaType: 'File', pool, devices };
}

/** A reader's request for JobId `jobId` on the devices named. */
export function reader(jobId: number, devices: readonly string[] = ['FileStorage'], firstVolume?: string) {
  return { jobId, storage: 'File', mediaType: 'File', pool: '', devices, firstVolume };
}
