/**
 * The SD's side of the Director's autochanger questions (Bareos's "autochanger list",
 * "listall", "slots" and "transfer", which update slots, status slots and label
 * barcodes are built on): the Changer Command of the Autochanger named is run and its
 * answer sent back parsed. A device that is not in a library, or a changer that fails,
 * gets a numbered refusal (3998, with the changer's own words).
 */
import { toBurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/index';
import { ChangerTapeDrive, type Autochanger } from '../changers/changer-drive.js';
import type { DriveTable } from '../reservations/index.js';

type Reply = burrow.ISdChangerReply & { code: number; text: string };

/** The library a Director's device name reaches: an Autochanger's name, or one of its drives. */
function libraryOf(table: DriveTable, device: string): Autochanger | undefined {
  for (const d of table.candidates(device)) if (d.drive instanceof ChangerTapeDrive) return d.drive.changer;
  for (const d of table.drives) if (d.drive instanceof ChangerTapeDrive && d.drive.changer.name.toLowerCase() === device.toLowerCase()) return d.drive.changer;
  return undefined;
}

export async function changerReply(table: DriveTable, cmd: burrow.SdChangerCommand): Promise<Reply> {
  const library = libraryOf(table, cmd.device);
  if (!library) return { code: 3998, text: `3998 Device "${cmd.device}" is not an autochanger (an Autochanger with a Changer Command).` };
  const changer = library.changer;
  try {
    switch (cmd.action) {
      case 'list': {
        const listed = await changer.list();
        return {
          code: 3000, text: `3000 OK autochanger list of "${library.name}"`,
          slots: listed.slots.map((s) => ({ slot: s.slot, barcode: s.barcode ?? '' })), messages: [...listed.messages], problems: [...listed.problems],
        };
      }
      case 'listall': {
        const elements = (await changer.listall()).map((e) => e.kind === 'drive'
          ? { kind: e.kind, number: e.drive, full: e.full, homeSlot: e.full ? e.slot : 0, barcode: e.full ? e.barcode ?? '' : '' }
          : { kind: e.kind, number: e.slot, full: e.full, homeSlot: 0, barcode: e.full ? e.barcode ?? '' : '' });
        return { code: 3000, text: `3000 OK autochanger listall of "${library.name}"`, elements };
      }
      case 'slots': {
        const count = await changer.slots();
        return { code: 3000, text: `3000 OK slots=${count}`, count };
      }
      case 'transfer':
        await changer.transfer(cmd.slot, cmd.destination);
        return { code: 3000, text: `3000 OK autochanger transfer of slot ${cmd.slot} to slot ${cmd.destination}` };
      default:
        return { code: 3900, text: `3900 Invalid command: ${JSON.stringify(cmd.action)} is not list, listall, slots or transfer` };
    }
  } catch (err) {
    const e = toBurrowError(err);
    return { code: 3998, text: /^39\d\d /.test(e.message) ? e.message : `3998 ${e.message}` };
  }
}
