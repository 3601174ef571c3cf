/**
 * What the Storage daemon checks about its Device resources before it serves, for
 * `-t` and a start alike (common/daemon/preflight.ts): which devices it can drive,
 * that each Archive Device is a directory it can create and write, and which
 * directives mean nothing on a disk drive.
 *
 * Bareos's Random Access, Removable Media, Always Open and Automatic Mount describe
 * how to handle a drive whose medium is changed by hand or by a robot (a tape). On a
 * File device a volume is a file: it is always random access, never removed, opened
 * when a job needs it and mounted then (no `mount` is ever needed). A value that says
 * just that is accepted silently; one that asks for tape behaviour is a warning,
 * because Burrow cannot do it on a disk and ignoring it loses nothing.
 */
import { problemAt } from '@burrow/common/config/schema/daemon';
import type { Problems } from '@burrow/common/config/schema/problems';
import { findResource, type AutochangerResource, type DeviceResource } from '@burrow/common/config/index';
import { checkDirectory } from '@burrow/common/daemon/preflight';

/** A device the SD will drive: the resource and its resolved Archive Device directory. */
export interface DrivableDevice {
  readonly resource: DeviceResource;
  readonly archiveDevice: string;
}

const NOT_ON_DISK = 'has no effect on a File device';

/** Directives with a tape meaning, how a disk drive behaves, and what a disk does instead. */
const DISK_BEHAVIOUR: ReadonlyArray<{ prop: string; value: (d: DeviceResource) => boolean | undefined; disk: boolean; why: string }> = [
  { prop: 'randomAccess', value: (d) => d.randomAccess, disk: true, why: 'a disk volume is always read and written at any position' },
  { prop: 'removableMedia', value: (d) => d.removableMedia, disk: false, why: 'a disk volume is a file in the Archive Device directory and is never removed' },
  { prop: 'alwaysOpen', value: (d) => d.alwaysOpen, disk: false, why: 'a disk volume is opened when a job needs it and closed after' },
  { prop: 'automaticMount', value: (d) => d.automaticMount, disk: true, why: 'a disk volume is mounted when a job needs it; no mount command is needed' },
];

/** Checks every Device; returns those the daemon can drive (all of them when there is no error). */
export function checkDevices(problems: Problems, devices: readonly DeviceResource[], resolvePath: (p: string) => string): DrivableDevice[] {
  const drivable: DrivableDevice[] = [];
  for (const d of devices) {
    if (d.deviceType !== 'File') {
      // Ignoring it would leave jobs that name this device with nowhere to write.
      problems.error(problemAt(d, 'deviceType', `${d.deviceType} devices are not available yet in Burrow: only File devices (volumes as files in a directory) can be driven`));
      continue;
    }
    for (const b of DISK_BEHAVIOUR) {
      const value = b.value(d);
      if (value !== undefined && value !== b.disk) problems.warn(problemAt(d, b.prop, `= ${value ? 'yes' : 'no'} ${NOT_ON_DISK}: ${b.why} (it matters for tape drives, which are not available yet)`));
    }
    const archiveDevice = resolvePath(d.archiveDevice);
    checkDirectory(problems, d, 'archiveDevice', archiveDevice);
    drivable.push({ resource: d, archiveDevice });
  }
  return drivable;
}

/** An Autochanger that only groups drives: its name stands for its devices' drives. */
export interface DriveGroupSpec {
  readonly name: string;
  /** The Device resources it groups, as the configuration names them. */
  readonly devices: readonly string[];
}

/**
 * Changers come with tape support (issue 13). An Autochanger with no changer command
 * that groups File devices (as Bareos's stock `autochanger/FileStorage.conf` and
 * `filechanger.conf`) is a group of drives: a job naming it may get any of them, as in
 * Bareos. One with a changer command is an error, since Burrow cannot run the changer
 * it describes.
 */
export function checkAutochangers(problems: Problems, changers: readonly AutochangerResource[], devices: readonly DeviceResource[]): DriveGroupSpec[] {
  const groups: DriveGroupSpec[] = [];
  for (const c of changers) {
    if (c.changerCommand?.trim()) {
      problems.error(problemAt(c, 'changerCommand', `autochangers are not available yet in Burrow, so "${c.changerCommand}" cannot be run${c.changerDevice ? ` on ${c.changerDevice}` : ''}`));
      continue;
    }
    const members = c.device.map((n) => findResource(devices, n)).filter((d): d is DeviceResource => d !== undefined);
    if (members.length === 0 || members.some((d) => d.deviceType !== 'File')) continue;  // the Device errors say why
    groups.push({ name: c.name, devices: members.map((d) => d.name) });
  }
  return groups;
}
