/** The contract's answers parsed at the edge: what is accepted, what is refused and why (research note 8 B 13). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changerArgv } from './command-line.js';
import { parseList, parseListall, parseLoaded, parseSlots, saysSlotEmpty } from './contract.js';

test('list: slot:barcode lines; no barcode is a slot without a label reader; 3xxx lines pass; slot 0, x and illegal names are refused', () => {
  const out = parseList('1:A00001\n2:\n3xxx\n0:X\nx:X\n4:../etc\n3001 library door open\n 5:A00005 \r\n');
  assert.deepEqual(out.slots, [{ slot: 1, barcode: 'A00001' }, { slot: 2, barcode: null }, { slot: 5, barcode: 'A00005' }]);
  assert.deepEqual(out.messages, ['3001 library door open']);
  assert.equal(out.problems.length, 4);
  assert.match(out.problems[0]!, /"3xxx"/);
  assert.match(out.problems[3]!, /slot 4: illegal volume name "\.\.\/etc"/);
});

test('listall: D, S and I lines full and empty; an unknown type or a missing field is an error naming the line', () => {
  assert.deepEqual(parseListall('D:0:F:3:A00003\nD:1:E\nS:1:F:A00001\nS:3:E\nI:8:F:B00001\nI:9:E\n'), [
    { kind: 'drive', drive: 0, full: true, slot: 3, barcode: 'A00003' },
    { kind: 'drive', drive: 1, full: false },
    { kind: 'slot', slot: 1, full: true, barcode: 'A00001' },
    { kind: 'slot', slot: 3, full: false },
    { kind: 'import-export', slot: 8, full: true, barcode: 'B00001' },
    { kind: 'import-export', slot: 9, full: false },
  ]);
  assert.throws(() => parseListall('X:1:E\n'), /Illegal output from autochanger listall: "X:1:E": the type must be D, S or I/);
  assert.throws(() => parseListall('D:0:F\n'), /a full drive needs its home slot/);
  assert.throws(() => parseListall('S:0:E\n'), /no element number/);
  assert.throws(() => parseListall('S:2:Q\n'), /the state must be F or E/);
});

test('loaded and slots: a number, or nothing usable', () => {
  assert.equal(parseLoaded('0\n'), 0);
  assert.equal(parseLoaded('3001 note\n7\n'), 7);
  assert.equal(parseLoaded('slot seven'), undefined);
  assert.equal(parseSlots('80\n'), 80);
  assert.equal(parseSlots(''), undefined);
});

test('an empty slot is recognised by mtx\'s words with their capitals only', () => {
  assert.equal(saysSlotEmpty('mtx: Request Sense: Source Element Address 1003 is Empty'), true);
  assert.equal(saysSlotEmpty('source Element Address 3 is Empty'), false, "disk-changer's lower case is a hard error, as in Bareos");
});

test('the Changer Command\'s codes, filled in word by word (a value with a space stays one argument)', () => {
  const t = { command: '/usr/lib/burrow/scripts/mtx-changer %c %o %S %a %d %s %v %j %f %% %x', changerDevice: '/dev/sg0' };
  assert.deepEqual(changerArgv(t, { command: 'load', slot: 3, archiveDevice: '/dev/nst 1', drive: 1, volume: 'A00003', job: 'Backup.1', client: 'c1' }),
    ['/usr/lib/burrow/scripts/mtx-changer', '/dev/sg0', 'load', '3', '/dev/nst 1', '1', '2', 'A00003', 'Backup.1', 'c1', '%', '%x']);
  assert.deepEqual(changerArgv({ ...t, command: 'mtx-changer %c %o %S %a %d' }, { command: 'transfer', slot: 3, destination: 7 }),
    ['mtx-changer', '/dev/sg0', 'transfer', '3', '7', '0'], 'transfer: %S the source, %a the destination');
  assert.deepEqual(changerArgv({ ...t, command: 'mtx-changer %c %o %S %a %d' }, { command: 'list' }), ['mtx-changer', '/dev/sg0', 'list', '0', '', '0']);
});
