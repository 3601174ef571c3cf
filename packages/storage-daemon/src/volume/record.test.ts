import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { RECORD_CONTINUED, RECORD_CONTINUES, RECORD_HEADER_SIZE, decodeRecords, encodeRecords } from './record.js';

test('records round-trip, including negative file indexes, flags and empty data', () => {
  const frags = [
    { fileIndex: -2, stream: 0, flags: 0, data: Buffer.from([1, 2, 3]) },
    { fileIndex: 1, stream: 1, flags: 0, data: Buffer.alloc(0) },
    { fileIndex: 0x7fffffff, stream: 2, flags: RECORD_CONTINUES | RECORD_CONTINUED, data: Buffer.from('middle') },
  ];
  const payload = encodeRecords(frags);
  assert.equal(payload.length, 3 * RECORD_HEADER_SIZE + 3 + 0 + 6);
  assert.equal(payload.readUIntBE(13, 3), 0, 'reserved bytes are zero');
  assert.deepEqual(decodeRecords(payload), frags);
});

test('a record that overruns its payload or a cut header is refused', () => {
  const payload = encodeRecords([{ fileIndex: 1, stream: 1, flags: 0, data: Buffer.from('abcdef') }]);
  assert.throws(() => decodeRecords(payload.subarray(0, payload.length - 1)),
    (e: unknown) => e instanceof BurrowError && e.code === 'VOLUME_FORMAT');
  assert.throws(() => decodeRecords(Buffer.concat([payload, Buffer.alloc(5)])), /cut short/);
});
