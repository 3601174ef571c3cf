/**
 * A Changer Command made into a program and its arguments, as Bareos's
 * edit_device_codes fills it in: `%c` the Changer Device, `%o` the command, `%S` the
 * slot (from 1), `%s` the slot less one, `%a` the Archive Device, `%d` the Drive Index,
 * `%v` the volume, `%j` the job, `%f` the client, `%D` the Diagnostic Device, `%%` a
 * percent sign; for `transfer`, `%S` is the source slot and `%a` the destination slot.
 *
 * Unlike Bareos the command is split into words before the codes are filled in, so a
 * value with a space or a quote stays one argument, and it runs without a shell.
 */
import { splitCommand } from '@burrow/common/scripts/command';
import type { ChangerCommandName } from './contract.js';

export interface ChangerCall {
  readonly command: ChangerCommandName;
  /** The slot (from 1); 0 when the command has none. For transfer: the source slot. */
  readonly slot?: number;
  /** transfer's destination slot. */
  readonly destination?: number;
  /** The drive's Archive Device and Drive Index (load, unload, loaded). */
  readonly archiveDevice?: string;
  readonly drive?: number;
  readonly volume?: string;
  readonly job?: string;
  readonly client?: string;
}

export interface ChangerCommandTemplate {
  /** The Autochanger's Changer Command. */
  readonly command: string;
  /** Its Changer Device. */
  readonly changerDevice: string;
  readonly diagnosticDevice?: string;
}

export function changerArgv(t: ChangerCommandTemplate, call: ChangerCall): string[] {
  const slot = call.slot ?? 0;
  const archive = call.command === 'transfer' ? String(call.destination ?? 0) : call.archiveDevice ?? '';
  const codes: Record<string, string> = {
    '%': '%', c: t.changerDevice, o: call.command, S: String(slot), s: String(Math.max(0, slot - 1)), a: archive,
    d: String(call.drive ?? 0), v: call.volume ?? '', j: call.job ?? '', f: call.client ?? '', D: t.diagnosticDevice ?? '',
  };
  // An unknown code is kept as written, as Bareos keeps it.
  return splitCommand(t.command).map((word) => word.replace(/%(.)/gs, (all, c: string) => codes[c] ?? all));
}
