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
 * because Burrow cannot do it on a disk and ignoring it loses nothing; so are the tape
 * directives (block sizes, Maximum File Size, Two EOF...) on a File device.
 *
 * A tape device is one drive: a Tape's Archive Device is the st device (/dev/nst0); a
 * VTape's (a virtual tape, docs/vtape-format.md) the path of the cartridge in it (a
 * file, or a link a changer points at one), in a directory the daemon can write.
 */
import { dirname } from 'node:path';
import { problemAt } from '@burrow/common/config/schema/daemon';
import type { Problems } from '@burrow/common/config/schema/problems';
import { findResource } from '@burrow/common/config/schema/daemon';
import type { AutochangerResource, DeviceResource } from '@burrow/common/config/daemons/storage';
import { checkDirectory, statIfAny } from '@burrow/common/daemon/preflight';

/** A device the SD will drive: the resource and its resolved Archive Device (a directory; a VTape's cartridge path). */
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

/** Tape directives: what each does on a tape, and so why a File device ignores it. */
const TAPE_ONLY: ReadonlyArray<{ prop: keyof DeviceResource; why: string }> = [
  { prop: 'maximumBlockSize', why: 'is not applied yet: Burrow writes blocks of its own size (docs/volume-format.md)' },
  { prop: 'minimumBlockSize', why: `${NOT_ON_DISK}: it pads tape blocks` },
  { prop: 'maximumFileSize', why: `${NOT_ON_DISK}: it writes a filemark on tape every so many bytes` },
  { prop: 'hardwareEndOfMedium', why: `${NOT_ON_DISK}: it says how a tape drive finds the end of data` },
  { prop: 'fastForwardSpaceFile', why: `${NOT_ON_DISK}: it says how a tape drive skips files` },
  { prop: 'bsfAtEom', why: `${NOT_ON_DISK}: it says how a tape drive stops at the end of data` },
  { prop: 'twoEof', why: `${NOT_ON_DISK}: it ends the data on tape with two filemarks` },
  { prop: 'offlineOnUnmount', why: `${NOT_ON_DISK}: it ejects a tape` },
  { prop: 'volumeCapacity', why: `${NOT_ON_DISK}: it gives a blank virtual-tape cartridge its capacity` },
];

/** Checks every Device; returns those the daemon can drive (all of them when there is no error). */
export function checkDevices(problems: Problems, devices: readonly DeviceResource[], resolvePath: (p: string) => string): DrivableDevice[] {
  const drivable: DrivableDevice[] = [];
  for (const d of devices) {
    const archiveDevice = resolvePath(d.archiveDevice);
    if (d.deviceType === 'VTape' || d.deviceType === 'Tape') {
      if (checkTape(problems, d, archiveDevice)) drivable.push({ resource: d, archiveDevice });
      continue;
    }
    if (d.deviceType !== 'File') {
      // Ignoring it would leave jobs that name this device with nowhere to write.
      problems.error(problemAt(d, 'deviceType', `${d.deviceType} devices are not available yet in Burrow: only File devices (volumes as files in a directory), Tape and VTape devices can be driven`));
      continue;
    }
    for (const b of DISK_BEHAVIOUR) {
      const value = b.value(d);
      if (value !== undefined && value !== b.disk) problems.warn(problemAt(d, b.prop, `= ${value ? 'yes' : 'no'} ${NOT_ON_DISK}: ${b.why} (it matters for tape drives)`));
    }
    for (const t of TAPE_ONLY) if (d[t.prop] !== undefined) problems.warn(problemAt(d, t.prop, t.why));
    checkDirectory(problems, d, 'archiveDevice', archiveDevice);
    drivable.push({ resource: d, archiveDevice });
  }
  return drivable;
}

/**
 * A tape Device is one drive. A VTape's Archive Device is the cartridge file in it, in a
 * directory the daemon can write; a Tape's is the st device (/dev/nst0), which may be
 * absent until the drive is attached but must be a character device when it is there.
 */
function checkTape(problems: Problems, d: DeviceResource, archiveDevice: string): boolean {
  const before = problems.errors.length;
  const type = d.deviceType;
  if (d.count > 1) problems.error(problemAt(d, 'count', `= ${d.count}: a ${type} device is one drive with its own Archive Device; write one Device per drive`));
  if (d.randomAccess === true) problems.warn(problemAt(d, 'randomAccess', `= yes has no effect on a ${type} device: a tape is read and written in order`));
  const { minimumBlockSize: min = 0, maximumBlockSize: max = 0 } = d;
  if (max > 0 && min > max) problems.error(problemAt(d, 'minimumBlockSize', `${min} is above Maximum Block Size ${max}`));
  const st = statIfAny(archiveDevice);
  if (type === 'Tape') {
    if (st && !st.isCharacterDevice()) problems.error(problemAt(d, 'archiveDevice', `${archiveDevice} is not a character device: a Tape device's Archive Device is a tape drive such as /dev/nst0`));
    if (d.volumeCapacity !== undefined) problems.warn(problemAt(d, 'volumeCapacity', 'has no effect on a Tape device: the cartridge has its own capacity'));
  } else if (st?.isDirectory()) {
    problems.error(problemAt(d, 'archiveDevice', `${archiveDevice} is a directory: a VTape device's Archive Device is the cartridge file in the drive`));
  } else {
    checkDirectory(problems, d, 'archiveDevice', dirname(archiveDevice));
  }
  return problems.errors.length === before;
}

/** An Autochanger: its name stands for its devices' drives; with a changer, a library whose drives it loads. */
export interface DriveGroupSpec {
  readonly name: string;
  /** The Device resources it groups, as the configuration names them. */
  readonly devices: readonly string[];
  readonly changer?: ChangerSpec;
}

/** An Autochanger with a Changer Command (changers/): how to run it and which drive is which. */
export interface ChangerSpec {
  readonly command: string;
  readonly changerDevice: string;
  /** The longest Maximum Changer Wait of its devices, in seconds. */
  readonly maximumChangerWait: number;
  /** Each Device's Drive Index. */
  readonly driveIndex: ReadonlyMap<string, number>;
}

/**
 * An Autochanger with no changer command that groups File devices (as Bareos's stock
 * `autochanger/FileStorage.conf` and `filechanger.conf`) is a group of drives: a job
 * naming it may get any of them, as in Bareos. One with a Changer Command is a tape
 * library: its devices must be Tape or VTape drives with distinct Drive Indexes, and
 * it needs a Changer Device (its %c).
 */
export function checkAutochangers(problems: Problems, changers: readonly AutochangerResource[], devices: readonly DeviceResource[]): DriveGroupSpec[] {
  const groups: DriveGroupSpec[] = [];
  for (const c of changers) {
    const members = c.device.map((n) => findResource(devices, n)).filter((d): d is DeviceResource => d !== undefined);
    if (members.length === 0) continue;  // the Device errors say why
    const command = c.changerCommand?.trim() ?? '';
    if (command === '') {
      if (members.some((d) => d.deviceType !== 'File')) {
        problems.error(problemAt(c, 'device', `a tape drive in an Autochanger needs its Changer Command (e.g. "mtx-changer %c %o %S %a %d", or burrow-vchanger for virtual tapes)`));
        continue;
      }
      groups.push({ name: c.name, devices: members.map((d) => d.name) });
      continue;
    }
    const before = problems.errors.length;
    const notTape = members.filter((d) => d.deviceType !== 'Tape' && d.deviceType !== 'VTape');
    if (notTape.length > 0) problems.error(problemAt(c, 'device', `${notTape.map((d) => d.name).join(', ')}: a changer loads Tape and VTape drives only`));
    if (!c.changerDevice?.trim()) problems.error(problemAt(c, 'changerCommand', 'needs a Changer Device (the library\'s control device, or burrow-vchanger\'s directory), its %c'));
    const driveIndex = new Map<string, number>();
    const taken = new Map<number, string>();
    for (const d of members) {
      if (!d.autochanger && d.deviceType !== 'File') problems.warn(problemAt(d, 'autochanger', `= no, yet Autochanger "${c.name}" loads it: write Autochanger = yes (Bareos needs it; Burrow loads the drive through the changer either way)`));
      const other = taken.get(d.driveIndex);
      if (other !== undefined) problems.error(problemAt(d, 'driveIndex', `${d.driveIndex} is also Device "${other}"'s in Autochanger "${c.name}": each drive of a library has its own number`));
      taken.set(d.driveIndex, d.name);
      driveIndex.set(d.name, d.driveIndex);
    }
    if (problems.errors.length !== before) continue;
    groups.push({
      name: c.name, devices: members.map((d) => d.name),
      changer: { command, changerDevice: c.changerDevice!.trim(), maximumChangerWait: Math.max(...members.map((d) => d.maximumChangerWait)), driveIndex },
    });
  }
  return groups;
}
