/**
 * What the daemon knows of spooling: each Device's spool settings (Spool Directory,
 * Maximum Spool Size, Maximum Job Spool Size) and, for each drive, what its spooling
 * jobs share: the bytes their spool files hold together (Maximum Spool Size is per
 * device). The turn they take to despool is the drive's write gate
 * (reservations/write-gate.ts), which holds back every other writer too.
 */
import { join } from 'node:path';
import type { DeviceResource } from '@burrow/common/config/index';

export interface SpoolSettings {
  /** Where spool files go: the Device's Spool Directory, else the Storage's Working Directory. */
  readonly directory: string;
  /** All jobs' spool on the device at most, bytes; 0: no limit but the disk. */
  readonly maximumSpoolSize: number;
  /** One job's spool at most, bytes, unless the job sets its own Spool Size; 0: none. */
  readonly maximumJobSpoolSize: number;
}

/** What `status storage` says of spooling since the daemon started (Bareos's "Data spooling:" line). */
export class SpoolTotals {
  /** Jobs spooling now. */
  active = 0;
  /** Jobs that spooled, since the start. */
  jobs = 0;
  /** The largest one job's spool has been, bytes. */
  maxJobBytes = 0;
}

/** One drive's spooling jobs' shared state. */
export class DriveSpools {
  constructor(readonly totals: SpoolTotals = new SpoolTotals()) {}

  /** Bytes in the spool files of the jobs writing through this drive. */
  spooled = 0;
}

export class SpoolDesk {
  private readonly drives = new Map<string, DriveSpools>();
  readonly totals = new SpoolTotals();

  /**
   * `devices`: each Device's settings by its name (lower case); a Count copy or a drive
   * of an Autochanger finds its Device's. `workingDirectory` holds attribute spools.
   */
  constructor(
    private readonly storageName: string,
    readonly workingDirectory: string,
    private readonly devices: ReadonlyMap<string, SpoolSettings>,
  ) {}

  /** The Spool Directories of the Devices that name one (the daemon makes them at start). */
  directories(): string[] {
    return [...new Set([...this.devices.values()].map((d) => d.directory).filter((d) => d !== this.workingDirectory))];
  }

  settings(deviceName: string): SpoolSettings {
    return this.devices.get(deviceName.toLowerCase()) ?? { directory: this.workingDirectory, maximumSpoolSize: 0, maximumJobSpoolSize: 0 };
  }

  drive(driveName: string): DriveSpools {
    let d = this.drives.get(driveName);
    if (d === undefined) this.drives.set(driveName, d = new DriveSpools(this.totals));
    return d;
  }

  /** Bytes in all spool files now. */
  spooledBytes(): number {
    let n = 0;
    for (const d of this.drives.values()) n += d.spooled;
    return n;
  }

  /** Bareos's names: `<dir>/<SD>.data.<JobId>.<Device>.spool`, and the attributes' in the Working Directory. */
  dataPath(directory: string, jobId: number, driveName: string): string {
    return join(directory, `${safe(this.storageName)}.data.${jobId}.${safe(driveName)}.spool`);
  }

  attributePath(jobId: number): string {
    return join(this.workingDirectory, `${safe(this.storageName)}.attr.${jobId}.spool`);
  }
}

/** The desk for the Devices of a configuration (relative Spool Directories resolved as other paths of it). */
export function spoolDesk(storageName: string, workingDirectory: string, devices: readonly DeviceResource[], resolvePath: (p: string) => string): SpoolDesk {
  return new SpoolDesk(storageName, workingDirectory, new Map(devices.map((d) => [d.name.toLowerCase(), {
    directory: d.spoolDirectory === undefined ? workingDirectory : resolvePath(d.spoolDirectory),
    maximumSpoolSize: d.maximumSpoolSize ?? 0,
    maximumJobSpoolSize: d.maximumJobSpoolSize ?? 0,
  }])));
}

/** A resource name as part of a file name: no path separators. */
function safe(name: string): string {
  return name.replace(/[/\\\0]/g, '_');
}
