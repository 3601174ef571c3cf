/**
 * Volumes opened for reading by a program that is not the Storage daemon (bls,
 * bextract, bscan): no reservation, no Director. The directory given holds the volumes
 * by name: File volumes, or virtual-tape cartridges (a burrow-vchanger library's
 * `cartridges/` directory, where each is named by its barcode), which are read as the
 * daemon's tape drive reads them (positioning with fsf and fsr). Each volume gets a
 * drive of its own, so a reader that moves on to the next volume of a span never waits
 * for the last one to be unmounted.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadVolume } from '../devices/drive.js';
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import { TapeDrive } from '../devices/tape/tape-drive.js';
import { VirtualTape, VTAPE_MAGIC } from '../devices/tape/vtape.js';
import { checkVolumeName } from '../devices/volume-name.js';

export type OpenVolume = (volumeName: string, signal?: AbortSignal) => Promise<ReadVolume>;

/** Opens the volumes in `directory` by name; the tool names itself in errors. */
export function archiveVolumes(directory: string, tool: string): OpenVolume {
  const archive = fileArchive(directory);
  return async (volumeName, signal) => {
    checkVolumeName(volumeName);
    const cartridge = join(directory, volumeName);
    if (await isCartridge(cartridge)) return openCartridge(cartridge, volumeName, tool, signal);
    const drive = fileDrive({ name: tool, archive });
    await drive.mount(volumeName, signal);
    return drive.openRead(signal);
  };
}

/** A virtual-tape cartridge file (docs/vtape-format.md), by its magic: never a blank one, which the drive would format. */
async function isCartridge(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(() => null);
  if (fh === null) return false;
  try {
    const head = Buffer.alloc(VTAPE_MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(VTAPE_MAGIC);
  } finally {
    await fh.close();
  }
}

/** The cartridge in a drive of its own (its lock taken, as a drive's), let go when the volume is closed. */
async function openCartridge(path: string, volumeName: string, tool: string, signal?: AbortSignal): Promise<ReadVolume> {
  const drive = new TapeDrive({ name: tool, typeName: 'VTape', device: path, open: () => VirtualTape.open(path) });
  let volume: ReadVolume;
  try {
    await drive.mount(volumeName, signal);
    volume = await drive.openRead(signal);
  } catch (err) {
    await drive.unmount().catch(() => undefined);
    throw err;
  }
  const close = volume.close.bind(volume);
  volume.close = async () => {
    try {
      await close();
    } finally {
      await drive.unmount();
    }
  };
  return volume;
}
