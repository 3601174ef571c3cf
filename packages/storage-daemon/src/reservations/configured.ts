/**
 * The drive table of a Storage daemon's configuration: a file drive (or Count copies of
 * it) per checked File Device, over one archive per Archive Device directory, and a
 * tape drive per VTape Device (a virtual tape) or Tape Device (the st driver). Devices
 * that name the same directory share its volume claims, so two drives never append to
 * one volume whatever the configuration says.
 */
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import { TapeDrive } from '../devices/tape/tape-drive.js';
import { tapeOpener, tapeSettings } from '../devices/tape/configured-tape.js';
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
      const open = tapeOpener(r, d.archiveDevice);
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

