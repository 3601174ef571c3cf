/**
 * The drive table of a Storage daemon's configuration: a file drive (or Count copies of
 * it) per checked File Device, over one archive per Archive Device directory, and a
 * tape drive per VTape Device (a virtual tape) or Tape Device (the st driver). Devices
 * that name the same directory share its volume claims, so two drives never append to
 * one volume whatever the configuration says. The tape drives of an Autochanger with a
 * Changer Command have the changer load what they mount (changers/changer-drive.ts).
 */
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import { TapeDrive } from '../devices/tape/tape-drive.js';
import { tapeOpener, tapeSettings } from '../devices/tape/configured-tape.js';
import type { DrivableDevice, DriveGroupSpec } from '../devices/check.js';
import type { Archive } from '../devices/volume-store.js';
import { DriveTable, type DeviceSpec } from './drive-table.js';
import { Autochanger } from '../changers/changer-drive.js';
import { ScriptChanger } from '../changers/script-changer.js';

export function configuredDrives(devices: readonly DrivableDevice[], groups: readonly DriveGroupSpec[], signal?: AbortSignal): DriveTable {
  const archives = new Map<string, Archive>();
  const inLibrary = libraries(groups, signal);
  const specs = devices.map((d): DeviceSpec => {
    const r = d.resource;
    const common = {
      name: r.name, count: r.count, autoselect: r.autoselect, mediaType: r.mediaType, labelMedia: r.labelMedia,
      maximumConcurrentJobs: r.maximumConcurrentJobs ?? 0,
    };
    if (r.deviceType === 'VTape' || r.deviceType === 'Tape') {
      const open = tapeOpener(r, d.archiveDevice);
      const library = inLibrary.get(r.name.toLowerCase());
      return {
        ...common,
        makeDrive: (name) => {
          const tape = new TapeDrive({ name, typeName: r.deviceType, device: d.archiveDevice, settings: tapeSettings(r), open });
          return library ? library.changer.drive(tape, { index: library.index, archiveDevice: d.archiveDevice }) : tape;
        },
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

/** The libraries (Autochangers with a Changer Command), by the name of each Device in one, with its Drive Index. */
function libraries(groups: readonly DriveGroupSpec[], signal?: AbortSignal): Map<string, { changer: Autochanger; index: number }> {
  const byDevice = new Map<string, { changer: Autochanger; index: number }>();
  for (const g of groups) {
    if (!g.changer) continue;
    const { command, changerDevice, maximumChangerWait, driveIndex } = g.changer;
    const changer = new Autochanger(g.name, new ScriptChanger({ name: g.name, command, changerDevice, maximumChangerWait, signal }));
    for (const [device, index] of driveIndex) byDevice.set(device.toLowerCase(), { changer, index });
  }
  return byDevice;
}
