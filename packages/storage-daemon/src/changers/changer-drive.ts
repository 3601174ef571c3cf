/**
 * Tape drives in an autochanger: each drive mounts a volume by having the changer load
 * its cartridge first, as Bareos's autochanger.cc does. The cartridge's slot is found
 * by its barcode (the volume's name) in the changer's `list`; then, with every step a
 * changer call:
 *   1. `loaded`: the drive already holds it: nothing to move;
 *   2. the drive holds another cartridge: close the drive, `unload` it to its home slot;
 *   3. the cartridge is in another drive of the changer: unload it there first, unless
 *      that drive is in use (then DEVICE: the job asks for another volume or waits);
 *   4. `load` it, and read its label (a wrong label is the tape drive's VOLUME_FORMAT); a
 *      load that finds the slot empty after all is NotInChanger, as a missing barcode.
 * A sequence runs whole before another drive's begins (the changer lock), so two drives
 * never race for one cartridge; `unmount` also unloads, as Bareos's release does.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type {
  Drive, DriveActivity, LabelledVolume, LabelOptions, MountedVolume, AppendOptions, AppendVolume, ReadVolume, SlotLabel, BlockAddress, NextWritePoint,
} from '../devices/drive.js';
import { SerialQueue } from '../devices/serial-queue.js';
import type { TapeDrive } from '../devices/tape/tape-drive.js';
import type { VolumeLabelInfo } from '../volume/labels.js';
import type { ChangerDrive, ScriptChanger } from './script-changer.js';

/**
 * The cartridge a drive should mount is in no slot of the library: the job must wait
 * for the operator to put it in (Bareos's "Please mount append Volume"), not give the
 * volume up as unusable.
 */
export class NotInChanger extends BurrowError {
  constructor(readonly volumeName: string, readonly changerName: string, why = 'no slot holds a cartridge with that barcode') {
    super('NOT_FOUND', `Volume "${volumeName}" is not in Autochanger "${changerName}": ${why}`);
  }
}

/** One library: its changer script and the drives in it, which take turns to move cartridges. */
export class Autochanger {
  private readonly sequences = new SerialQueue();
  private readonly drives: ChangerTapeDrive[] = [];

  constructor(readonly name: string, readonly changer: ScriptChanger) {}

  /** A drive of this library: the tape drive at `slot.archiveDevice`, number `slot.index` for the changer. */
  drive(tape: TapeDrive, at: ChangerDrive): ChangerTapeDrive {
    const d = new ChangerTapeDrive(this, tape, at);
    this.drives.push(d);
    return d;
  }

  /** Loads the cartridge whose barcode is `volumeName` into `d` (steps 1 to 4 but the label). */
  loadVolume(d: ChangerTapeDrive, volumeName: string): Promise<void> {
    return this.sequences.run(async () => {
      const listed = await this.changer.list();
      const entry = listed.slots.find((s) => s.barcode === volumeName);
      if (!entry) throw new NotInChanger(volumeName, this.name);
      await this.bringTo(d, entry.slot, volumeName);
    });
  }

  /** Loads the cartridge of `slot` into `d` (the operator's `label slot=`, `mount slot=`); its barcode, if it has one. */
  loadSlot(d: ChangerTapeDrive, slot: number): Promise<string | null> {
    return this.sequences.run(async () => {
      await this.bringTo(d, slot);
      // Loaded, the cartridge is listed under its home slot.
      return (await this.changer.list()).slots.find((s) => s.slot === slot)?.barcode ?? null;
    });
  }

  /** Puts the cartridge in `d`, if any, back in its home slot. */
  unload(d: ChangerTapeDrive): Promise<void> {
    return this.sequences.run(async () => {
      const home = await this.changer.loaded(d.at);
      if (home !== 0) await this.changer.unload(home, d.at);
      d.homeSlot = 0;
    });
  }

  private async bringTo(d: ChangerTapeDrive, slot: number, volume?: string): Promise<void> {
    const home = await this.changer.loaded(d.at);
    if (home === slot) {
      d.homeSlot = slot;
      return;
    }
    if (home !== 0) {
      await d.tape.unmount();
      await this.changer.unload(home, d.at, { volume });
      d.homeSlot = 0;
    }
    for (const other of this.drives) {
      if (other === d || (await this.changer.loaded(other.at)) !== slot) continue;
      const a = other.activity();
      if (a.appending > 0 || a.reading > 0) {
        throw new BurrowError('DEVICE', `the cartridge of slot ${slot}${volume ? ` (Volume "${volume}")` : ''} is in use in Device ${other.printName}`);
      }
      await other.tape.unmount();
      await this.changer.unload(slot, other.at, { volume });
      other.homeSlot = 0;
    }
    await this.changer.load(slot, d.at, { volume }).catch((err: unknown) => {
      // `list` had the cartridge in the slot, the load found it empty (an inventory out of
      // date): not in the changer, as Bareos takes it, so the job takes another volume or
      // waits for this one, and the volume is not marked in Error.
      if (volume !== undefined && err instanceof BurrowError && err.code === 'NOT_FOUND') {
        throw new NotInChanger(volume, this.name, `its slot ${slot} was found empty (${err.message})`);
      }
      throw err;
    });
    d.homeSlot = slot;
  }
}

/** A tape drive in an autochanger: the tape drive's own behaviour, with the changer loading what it mounts. */
export class ChangerTapeDrive implements Drive {
  /** The home slot of the cartridge this drive loaded, as the changer said; 0: none known. Kept by the library. */
  homeSlot = 0;

  constructor(private readonly library: Autochanger, readonly tape: TapeDrive, readonly at: ChangerDrive) {}

  get name(): string { return this.tape.name; }
  get printName(): string { return this.tape.printName; }
  get typeName(): string { return this.tape.typeName; }
  get capabilities(): Drive['capabilities'] { return this.tape.capabilities; }
  get maximumBlockSize(): number | undefined { return this.tape.maximumBlockSize; }
  get driveIndex(): number { return this.at.index; }
  /** The Autochanger this drive belongs to. */
  get changer(): Autochanger { return this.library; }

  mounted(): MountedVolume | null {
    return this.tape.mounted();
  }

  activity(): DriveActivity {
    return this.tape.activity();
  }

  async mount(volumeName: string, signal?: AbortSignal): Promise<MountedVolume> {
    const a = this.tape.activity();
    // In use: the tape drive keeps its volume (and refuses another); nothing may move.
    if (a.appending > 0 || a.reading > 0) return this.tape.mount(volumeName, signal);
    signal?.throwIfAborted();
    await this.library.loadVolume(this, volumeName);
    return this.tape.mount(volumeName, signal);
  }

  /** Loads the cartridge of `slot` (the operator's label slot=, mount slot=), unloading what the drive holds; its barcode. */
  async loadSlot(slot: number): Promise<string | null> {
    const a = this.tape.activity();
    if (a.appending > 0 || a.reading > 0) throw new BurrowError('DEVICE', `Device ${this.printName} is busy with Volume "${this.tape.mounted()?.volumeName}"; slot ${slot} cannot be loaded now`);
    return this.library.loadSlot(this, slot);
  }

  loadedSlot(): number {
    return this.homeSlot;
  }

  /** Loads the cartridge of `slot`, reads its label, and puts it back in its slot (update slots scan). */
  async readSlotLabel(slot: number): Promise<SlotLabel> {
    await this.loadSlot(slot);
    try {
      return await this.tape.readLabel();
    } finally {
      await this.unmount();
    }
  }

  label(volumeName: string, info: VolumeLabelInfo, options?: LabelOptions): Promise<LabelledVolume> {
    return this.tape.label(volumeName, info, options);
  }

  /** The cartridge is loaded (as for a mount), then the tape drive sets the point. */
  async setNextWrite(volumeName: string, address: BlockAddress): Promise<NextWritePoint> {
    await this.mount(volumeName);
    return this.tape.setNextWrite(volumeName, address);
  }

  openAppend(options?: AppendOptions): Promise<AppendVolume> {
    return this.tape.openAppend(options);
  }

  openRead(signal?: AbortSignal): Promise<ReadVolume> {
    return this.tape.openRead(signal);
  }

  /** Closes the drive and puts its cartridge back in its home slot. */
  async unmount(): Promise<void> {
    await this.tape.unmount();
    await this.library.unload(this);
  }
}
