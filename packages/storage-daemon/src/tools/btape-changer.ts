/**
 * burrow-btape's hands on the library of a drive in an Autochanger, for `fill m`: the
 * cartridge in the drive goes back to its slot and the next one in the library (the
 * next full slot, else the first) is loaded, through the Autochanger's Changer Command
 * as the Storage daemon would run it.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { DeviceResource, StorageDaemonConfig } from '@burrow/common/config/index';
import type { RawTape } from '../devices/tape/raw-tape.js';
import { ScriptChanger, type ChangerDrive } from '../changers/script-changer.js';

export interface LoaderParts {
  config: StorageDaemonConfig;
  device: DeviceResource;
  /** The drive's Archive Device as the opener reaches it. */
  archiveDevice: string;
  open: () => Promise<RawTape>;
  print: (line: string) => void;
}

/** The next-cartridge loader of the device's Autochanger; undefined when the device is in none with a Changer Command. */
export function nextCartridgeLoader(p: LoaderParts): (() => Promise<RawTape>) | undefined {
  const wanted = p.device.name.toLowerCase();
  const library = p.config.autochangers.find((a) => a.device.some((d) => d.toLowerCase() === wanted));
  if (!library?.changerCommand?.trim() || !library.changerDevice?.trim()) return undefined;
  const changer = new ScriptChanger({
    name: library.name, command: library.changerCommand, changerDevice: library.changerDevice.trim(), maximumChangerWait: p.device.maximumChangerWait,
  });
  const at: ChangerDrive = { index: p.device.driveIndex, archiveDevice: p.archiveDevice };
  return async () => {
    const loaded = await changer.loaded(at);
    if (loaded > 0) await changer.unload(loaded, at);
    const full = (await changer.list()).slots.map((s) => s.slot).filter((s) => s !== loaded).sort((a, b) => a - b);
    const next = full.find((s) => s > loaded) ?? full[0];
    if (next === undefined) throw new BurrowError('NOT_FOUND', `Autochanger "${library.name}" has no other cartridge to load`);
    await changer.load(next, at);
    p.print(`Loaded the cartridge of Slot ${next} into drive ${at.index} of Autochanger "${library.name}".`);
    return p.open();
  };
}
