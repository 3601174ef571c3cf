/**
 * burrow-vchanger's library, as data: slots (the last `importExport` of them are
 * import/export slots, the mail slots an operator puts cartridges in and takes them
 * from), drives, and which cartridge (by barcode) is where. Each contract command is a
 * pure step from one state to the next with mtx's answer and exit status, so the rules
 * are tested without files; tools/vchanger.ts keeps the state in a file and points the
 * drives' paths at the cartridges.
 *
 * The rules are mtx's on a real library: a drive holds one cartridge and remembers its
 * home slot; `list` shows a cartridge in a drive under its home slot and leaves out the
 * import/export slots (mtx-changer's grep skips them); a load from an empty slot says
 * "Source Element Address N is Empty"; a move into a full slot says "Storage Element N
 * is Already Full". A slot that is the home of a cartridge in a drive counts as full
 * for moves, so the cartridge can always go home.
 */
import { volumeNameProblem } from '../devices/volume-name.js';
import type { ChangerCommandName } from './contract.js';

export const VCHANGER_STATE_VERSION = 1;

export interface LoadedCartridge {
  readonly barcode: string;
  /** The slot it came from and goes back to. */
  readonly home: number;
}

/** Faults a test injects (`burrow-vchanger fault`). */
export interface VchangerFaults {
  /** These commands print an error and exit 1. */
  readonly fail?: readonly ChangerCommandName[];
  /** These commands never answer (a robot stuck mid-move), until Maximum Changer Wait kills them. */
  readonly hang?: readonly ChangerCommandName[];
  /**
   * Loads and unloads change the state but not the drive: the drive keeps the cartridge
   * it first had (rclone-changer#1: every slot reads as the same tape).
   */
  readonly stale?: boolean;
}

export interface VchangerState {
  readonly version: typeof VCHANGER_STATE_VERSION;
  /** Slot n's cartridge at [n-1], null when empty; the import/export slots come last. */
  readonly slots: readonly (string | null)[];
  readonly importExport: number;
  readonly drives: readonly (LoadedCartridge | null)[];
  readonly faults: VchangerFaults;
}

export interface Outcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The state after the command (unchanged when it failed or only reads). */
  readonly state: VchangerState;
}

const ok = (state: VchangerState, stdout = ''): Outcome => ({ exitCode: 0, stdout, stderr: '', state });
const fail = (state: VchangerState, stderr: string): Outcome => ({ exitCode: 1, stdout: '', stderr: `${stderr}\n`, state });

export function newState(o: { slots: number; drives: number; importExport: number; barcodes: readonly string[] }): VchangerState {
  if (o.slots < 1 || o.drives < 1 || o.importExport < 0 || o.importExport >= o.slots) {
    throw new Error('a changer needs at least one slot and one drive, and fewer import/export slots than slots');
  }
  const storage = o.slots - o.importExport;
  if (o.barcodes.length > storage) throw new Error(`${o.barcodes.length} barcodes for ${storage} storage slots`);
  const seen = new Set<string>();
  for (const b of o.barcodes) {
    const problem = volumeNameProblem(b);
    if (problem || /[:\s]/.test(b)) throw new Error(`barcode ${JSON.stringify(b)} cannot be a volume name: ${problem ?? 'a colon or a space'}`);
    if (seen.has(b)) throw new Error(`barcode ${b} twice`);
    seen.add(b);
  }
  const slots = Array.from({ length: o.slots }, (_, i) => o.barcodes[i] ?? null);
  return { version: VCHANGER_STATE_VERSION, slots, importExport: o.importExport, drives: Array.from({ length: o.drives }, () => null), faults: {} };
}

function isImportExport(s: VchangerState, slot: number): boolean {
  return slot > s.slots.length - s.importExport;
}

/** The drive whose cartridge calls `slot` home, if any. */
function driveAtHome(s: VchangerState, slot: number): number {
  return s.drives.findIndex((d) => d?.home === slot);
}

function slotProblem(s: VchangerState, slot: number): string | undefined {
  return Number.isInteger(slot) && slot >= 1 && slot <= s.slots.length ? undefined : `Invalid Storage Element ${slot} (slots 1 to ${s.slots.length})`;
}

function driveProblem(s: VchangerState, drive: number): string | undefined {
  return Number.isInteger(drive) && drive >= 0 && drive < s.drives.length ? undefined : `Invalid Data Transfer Element ${drive} (drives 0 to ${s.drives.length - 1})`;
}

function withSlot(s: VchangerState, slot: number, barcode: string | null): VchangerState['slots'] {
  return s.slots.map((b, i) => (i === slot - 1 ? barcode : b));
}

function withDrive(s: VchangerState, drive: number, c: LoadedCartridge | null): VchangerState['drives'] {
  return s.drives.map((d, i) => (i === drive ? c : d));
}

export function loaded(s: VchangerState, drive: number): Outcome {
  const bad = driveProblem(s, drive);
  return bad ? fail(s, bad) : ok(s, `${s.drives[drive]?.home ?? 0}\n`);
}

export function load(s: VchangerState, slot: number, drive: number): Outcome {
  const bad = slotProblem(s, slot) ?? driveProblem(s, drive);
  if (bad) return fail(s, bad);
  const inDrive = s.drives[drive];
  if (inDrive) return fail(s, `Drive ${drive} Full (Storage Element ${inDrive.home} loaded)`);
  const barcode = s.slots[slot - 1];
  if (!barcode) return fail(s, `mtx: Request Sense: Source Element Address ${slot} is Empty`);
  return ok({ ...s, slots: withSlot(s, slot, null), drives: withDrive(s, drive, { barcode, home: slot }) });
}

export function unload(s: VchangerState, slot: number, drive: number): Outcome {
  const bad = slotProblem(s, slot) ?? driveProblem(s, drive);
  if (bad) return fail(s, bad);
  const inDrive = s.drives[drive];
  if (!inDrive) return fail(s, `Data Transfer Element ${drive} is Empty`);
  const home = driveAtHome(s, slot);
  if (s.slots[slot - 1] !== null || (home >= 0 && home !== drive)) return fail(s, `Storage Element ${slot} is Already Full`);
  return ok({ ...s, slots: withSlot(s, slot, inDrive.barcode), drives: withDrive(s, drive, null) });
}

export function transfer(s: VchangerState, from: number, to: number): Outcome {
  const bad = slotProblem(s, from) ?? slotProblem(s, to);
  if (bad) return fail(s, bad);
  const barcode = s.slots[from - 1];
  if (!barcode) return fail(s, `mtx: Request Sense: Source Element Address ${from} is Empty`);
  if (s.slots[to - 1] !== null || driveAtHome(s, to) >= 0) return fail(s, `Storage Element ${to} is Already Full`);
  return ok({ ...s, slots: withSlot(withSlotState(s, from, null), to, barcode) });
}

function withSlotState(s: VchangerState, slot: number, barcode: string | null): VchangerState {
  return { ...s, slots: withSlot(s, slot, barcode) };
}

/** `list`: full storage slots and the cartridges in drives under their home slots, in slot order. */
export function list(s: VchangerState): Outcome {
  const lines: Array<[number, string]> = [];
  s.slots.forEach((b, i) => { if (b && !isImportExport(s, i + 1)) lines.push([i + 1, b]); });
  for (const d of s.drives) if (d && !isImportExport(s, d.home)) lines.push([d.home, d.barcode]);
  lines.sort((a, b) => a[0] - b[0]);
  return ok(s, lines.map(([n, b]) => `${n}:${b}\n`).join(''));
}

export function listall(s: VchangerState): Outcome {
  const out: string[] = s.drives.map((d, i) => (d ? `D:${i}:F:${d.home}:${d.barcode}` : `D:${i}:E`));
  s.slots.forEach((b, i) => {
    const type = isImportExport(s, i + 1) ? 'I' : 'S';
    out.push(b ? `${type}:${i + 1}:F:${b}` : `${type}:${i + 1}:E`);
  });
  return ok(s, out.map((l) => `${l}\n`).join(''));
}

export function slots(s: VchangerState): Outcome {
  return ok(s, `${s.slots.length}\n`);
}

/** The operator puts a cartridge into an empty slot (an import/export slot, or any when the door is open). */
export function insert(s: VchangerState, slot: number, barcode: string): Outcome {
  const bad = slotProblem(s, slot) ?? (volumeNameProblem(barcode) || /[:\s]/.test(barcode) ? `barcode ${JSON.stringify(barcode)} cannot be a volume name` : undefined);
  if (bad) return fail(s, bad);
  if (s.slots[slot - 1] !== null || driveAtHome(s, slot) >= 0) return fail(s, `Storage Element ${slot} is Already Full`);
  if (s.slots.includes(barcode) || s.drives.some((d) => d?.barcode === barcode)) return fail(s, `cartridge ${barcode} is already in the changer`);
  return ok(withSlotState(s, slot, barcode));
}

/** The operator takes the cartridge out of a slot; it goes to the shelf. */
export function remove(s: VchangerState, slot: number): Outcome {
  const bad = slotProblem(s, slot);
  if (bad) return fail(s, bad);
  const barcode = s.slots[slot - 1];
  if (!barcode) return fail(s, `Storage Element ${slot} is Empty`);
  return ok(withSlotState(s, slot, null), `${barcode}\n`);
}

/** Parses a state file's JSON, checking its shape (a hand-edited file must not be trusted). */
export function parseState(text: string): VchangerState {
  const raw = JSON.parse(text) as Partial<VchangerState>;
  const slotsOk = Array.isArray(raw.slots) && raw.slots.every((b) => b === null || (typeof b === 'string' && volumeNameProblem(b) === undefined));
  const drivesOk = Array.isArray(raw.drives) && raw.drives.every((d) => d === null || (typeof d?.barcode === 'string' && Number.isInteger(d.home)));
  if (raw.version !== VCHANGER_STATE_VERSION || !slotsOk || !drivesOk || !Number.isInteger(raw.importExport)) {
    throw new Error(`not a burrow-vchanger state (version ${VCHANGER_STATE_VERSION})`);
  }
  return { version: VCHANGER_STATE_VERSION, slots: raw.slots!, importExport: raw.importExport!, drives: raw.drives!, faults: raw.faults ?? {} };
}

/** `A00001-A00004,CLN001`: names, and ranges of names that differ in a number at their end. */
export function expandBarcodes(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(.*?)(\d+)-\1(\d+)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    const [, prefix, from, to] = m as unknown as [string, string, string, string];
    for (let n = Number(from); n <= Number(to); n++) out.push(`${prefix}${String(n).padStart(from.length, '0')}`);
  }
  return out;
}
