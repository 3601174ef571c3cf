/**
 * The mtx-changer contract (research note tape-media.md section 3): what a Changer
 * Command is asked and what it answers. Bareos and Bacula run `mtx-changer %c %o %S %a
 * %d` (changer device, command, slot, archive device, drive index); exit status 0 is
 * success, and standard output carries the answer:
 *
 * - `loaded`: the home slot of the cartridge in the drive, or 0;
 * - `list`: `slot:barcode` for every full slot, a cartridge in a drive under its home slot;
 * - `listall`: `D:drive:F:slot:barcode` or `D:drive:E`, `S:slot:F:barcode` or `S:slot:E`,
 *   `I:slot:F:barcode` or `I:slot:E` (I: an import/export slot);
 * - `slots`: the number of slots (import/export slots included);
 * - `load`, `unload`, `transfer`: nothing.
 *
 * The answers are parsed here, at the edge, into typed values; a line that breaks the
 * contract is reported with the line itself, never guessed at.
 */
import { volumeNameProblem } from '../devices/volume-name.js';

export const CHANGER_COMMANDS = ['load', 'unload', 'loaded', 'list', 'listall', 'slots', 'transfer'] as const;
export type ChangerCommandName = (typeof CHANGER_COMMANDS)[number];

export function isChangerCommand(word: string): word is ChangerCommandName {
  return (CHANGER_COMMANDS as readonly string[]).includes(word);
}

/** A full slot of `list`: a cartridge at home there (or in a drive, home there). No barcode: a slot without a label reader. */
export interface ListedSlot {
  readonly slot: number;
  readonly barcode: string | null;
}

export interface SlotList {
  readonly slots: readonly ListedSlot[];
  /** Lines a script passes on for the operator (`3xxx text`, Bareos's convention). */
  readonly messages: readonly string[];
  /** Lines that break the contract (slot 0, not a number, an illegal volume name), with why. */
  readonly problems: readonly string[];
}

/** One element of `listall`. */
export type ChangerElement =
  | { readonly kind: 'drive'; readonly drive: number; readonly full: false }
  | { readonly kind: 'drive'; readonly drive: number; readonly full: true; readonly slot: number; readonly barcode: string | null }
  | { readonly kind: 'slot' | 'import-export'; readonly slot: number; readonly full: false }
  | { readonly kind: 'slot' | 'import-export'; readonly slot: number; readonly full: true; readonly barcode: string | null };

const OPERATOR_LINE = /^3\d\d\d /;

function lines(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '');
}

/** A slot or drive number as the contract writes it: decimal digits only. */
function number(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** A barcode as a volume name: '' is none; one that could not be a volume name is a problem. */
function barcodeOf(text: string | undefined): { barcode: string | null } | { problem: string } {
  const b = (text ?? '').trim();
  if (b === '') return { barcode: null };
  const problem = volumeNameProblem(b);
  return problem ? { problem: `illegal volume name ${JSON.stringify(b)}: ${problem}` } : { barcode: b };
}

/** Parses `list` (Bareos's get_vol_list_from_sd rules: slot 0 and illegal names refused, 3xxx lines passed on). */
export function parseList(stdout: string): SlotList {
  const slots: ListedSlot[] = [];
  const messages: string[] = [];
  const problems: string[] = [];
  for (const line of lines(stdout)) {
    if (OPERATOR_LINE.test(line)) {
      messages.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const slot = number(colon < 0 ? line : line.slice(0, colon));
    if (slot === undefined || slot <= 0) {
      problems.push(`Illegal output from autochanger list: ${JSON.stringify(line)} (a slot number above 0 must come first)`);
      continue;
    }
    const b = barcodeOf(colon < 0 ? '' : line.slice(colon + 1));
    if ('problem' in b) problems.push(`Illegal output from autochanger list: slot ${slot}: ${b.problem}`);
    else slots.push({ slot, barcode: b.barcode });
  }
  return { slots, messages, problems };
}

/** Parses `listall`; throws on the first line that breaks the contract, as Bareos does. */
export function parseListall(stdout: string): ChangerElement[] {
  const out: ChangerElement[] = [];
  for (const line of lines(stdout)) {
    if (OPERATOR_LINE.test(line)) continue;
    const element = parseElement(line);
    if (typeof element === 'string') throw new Error(`Illegal output from autochanger listall: ${JSON.stringify(line)}: ${element}`);
    out.push(element);
  }
  return out;
}

function parseElement(line: string): ChangerElement | string {
  const [type, numText, state, ...rest] = line.split(':');
  const n = number(numText);
  if (type !== 'D' && type !== 'S' && type !== 'I') return 'the type must be D, S or I';
  if (n === undefined || (type !== 'D' && n <= 0)) return 'no element number';
  if (state === 'E' && rest.length === 0) return type === 'D' ? { kind: 'drive', drive: n, full: false } : { kind: type === 'S' ? 'slot' : 'import-export', slot: n, full: false };
  if (state !== 'F') return 'the state must be F or E';
  if (type === 'D') {
    const slot = number(rest[0]);
    if (slot === undefined || rest.length > 2) return 'a full drive needs its home slot and the barcode';
    const b = barcodeOf(rest[1]);
    return 'problem' in b ? b.problem : { kind: 'drive', drive: n, full: true, slot, barcode: b.barcode };
  }
  if (rest.length > 1) return 'too many fields';
  const b = barcodeOf(rest[0]);
  return 'problem' in b ? b.problem : { kind: type === 'S' ? 'slot' : 'import-export', slot: n, full: true, barcode: b.barcode };
}

/** Parses `loaded`: a slot number, 0 for an empty drive. */
export function parseLoaded(stdout: string): number | undefined {
  const first = lines(stdout).find((l) => !OPERATOR_LINE.test(l));
  return number(first);
}

/** Parses `slots`: the count of slots. */
export function parseSlots(stdout: string): number | undefined {
  const first = lines(stdout).find((l) => !OPERATOR_LINE.test(l));
  return number(first);
}

/**
 * Whether a failed `load` says the slot is empty: mtx's "Source Element Address N is
 * Empty" (matched with its capitals, as Bareos matches it); the SD then treats the slot
 * as empty and asks again rather than failing the job.
 */
export function saysSlotEmpty(output: string): boolean {
  return /Source Element Address \d+ is Empty/.test(output);
}
