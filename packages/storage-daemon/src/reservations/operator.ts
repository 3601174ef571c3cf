/**
 * The operator's hands on a drive, as the Director passes on `mount`, `unmount`,
 * `release` and `label` (Bareos's dir_cmd.cc), and the wake after `update slots`: each
 * answers with Bareos's reply number and words. `unmount` takes an idle drive out of use until `mount`; `release` forgets
 * its volume so the next job reads the label again; `mount` puts it back, or wakes a
 * job waiting on it for a volume. Bareos prints a device as `""Name" (path)"` in some
 * of these replies; Burrow prints `"Name" (path)` everywhere.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { LabelledVolume, NextWritePoint } from '../devices/drive.js';
import type { VolumeLabelInfo } from '../volume/labels.js';
import type { ReservableDrive, WakeCause } from './reservable-drive.js';
import type { Reservations } from './reservations.js';

/** A reply to the Director: Bareos's number (3000-3099 done, 3900-3999 refused) and text. */
export interface DriveReply {
  readonly code: number;
  readonly text: string;
  /** readlabel: the volume name the cartridge's label gives. */
  readonly volumeName?: string;
}

export interface DriveAddress {
  /** A Device, a Count device or an Autochanger. */
  readonly device: string;
  /** The drive of a group, counted from 0 (Bareos's drive=). */
  readonly drive: number;
}

const reply = (code: number, text: string): DriveReply => ({ code, text: `${code} ${text}` });

export class DriveOperator {
  constructor(private readonly desk: Reservations) {}

  /**
   * `mount`: wakes a job waiting on the drive, or puts an unmounted drive back in use;
   * with `slot`, a drive of an autochanger has the changer load that slot first.
   * With `volumeName`, a drive that mounts volumes by name (a File drive) with no volume
   * open mounts that one first, so a waiting job is offered it (Bareos's mount has only
   * slot=, which a File drive ignores).
   */
  async mount(at: DriveAddress, slot = 0, volumeName = ''): Promise<DriveReply> {
    const d = this.locate(at);
    if (!d.ok) return d.reply;
    const { drive } = d;
    const p = drive.printName;
    if (slot > 0 && drive.drive.loadSlot) return this.mountSlot(drive, slot);
    if (volumeName !== '' && drive.drive.capabilities.mountsByName) {
      const busy = busyReply(drive, false);
      if (busy) return busy;
      try {
        await drive.drive.mount(volumeName);
      } catch (err) {
        return reply(3902, `Cannot mount Volume on Storage Device ${p} because:\n${(err as Error).message}`);
      }
      if (drive.operatorWaits.length === 0 && drive.blocked === null) return reply(3001, `Device ${p} is mounted with Volume "${volumeName}"`);
    }
    if (drive.operatorWaits.length > 0 || drive.blocked === 'unmounted-waiting') {
      drive.blocked = null;
      this.wake([drive], 'mount');
      return reply(3001, `OK mount requested. ${slot > 0 ? 'Specified slot ignored. ' : ''}Device=${p}`);
    }
    if (drive.blocked === 'unmounted') {
      drive.blocked = null;
      this.desk.retryWaiters();
      return volumeName !== '' && drive.mounted() !== null
        ? reply(3001, `Device ${p} is mounted with Volume "${volumeName}"`)
        : reply(3002, `Device ${p} is mounted.`);
    }
    const mounted = drive.mounted();
    if (mounted) return reply(3001, `Device ${p} is mounted with Volume "${mounted.volumeName}"`);
    if (drive.drive.capabilities.mountsByName) return reply(3906, `File device ${p} is always mounted.`);
    return reply(3905, `Device ${p} open but no Burrow volume is mounted.`);
  }

  /**
   * `mount slot=` on a drive of an autochanger: the changer loads the slot and its
   * cartridge is mounted (Bareos's autoload on mount). A job waiting on the drive is then
   * woken and offered the mounted volume first, even one the catalog thinks out of the
   * changer; an idle or unmounted drive answers with the volume it now has.
   */
  private async mountSlot(drive: ReservableDrive, slot: number): Promise<DriveReply> {
    const p = drive.printName;
    const waiting = drive.operatorWaits.length > 0 || drive.blocked === 'unmounted-waiting';
    // A waiting job holds the drive without using it: the cartridge may change under it.
    const busy = busyReply(drive, !waiting);
    if (busy) return busy;
    let barcode: string | null;
    try {
      barcode = await drive.drive.loadSlot!(slot);
    } catch (err) {
      return reply(3902, `Cannot mount Volume on Storage Device ${p} because:\n${(err as Error).message}`);
    }
    const mounted = barcode === null ? null : await drive.drive.mount(barcode).then(() => barcode, () => null);
    drive.blocked = null;
    if (waiting) {
      this.wake([drive], 'mount');
      return reply(3001, `OK mount requested. Device=${p}`);
    }
    this.desk.retryWaiters();
    return mounted === null
      ? reply(3905, `Device ${p} open but no Burrow volume is mounted.`)
      : reply(3001, `Device ${p} is mounted with Volume "${mounted}"`);
  }

  async unmount(at: DriveAddress): Promise<DriveReply> {
    const d = this.locate(at);
    if (!d.ok) return d.reply;
    const { drive } = d;
    const p = drive.printName;
    if (drive.blocked !== null) return reply(3901, `Device ${p} is already unmounted.`);
    const busy = busyReply(drive, false);
    if (busy) return busy;
    if (drive.operatorWaits.length > 0) {
      await drive.drive.unmount();
      drive.blocked = 'unmounted-waiting';
      return reply(3001, `Device ${p} unmounted.`);
    }
    const reserved = busyReply(drive, true);
    if (reserved) return reserved;
    await drive.drive.unmount();
    drive.blocked = 'unmounted';
    return reply(3002, `Device ${p} unmounted.`);
  }

  async release(at: DriveAddress): Promise<DriveReply> {
    const d = this.locate(at);
    if (!d.ok) return d.reply;
    const { drive } = d;
    const p = drive.printName;
    const busy = busyReply(drive, false);
    if (busy) return busy;
    if (drive.blocked === 'unmounted-waiting') return reply(3922, `Device ${p} waiting for mount.`);
    if (drive.operatorWaits.length > 0) return reply(3922, `Device ${p} waiting for sysop.`);
    const reserved = busyReply(drive, true);
    if (reserved) return reserved;
    if (drive.blocked !== null || drive.mounted() === null) return reply(3921, `Device ${p} already released.`);
    await drive.drive.unmount();
    return reply(3022, `Device ${p} released.`);
  }

  /**
   * The operator's `label`: writes a new volume on the drive the Director names (drive
   * 0 of a group unless it says otherwise; for a Count device that is `<Name>0000`,
   * which jobs never take by themselves), then wakes the jobs waiting for a volume on
   * every drive of its Media Type (the new volume may be theirs).
   * The drive's Media Type must be the one the Director's Storage expects. With
   * `relabel` (truncate) the volume must already hold our label of this name; with
   * `renameFrom` (relabel oldvolume=) the old volume takes the new name and label. With
   * `slot`, a drive in an autochanger has the changer load that slot's cartridge first.
   */
  async label(at: DriveAddress, volumeName: string, info: VolumeLabelInfo, options: { relabel?: boolean; renameFrom?: string; slot?: number } = {}): Promise<LabelledVolume & { drive: string }> {
    const d = this.locate(at);
    if (!d.ok) throw new BurrowError('NOT_FOUND', d.reply.text);
    const { drive } = d;
    // An autochanger's drive first loads the slot named (a drive without a changer ignores it, as Bareos does).
    if (options.slot && drive.drive.loadSlot) {
      const busy = busyReply(drive, true);
      if (busy) throw new BurrowError('DEVICE', busy.text);
      await drive.drive.loadSlot(options.slot);
    }
    const { mediaType } = drive.config;
    if (info.mediaType && mediaType && info.mediaType !== mediaType) {
      throw new BurrowError('DEVICE', `Device ${drive.printName} has Media Type "${mediaType}", not "${info.mediaType}" as the Director's Storage says`);
    }
    // Relabelling (truncate) writes over our own label of this very name only: mounting reads it first.
    // `relabel oldvolume=` starts from the old volume: a drive that mounts only what is put
    // in it (a tape) mounts it first; a file drive reads its label itself, beside a busy volume.
    if (options.renameFrom !== undefined) {
      if (!drive.drive.capabilities.mountsByName) await drive.drive.mount(options.renameFrom);
    } else if (options.relabel) await drive.drive.mount(volumeName);
    const labelled = await drive.drive.label(volumeName, info, { relabel: options.relabel === true, renameFrom: options.renameFrom });
    this.wake(this.desk.table.drives.filter((other) => other.config.mediaType === mediaType), 'label');
    return { ...labelled, drive: drive.name };
  }

  /**
   * Bareos's readlabel (update slots scan, import scan): an idle drive of an autochanger
   * loads the cartridge of `slot`, reads its label and puts it back. `3001 Volume=X
   * Slot=N`, or 3902 with why there is no volume name (blank, foreign, empty slot).
   */
  async readLabel(at: DriveAddress, slot: number): Promise<DriveReply> {
    const d = this.locate(at);
    if (!d.ok) return d.reply;
    const { drive } = d;
    const p = drive.printName;
    if (!drive.drive.readSlotLabel || slot <= 0) return reply(3999, `Device ${p} is not in an autochanger, or no slot was given: it cannot read a slot's label.`);
    const busy = busyReply(drive, true);
    if (busy) return busy;
    if (drive.blocked !== null) return reply(3901, `Device ${p} is unmounted: mount it first.`);
    try {
      const label = await drive.drive.readSlotLabel(slot);
      if (label.volumeName === null) return reply(3902, `Cannot mount Volume on Storage Device ${p} because:\nSlot ${slot}: ${label.why}.`);
      return { ...reply(3001, `Volume=${label.volumeName} Slot=${slot}`), volumeName: label.volumeName };
    } catch (err) {
      return reply(3902, `Cannot mount Volume on Storage Device ${p} because:\n${(err as Error).message}`);
    }
  }

  /**
   * The operator's `update volume=X nextwrite=F:B` (afbackup's cartis): an idle tape
   * drive mounts the volume and makes `address` the end of its data, after checking on
   * the medium that it is a block boundary there. 3000 with what is left on the volume;
   * 3999 with why not (the drive is not a tape, the point is not one, the volume is not there).
   */
  async nextWrite(at: DriveAddress, volumeName: string, address: number): Promise<DriveReply & { point?: NextWritePoint }> {
    const d = this.locate(at);
    if (!d.ok) return d.reply;
    const { drive } = d;
    const p = drive.printName;
    if (!drive.drive.setNextWrite) return reply(3999, `Device ${p} is not a tape drive: only a tape volume's next write position can be set.`);
    const busy = busyReply(drive, true);
    if (busy) return busy;
    if (drive.blocked !== null) return reply(3901, `Device ${p} is unmounted: mount it first.`);
    try {
      const point = await drive.drive.setNextWrite(volumeName, address);
      return { ...reply(3000, `OK nextwrite Volume="${volumeName}" Device=${p} VolBytes=${point.volBytes} LastBlock=${point.lastBlockNumber} Files=${point.files}`), point };
    } catch (err) {
      return reply(3999, (err as Error).message);
    }
  }

  /**
   * After `update slots`: the jobs waiting on the drives of `device` (an Autochanger, or
   * one drive) ask the Director again, as a cartridge they wait for may be in now.
   */
  wakeWaiting(device: string): DriveReply {
    const group = this.desk.table.groupList().find((g) => g.name.toLowerCase() === device.toLowerCase());
    const drives = group?.drives ?? this.desk.table.candidates(device);
    const waiting = drives.reduce((n, d) => n + d.operatorWaits.length, 0);
    this.wake(drives, 'slots');
    return reply(3000, `OK ${waiting} waiting job(s) on Device "${device}" asked to look again.`);
  }

  private locate(at: DriveAddress): { ok: true; drive: ReservableDrive } | { ok: false; reply: DriveReply } {
    try {
      return { ok: true, drive: this.desk.table.locate(at.device, at.drive) };
    } catch (err) {
      return { ok: false, reply: reply(3999, (err as Error).message) };
    }
  }

  private wake(drives: readonly ReservableDrive[], cause: WakeCause): void {
    for (const drive of drives) for (const w of drive.operatorWaits.splice(0)) w.wake(cause);
    this.desk.retryWaiters();
  }
}

/**
 * Bareos's busy replies: volume handles open (`withReservations` false), or, with it, a
 * job holding the drive without using it yet.
 */
function busyReply(drive: ReservableDrive, withReservations: boolean): DriveReply | undefined {
  const { appending, reading } = drive.drive.activity();
  const p = drive.printName;
  if (reading > 0 || (withReservations && drive.mode() === 'read')) return reply(3936, `Device ${p} is busy reading.`);
  if (appending > 0 || (withReservations && drive.holders.size > 0)) {
    return reply(3937, `Device ${p} is busy with writers=${appending} reserved=${drive.holders.size}.`);
  }
  return undefined;
}
