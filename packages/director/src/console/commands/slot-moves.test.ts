import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSlotMoves } from './slot-moves.js';

/** Drive 0 holds A00002 (home slot 2); slots 1 and 3 full, 4 and 5 empty; mail slots 6 (B00001) and 7 (empty). */
const LIBRARY = [
  { kind: 'drive', number: 0, full: true, homeSlot: 2, barcode: 'A00002' },
  { kind: 'drive', number: 1, full: false, homeSlot: 0, barcode: '' },
  { kind: 'slot', number: 1, full: true, homeSlot: 0, barcode: 'A00001' },
  { kind: 'slot', number: 2, full: false, homeSlot: 0, barcode: '' },
  { kind: 'slot', number: 3, full: true, homeSlot: 0, barcode: 'A00003' },
  { kind: 'slot', number: 4, full: false, homeSlot: 0, barcode: '' },
  { kind: 'slot', number: 5, full: false, homeSlot: 0, barcode: '' },
  { kind: 'import-export', number: 6, full: true, homeSlot: 0, barcode: 'B00001' },
  { kind: 'import-export', number: 7, full: false, homeSlot: 0, barcode: '' },
];
const set = (...n: number[]): Set<number> => new Set(n);
const pairs = (p: ReturnType<typeof planSlotMoves>): string => p.moves.map((m) => `${m.from}>${m.to}${m.releaseDrive === undefined ? '' : `(drive ${m.releaseDrive})`}`).join(' ');

test('import: the full mail slots into the first empty normal slots (a slot whose cartridge is in a drive is not empty)', () => {
  const p = planSlotMoves('import', LIBRARY, {});
  assert.equal(pairs(p), '6>4');
  assert.equal(p.moves[0]?.barcode, 'B00001');
  assert.equal(pairs(planSlotMoves('import', LIBRARY, { dst: set(5) })), '6>5');
  assert.equal(planSlotMoves('import', LIBRARY, { src: set(1) }).refused, 'Not all slots in source selection are import slots and filled.');
  const deselected = planSlotMoves('import', LIBRARY, { dst: set(2) });
  assert.deepEqual(deselected.warnings, ["Deselecting slot 2 doesn't have wanted content."], 'its cartridge is in a drive');
  assert.equal(pairs(deselected), '6>4', 'nothing left of dstslots: the free slots, as Bareos');
  const none = LIBRARY.map((e) => (e.number === 6 ? { ...e, full: false, barcode: '' } : e));
  assert.equal(planSlotMoves('import', none, {}).refused, 'Nothing to do');
});

test('export: by slot or by volume name, to the empty mail slots; a cartridge in a drive is released first', () => {
  assert.equal(pairs(planSlotMoves('export', LIBRARY, { src: set(3) })), '3>7');
  assert.equal(pairs(planSlotMoves('export', LIBRARY, { volumes: ['A00002'] })), '2>7(drive 0)');
  const unknown = planSlotMoves('export', LIBRARY, { volumes: ['Z9'] });
  assert.deepEqual(unknown.warnings, ['No volume named Z9 in changer or in selected source slots.']);
  assert.equal(unknown.refused, 'Cannot perform an export operation without source slot selection');
  assert.equal(planSlotMoves('export', LIBRARY, {}).refused, 'Cannot perform an export operation without source slot selection');
  assert.equal(planSlotMoves('export', LIBRARY, { src: set(1, 3) }).refused, 'Not enough free export slots available to export 2 volumes');
  assert.equal(planSlotMoves('export', LIBRARY, { src: set(6) }).refused, 'Not all slots in source selection are normal slots and filled.');
  assert.equal(planSlotMoves('export', LIBRARY, { src: set(1), dst: set(4) }).refused, 'Not all slots in destination selection are export slots and empty.');
});

test('move: any slots to any, both named; overlap and too few destinations refused', () => {
  assert.equal(pairs(planSlotMoves('move', LIBRARY, { src: set(1, 3), dst: set(4, 5) })), '1>4 3>5');
  assert.equal(planSlotMoves('move', LIBRARY, { src: set(1) }).refused, 'Cannot perform a move operation without source and/or destination selection');
  assert.equal(planSlotMoves('move', LIBRARY, { src: set(1, 3), dst: set(4) }).refused, "Source slot selection doesn't fit into destination slot selection.");
  assert.equal(planSlotMoves('move', LIBRARY, { src: set(1, 3), dst: set(3, 4) }).refused, 'Source slot selection and destination slot selection overlap.');
});
