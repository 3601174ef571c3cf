import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseSize, tryBoolean, trySize } from './units.js';

test('sizes follow Bareos: k/m/g are binary, kb/mb/gb decimal, any case', () => {
  assert.equal(parseSize('100'), 100);
  assert.equal(parseSize('512k'), 512 * 1024);
  assert.equal(parseSize('512 K'), 512 * 1024);
  assert.equal(parseSize('1kb'), 1000);
  assert.equal(parseSize('10 GB'), 10_000_000_000);
  assert.equal(parseSize('10g'), 10 * 1024 ** 3);
  assert.equal(parseSize('1.5 MB'), 1_500_000);
  assert.equal(parseSize('1.5m'), 1.5 * 1024 * 1024);
  assert.equal(parseSize('2t'), 2 * 1024 ** 4);
  assert.equal(parseSize('1g 512m'), 1024 ** 3 + 512 * 1024 ** 2);
});

test('bad sizes are rejected', () => {
  for (const bad of ['', 'GB', '10 XB', '-5', '10 bytes', 'ten']) assert.equal(trySize(bad), undefined, bad);
  assert.throws(() => parseSize('lots'), RangeError);
});

test('durations follow Bareos, including m meaning months', () => {
  assert.equal(parseDuration('60'), 60);
  assert.equal(parseDuration('30 days'), 30 * 86400);
  assert.equal(parseDuration('1 year 6 months'), 365 * 86400 + 6 * 30 * 86400);
  assert.equal(parseDuration('1h30min'), 5400);
  assert.equal(parseDuration('1h 30n'), 5400);
  assert.equal(parseDuration('1h30m'), 3600 + 30 * 30 * 86400);
  assert.equal(parseDuration('2 weeks'), 14 * 86400);
  assert.equal(parseDuration('1 quarter'), 91 * 86400);
  assert.equal(parseDuration('90 sec'), 90);
  assert.equal(parseDuration('1 Day 2 Hours'), 86400 + 7200);
  assert.throws(() => parseDuration('3 fortnights'), RangeError);
  assert.throws(() => parseDuration(''), RangeError);
});

test('booleans', () => {
  for (const t of ['yes', 'YES', 'true', 'On']) assert.equal(tryBoolean(t), true);
  for (const f of ['no', 'False', 'off']) assert.equal(tryBoolean(f), false);
  assert.equal(tryBoolean('maybe'), undefined);
});
