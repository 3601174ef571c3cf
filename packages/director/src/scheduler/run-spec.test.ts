import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRun } from './run-spec.js';
import { firingsBetween, isoWeek } from './calendar.js';

const at = (s: string): number => new Date(s).getTime();
const fire = (line: string, from: string, until: string): string[] =>
  firingsBetween([{ run: parseRun(line), item: null }], at(from), at(until)).map((f) => {
    const d = new Date(f.time);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  });

test('overrides and the default of daily at 00:00', () => {
  const r = parseRun('Level=Full Pool=Weekly Storage=File Messages=Standard Priority=5 Accurate=yes');
  assert.deepEqual(r.overrides, { level: 'Full', pool: 'Weekly', storage: 'File', messages: 'Standard', priority: 5, accurate: true });
  assert.deepEqual(fire('Level=Full', '2026-03-01T10:00', '2026-03-03T23:59'), ['2026-03-02 00:00', '2026-03-03 00:00']);
  assert.equal(parseRun('Incremental mon-sat at 23:05').overrides.level, 'Incremental');
});

test('the stock weekly cycle: full on the first Sunday, incrementals the other days', () => {
  // March 2026: Sunday the 1st, 8th, 15th...
  assert.deepEqual(fire('Level=Full 1st sun at 23:05', '2026-03-01T00:00', '2026-03-31T23:59'), ['2026-03-01 23:05']);
  assert.deepEqual(fire('Level=Differential 2nd-5th sun at 23:05', '2026-03-01T00:00', '2026-03-31T23:59'),
    ['2026-03-08 23:05', '2026-03-15 23:05', '2026-03-22 23:05', '2026-03-29 23:05']);
  const incs = fire('Level=Incremental mon-sat at 23:05', '2026-03-01T00:00', '2026-03-08T00:00');
  assert.deepEqual(incs, ['2026-03-02 23:05', '2026-03-03 23:05', '2026-03-04 23:05', '2026-03-05 23:05', '2026-03-06 23:05', '2026-03-07 23:05']);
});

test('hourly, am/pm, last, months, days, week ranges and modulos', () => {
  assert.deepEqual(fire('hourly at 0:15', '2026-03-02T10:00', '2026-03-02T12:59'), ['2026-03-02 10:15', '2026-03-02 11:15', '2026-03-02 12:15']);
  assert.deepEqual(fire('daily at 1:30pm', '2026-03-02T00:00', '2026-03-02T23:59'), ['2026-03-02 13:30']);
  assert.deepEqual(fire('daily at 12:00am', '2026-03-01T23:59', '2026-03-02T23:59'), ['2026-03-02 00:00']);
  assert.deepEqual(fire('last fri at 20:00', '2026-03-01T00:00', '2026-04-30T23:59'), ['2026-03-27 20:00', '2026-04-24 20:00']);
  assert.deepEqual(fire('monthly on 15 at 02:00', '2026-01-01T00:00', '2026-03-31T23:59'), ['2026-01-15 02:00', '2026-02-15 02:00', '2026-03-15 02:00']);
  assert.deepEqual(fire('jan-feb 1 at 3:00', '2026-01-01T00:00', '2026-12-31T23:59'), ['2026-01-01 03:00', '2026-02-01 03:00']);
  assert.deepEqual(fire('28-2 at 4:00', '2026-02-25T00:00', '2026-03-03T23:59'), ['2026-02-28 04:00', '2026-03-01 04:00', '2026-03-02 04:00']);
  assert.deepEqual(fire('1/10 at 5:00', '2026-03-01T00:00', '2026-03-31T23:59'), ['2026-03-01 05:00', '2026-03-11 05:00', '2026-03-21 05:00', '2026-03-31 05:00']);
  assert.equal(isoWeek(new Date('2026-03-02T12:00')), 10);
  assert.deepEqual(fire('w10 mon at 6:00', '2026-01-01T00:00', '2026-12-31T23:59'), ['2026-03-02 06:00']);
  // Mondays of March 2026 are in ISO weeks 10-14: the even ones fire.
  assert.deepEqual(fire('w00/w02 mon at 6:00', '2026-03-01T00:00', '2026-03-31T23:59'), ['2026-03-02 06:00', '2026-03-16 06:00', '2026-03-30 06:00']);
  assert.equal(fire('w01-w52 weekly on sat at 7:00', '2026-03-01T00:00', '2026-03-31T23:59').length, 4);
  assert.deepEqual(fire('1st, 3rd wed at 8:00', '2026-03-01T00:00', '2026-03-31T23:59'), ['2026-03-04 08:00', '2026-03-18 08:00']);
});

test('bad Run lines say what is wrong', () => {
  assert.throws(() => parseRun('Level=Ful at 1:00'), /Level=Ful is not Full/);
  assert.throws(() => parseRun('mon 23:05'), /must follow the keyword "at"/);
  assert.throws(() => parseRun('at 25:00'), /not a time of day/);
  assert.throws(() => parseRun('every tuesday'), /"every" is not a day/);
  assert.throws(() => parseRun('32 at 1:00'), /day 32 is outside/);
  assert.throws(() => parseRun('mon-jan at 1:00'), /not a range/);
  assert.throws(() => parseRun('Colour=blue daily'), /not a Run override/);
});
