/**
 * A tape Device resource as the tape code takes it: Bareos's directives as TapeSettings
 * (absent ones keep Bareos's defaults) and the raw drive to open for its Archive
 * Device. Used by the daemon's drive table and by burrow-btape, so both drive a tape
 * the same way.
 */
import type { DeviceResource } from '@burrow/common/config/index';
import { LinuxTape, type Ioctl } from './linux-tape.js';
import type { RawTapeOpener } from './raw-tape.js';
import type { TapeSettings } from './tape-drive.js';
import { VirtualTape } from './vtape.js';

export function tapeSettings(r: DeviceResource): Partial<TapeSettings> {
  const set: Partial<TapeSettings> = {
    minimumBlockSize: r.minimumBlockSize, maximumBlockSize: r.maximumBlockSize, maximumFileSize: r.maximumFileSize,
    maximumVolumeSize: r.maximumVolumeSize, hardwareEndOfMedium: r.hardwareEndOfMedium, fastForwardSpaceFile: r.fastForwardSpaceFile,
    bsfAtEom: r.bsfAtEom, twoEof: r.twoEof, offlineOnUnmount: r.offlineOnUnmount, maximumOpenWait: r.maximumOpenWait,
  };
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
}

/** Opens the drive of a VTape or Tape Device at `archiveDevice` (resolved). */
export function tapeOpener(r: DeviceResource, archiveDevice: string): RawTapeOpener {
  if (r.deviceType === 'VTape') {
    const capacity = r.volumeCapacity;
    return () => VirtualTape.open(archiveDevice, capacity ? { capacity } : {});
  }
  return () => openLinuxTape(archiveDevice);
}

/**
 * /dev/nst*, its ioctls through the native addon. The addon is loaded when a tape drive
 * is first opened, so a Storage daemon with only disk and virtual-tape devices never
 * needs it.
 */
async function openLinuxTape(path: string): Promise<LinuxTape> {
  // A computed specifier: a checkout whose packages were linked before the SD depended on
  // the addon still builds, and needs `pnpm install` only to drive a real tape.
  const { ioctl } = (await import(FSX)) as { ioctl: Ioctl };
  return LinuxTape.open(path, ioctl);
}

const FSX: string = '@burrow/fsx';
