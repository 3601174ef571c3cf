/**
 * Which cartridges `import`, `export` and `move` carry from which slot to which (the
 * rules of Bareos's ua_impexp.cc), worked out from the changer's `listall` before any
 * robot moves: import takes the full import/export slots (or srcslots=) to the empty
 * normal slots (or dstslots=), export the reverse, move any slots to any; volume= names
 * the cartridges by barcode instead of by slot. A normal slot whose cartridge is in a
 * drive counts as full, so export releases that drive first. Bareos's warnings are
 * kept word for word; a plan that cannot be carried out has `refused` and no moves.
 */
import type { burrow } from '@burrow/common/proto/index';

export type SlotOperation = 'import' | 'export' | 'move';

export interface SlotMoveRequest {
  /** srcslots=, dstslots=: slot numbers; undefined when not given. */
  src?: ReadonlySet<number>;
  dst?: ReadonlySet<number>;
  /** volume= (import, export): barcodes, Bareos's `A|B` split. */
  volumes?: readonly string[];
}

export interface SlotMove {
  from: number;
  to: number;
  /** The cartridge's barcode ('' unknown). */
  barcode: string;
  /** Export of a cartridge now in this drive: release the drive first. */
  releaseDrive?: number;
}

export interface SlotMovePlan {
  moves: SlotMove[];
  /** Bareos's warnings on the way (deselected slots, unknown volumes). */
  warnings: string[];
  /** Why nothing is moved, when so. */
  refused?: string;
}

type Element = Pick<burrow.IChangerElement, 'kind' | 'number' | 'full' | 'homeSlot' | 'barcode'>;

interface SlotState {
  slot: number;
  importExport: boolean;
  /** Holds a cartridge, at home or (a normal slot) in a drive. */
  full: boolean;
  barcode: string;
  inDrive?: number;
}

export function planSlotMoves(op: SlotOperation, elements: readonly Element[], req: SlotMoveRequest): SlotMovePlan {
  const slots = slotStates(elements);
  const warnings: string[] = [];
  const refuse = (refused: string): SlotMovePlan => ({ moves: [], warnings, refused });
  const known = (n: number): SlotState | undefined => slots.get(n);

  let src = req.src ? deselect(req.src, (s) => s.full, known, warnings) : undefined;
  let dst = req.dst ? (op === 'move' ? [...req.dst].sort((a, b) => a - b) : deselect(req.dst, (s) => !s.full, known, warnings)) : undefined;
  if (op !== 'move' && req.volumes && req.volumes.length > 0) {
    const named: number[] = [];
    for (const v of req.volumes) {
      const at = [...slots.values()].find((s) => s.full && s.barcode === v && (src === undefined || src.includes(s.slot)));
      if (at) named.push(at.slot);
      else warnings.push(`No volume named ${v} in changer or in selected source slots.`);
    }
    src = named.sort((a, b) => a - b);
  }
  if (src && src.length > 0 && dst && dst.length > 0) {
    if (src.length > dst.length) return refuse("Source slot selection doesn't fit into destination slot selection.");
    if (src.some((s) => dst!.includes(s))) return refuse('Source slot selection and destination slot selection overlap.');
  }
  if (op === 'export' && (src === undefined || src.length === 0)) return refuse('Cannot perform an export operation without source slot selection');
  if (op === 'move' && (!src?.length || !dst?.length)) return refuse('Cannot perform a move operation without source and/or destination selection');

  const all = [...slots.values()];
  const pick = (want: (s: SlotState) => boolean): number[] => all.filter(want).map((s) => s.slot);
  const every = (list: readonly number[], want: (s: SlotState) => boolean): boolean => list.every((n) => { const s = known(n); return s !== undefined && want(s); });
  if (op === 'import') {
    if (!src?.length) src = pick((s) => s.importExport && s.full);
    else if (!every(src, (s) => s.importExport && s.full)) return refuse('Not all slots in source selection are import slots and filled.');
    if (!dst?.length) {
      dst = pick((s) => !s.importExport && !s.full);
      if (src.length > dst.length) return refuse(`Not enough free slots available to import ${src.length} volumes`);
    } else if (!every(dst, (s) => !s.importExport && !s.full)) return refuse('Not all slots in destination selection are normal slots and empty.');
  } else if (op === 'export') {
    if (!every(src!, (s) => !s.importExport && s.full)) return refuse('Not all slots in source selection are normal slots and filled.');
    if (!dst?.length) {
      dst = pick((s) => s.importExport && !s.full);
      if (src!.length > dst.length) return refuse(`Not enough free export slots available to export ${src!.length} volume${src!.length > 1 ? 's' : ''}`);
    } else if (!every(dst, (s) => s.importExport && !s.full)) return refuse('Not all slots in destination selection are export slots and empty.');
  }
  if (!src?.length || !dst?.length) return refuse('Nothing to do');
  const moves = src.map((from, i) => {
    const s = known(from);
    const to = dst![i]!;
    return { from, to, barcode: s?.barcode ?? '', ...(op === 'export' && s?.inDrive !== undefined ? { releaseDrive: s.inDrive } : {}) };
  });
  return { moves, warnings };
}

/** Normal and import/export slots by number, a normal slot whose cartridge is in a drive counted full. */
function slotStates(elements: readonly Element[]): Map<number, SlotState> {
  const slots = new Map<number, SlotState>();
  for (const e of elements) {
    const n = e.number ?? 0;
    if (e.kind === 'slot' || e.kind === 'import-export') {
      slots.set(n, { slot: n, importExport: e.kind === 'import-export', full: e.full === true, barcode: e.full ? e.barcode ?? '' : '' });
    }
  }
  for (const e of elements) {
    const home = e.homeSlot ?? 0;
    const s = slots.get(home);
    if (e.kind === 'drive' && e.full && s && !s.full) Object.assign(s, { full: true, barcode: e.barcode ?? '', inDrive: e.number ?? 0 });
  }
  return slots;
}

/** The slots of `list` with the content wanted, in order; the others are deselected with Bareos's warning. */
function deselect(list: ReadonlySet<number>, want: (s: SlotState) => boolean, known: (n: number) => SlotState | undefined, warnings: string[]): number[] {
  const kept: number[] = [];
  for (const n of [...list].sort((a, b) => a - b)) {
    const s = known(n);
    if (s && want(s)) kept.push(n);
    else warnings.push(`Deselecting slot ${n} doesn't have wanted content.`);
  }
  return kept;
}
