/**
 * The drive table of a Storage daemon's configuration: a file drive (or Count copies of
 * it) per checked Device, over one archive per Archive Device directory. Devices that
 * name the same directory share its volume claims, so two drives never append to one
 * volume whatever the configuration says.
 */
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import type { DrivableDevice, DriveGroupSpec } from '../devices/check.js';
import type { Archive } from '../devices/volume-store.js';
import { DriveTable, type DeviceSpec } from './drive-table.js';

export function configuredDrives(devices: readonly DrivableDevice[], groups: readonly DriveGroupSpec[]): DriveTable {
  const archives = new Map<string, Archive>();
  const specs = devices.map((d): DeviceSpec => {
    let archive = archives.get(d.archiveDevice);
    if (!archive) {
      archive = fileArchive(d.archiveDevice);
      archives.set(d.archiveDevice, archive);
    }
    const r = d.resource;
    const found = archive;
    return {
      name: r.name, count: r.count, autoselect: r.autoselect, mediaType: r.mediaType, labelMedia: r.labelMedia,
      maximumConcurrentJobs: r.maximumConcurrentJobs ?? 0,
      makeDrive: (name) => fileDrive({ name, archive: found, maximumVolumeSize: r.maximumVolumeSize ?? 0 }),
    };
  });
  return DriveTable.build(specs, groups);
}
