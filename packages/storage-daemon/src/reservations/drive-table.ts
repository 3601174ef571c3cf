/**
 * The Storage daemon's drives and the names that reach them, made once from the
 * configuration as Bareos makes them:
 *
 * - a Device is one drive of its own name;
 * - `Count = N` (N > 1) makes N + 1 drives `<Name>0000` to `<Name>N`, `<Name>0000` with
 *   Autoselect = no (kept for the operator's label and for jobs that name it), and a
 *   group named `<Name>` of them all (Bareos's implicit autochanger);
 * - an Autochanger without a changer command is a group of its devices' drives (a
 *   Count device in it contributes its copies).
 *
 * A job names devices or groups; a group gives it its Autoselect drives. The operator
 * names a drive, or a group and a drive number: the drive's Drive Index in an
 * autochanger (Bareos's drive=), else its position in the group.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Drive } from '../devices/drive.js';
import { ReservableDrive, type DriveConfig } from './reservable-drive.js';

export interface DeviceSpec extends Omit<DriveConfig, 'deviceName'> {
  readonly name: string;
  /** Bareos's Count: more than 1 makes that many drives (and one more, numbered 0000). */
  readonly count: number;
  /** Makes one drive of this device by name (the SD: a file drive over its Archive Device). */
  readonly makeDrive: (driveName: string) => Drive;
}

export interface GroupSpec {
  readonly name: string;
  /** Device resource names, in order. */
  readonly devices: readonly string[];
}

/** A Count copy's name: the device's name and a 4-digit serial number, as Bareos numbers them. */
export function countedName(deviceName: string, serial: number): string {
  return `${deviceName}${String(serial).padStart(4, '0')}`;
}

export class DriveTable {
  private readonly groups = new Map<string, { name: string; drives: ReservableDrive[] }>();
  private readonly byName = new Map<string, ReservableDrive>();

  private constructor(readonly drives: readonly ReservableDrive[]) {
    for (const d of drives) this.byName.set(d.name.toLowerCase(), d);
  }

  static build(devices: readonly DeviceSpec[], groups: readonly GroupSpec[] = []): DriveTable {
    const drivesOf = new Map<string, ReservableDrive[]>();
    const all: ReservableDrive[] = [];
    for (const spec of devices) {
      const made = makeDrives(spec);
      drivesOf.set(spec.name.toLowerCase(), made);
      all.push(...made);
    }
    const table = new DriveTable(all);
    if (table.byName.size !== all.length) {
      throw new BurrowError('CONFIG_INVALID', `two drives share a name: ${all.map((d) => d.name).join(', ')} (a Count copy may not be named like another Device)`);
    }
    const grouped = new Set<string>();
    for (const g of groups) {
      table.addGroup(g.name, g.devices.flatMap((n) => drivesOf.get(n.toLowerCase()) ?? []));
      for (const n of g.devices) grouped.add(n.toLowerCase());
    }
    for (const spec of devices) {
      const key = spec.name.toLowerCase();
      if (spec.count > 1 && !grouped.has(key) && !table.groups.has(key)) table.addGroup(spec.name, drivesOf.get(key) ?? []);
    }
    return table;
  }

  private addGroup(name: string, drives: ReservableDrive[]): void {
    this.groups.set(name.toLowerCase(), { name, drives });
  }

  /**
   * The drives a job naming `name` may get: a group's Autoselect drives, or the drive of
   * that name (chosen even with Autoselect = no, as it was named itself). Groups first,
   * as Bareos searches its autochangers before its devices.
   */
  candidates(name: string): ReservableDrive[] {
    const group = this.groups.get(name.toLowerCase());
    if (group) return group.drives.filter((d) => d.config.autoselect);
    const drive = this.byName.get(name.toLowerCase());
    return drive ? [drive] : [];
  }

  /** The drive the operator means: `name` itself, or drive number `drive` of the group `name`. */
  locate(name: string, drive: number): ReservableDrive {
    const group = this.groups.get(name.toLowerCase());
    if (group) {
      const indexed = group.drives.some((d) => d.drive.driveIndex !== undefined);
      const d = indexed ? group.drives.find((x) => x.drive.driveIndex === drive) : group.drives[drive];
      if (!d) throw new BurrowError('NOT_FOUND', `Drive number "${drive}" for device "${name}" not found.`);
      return d;
    }
    const d = this.byName.get(name.toLowerCase());
    if (!d) throw new BurrowError('NOT_FOUND', `Device "${name}" not found or could not be opened.`);
    return d;
  }

  /** The groups and their drives, in configuration order (status lists them). */
  groupList(): ReadonlyArray<{ name: string; drives: readonly ReservableDrive[] }> {
    return [...this.groups.values()];
  }
}

function makeDrives(spec: DeviceSpec): ReservableDrive[] {
  const config = (autoselect: boolean): DriveConfig => ({
    deviceName: spec.name, mediaType: spec.mediaType, autoselect, labelMedia: spec.labelMedia,
    maximumConcurrentJobs: spec.maximumConcurrentJobs,
  });
  if (spec.count <= 1) return [new ReservableDrive(spec.makeDrive(spec.name), config(spec.autoselect))];
  const drives: ReservableDrive[] = [];
  for (let serial = 0; serial <= spec.count; serial++) {
    drives.push(new ReservableDrive(spec.makeDrive(countedName(spec.name, serial)), config(serial > 0 && spec.autoselect)));
  }
  return drives;
}
