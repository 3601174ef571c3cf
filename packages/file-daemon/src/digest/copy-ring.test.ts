import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CopyRing } from './copy-ring.js';

const bytes = (n: number, v: number): Buffer => Buffer.alloc(n, v);

test('copies land in shared memory, wrap at the end, and are refused until the oldest is taken', () => {
  const ring = new CopyRing(100);
  const a = ring.copy(bytes(40, 1));
  const b = ring.copy(bytes(40, 2));
  assert.ok(a && b && a.buffer instanceof SharedArrayBuffer);
  assert.equal(ring.copy(bytes(30, 3)), null, '20 bytes left at the end, and the start is held');
  ring.taken(); // a is free: the copy wraps to the start, skipping the last 20 bytes
  const c = ring.copy(bytes(30, 3));
  assert.ok(c);
  assert.equal(c.byteOffset, 0);
  assert.deepEqual([...new Set(b)], [2], 'b is untouched by the wrap');
  assert.equal(ring.copy(bytes(20, 4)), null, '10 free before b, the skipped tail counts as held');
  ring.none(); // an update that held nothing
  ring.taken(); // b
  ring.taken(); // c, and the tail skipped for it
  assert.equal(ring.busy, true, 'the update that held nothing is still out');
  ring.taken();
  assert.equal(ring.busy, false);
  assert.ok(ring.copy(bytes(100, 5)), 'empty again: the whole ring is free');
  assert.equal(new CopyRing(10).copy(bytes(11, 1)), null, 'larger than the ring: never');
});
