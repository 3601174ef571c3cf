/**
 * The drive table of a Storage daemon's configuration: a file drive (or Count copies of
 * it) per checked File Device, over one archive per Archive Device directory, and a
 * tape drive over a virtual tape per VTape Device, or over the st driver per Tape Device. Devices that name the same
 * directory share its volume claims, so two drives never append to one volume whatever
 * the configuration says.
 */
import type { DeviceResource } from '@burrow/common/config/index';
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import { TapeDrive, type TapeSettings } from '../devices/tape/tape-drive.js';
import { VirtualTape } from '../devices/tape/vtape.js';
import { LinuxTape } from '../devices/tape/linux-tape.js';
import type { DrivableDevice, DriveGroupSpec } from '../devices/check.js';
import type { Archive } from '../devices/volume-store.js';
import { DriveTable, type DeviceSpec } from './drive-table.js';

export function configuredDrives(devices: readonly DrivableDevice[], groups: readonly DriveGroupSpec[]): DriveTable {
  const archives = new Map<string, Archive>();
  const specs = devices.map((d): DeviceSpec => {
    const r = d.resource;
    const common = {
      name: r.name, count: r.count, autoselect: r.autoselect, mediaType: r.mediaType, labelMedia: r.labelMedia,
      maximumConcurrentJobs: r.maximumConcurrentJobs ?? 0,
    };
    if (r.deviceType === 'VTape' || r.deviceType === 'Tape') {
      const capacity = r.volumeCapacity;
      const open = r.deviceType === 'VTape'
        ? () => VirtualTape.open(d.archiveDevice, capacity ? { capacity } : {})
        : () => openLinuxTape(d.archiveDevice);
      return {
        ...common,
        makeDrive: (name) => new TapeDrive({ name, typeName: r.deviceType, device: d.archiveDevice, settings: tapeSettings(r), open }),
      };
    }
    let archive = archives.get(d.archiveDevice);
    if (!archive) {
      archive = fileArchive(d.archiveDevice);
      archives.set(d.archiveDevice, archive);
    }
    const found = archive;
    return {
      ...common,
      makeDrive: (name) => fileDrive({ name, archive: found, maximumVolumeSize: r.maximumVolumeSize ?? 0 }),
    };
  });
  return DriveTable.build(specs, groups);
}

/** Bareos's tape directives of a Device, as the tape drive takes them (absent: Bareos's defaults). */
function tapeSettings(r: DeviceResource): Partial<TapeSettings> {
  const set: Partial<TapeSettings> = {
    minimumBlockSize: r.minimumBlockSize, maximumBlockSize: r.maximumBlockSize, maximumFileSize: r.maximumFileSize,
    maximumVolumeSize: r.maximumVolumeSize, hardwareEndOfMedium: r.hardwareEndOfMedium, fastForwardSpaceFile: r.fastForwardSpaceFile,
    bsfAtEom: r.bsfAtEom, twoEof: r.twoEof, offlineOnUnmount: r.offlineOnUnmount,
  };
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
}

/**
 * /dev/nst*, its ioctls through the native addon. The addon is loaded when a tape drive
 * is first opened, so a Storage daemon with only disk and virtual-tape devices never
 * needs it.
 */
async function openLinuxTape(path: string): Promise<LinuxTape> {
  const { ioctl } = await import('@burrow/fsx');
  return LinuxTape.open(path, ioctl);
}
