import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Reassembly, type CompleteRecord, type FragmentOutcome, type RecordBufferPool } from './reassembly.js';
import { RECORD_CONTINUED, RECORD_CONTINUES } from './record.js';

const place = { sessionId: 1, addr: 0, volumeName: 'V', maybeMidRecord: false };
const all = (): boolean => true;

function recordOf(out: FragmentOutcome[]): CompleteRecord {
  const [o] = out;
  assert.ok(o !== undefined && o.kind === 'record');
  return o.record;
}

/** A pool of one reused buffer, enough to see when a buffer is given back. */
function onePool(): RecordBufferPool {
  let spare: Buffer | null = null;
  const lent = new Set<ArrayBufferLike>();
  return {
    take: (length) => {
      const whole = spare ?? Buffer.allocUnsafeSlow(2 * 1024 * 1024);
      spare = null;
      lent.add(whole.buffer);
      return { frame: whole.subarray(0, length), pooled: true };
    },
    give: (view) => {
      if (!lent.delete(view.buffer)) return;
      spare = Buffer.from(view.buffer, 0, 2 * 1024 * 1024);
    },
  };
}

test('a record split over blocks is put together in a pooled buffer that serves the next one once released', () => {
  const pool = onePool();
  const r = new Reassembly(pool);
  const split = (fileIndex: number, bytes: Buffer): CompleteRecord => {
    const cut = 300_000;
    assert.deepEqual(r.add({ fileIndex, stream: 2, flags: RECORD_CONTINUES, data: bytes.subarray(0, cut) }, place, all), []);
    return recordOf(r.add({ fileIndex, stream: 2, flags: RECORD_CONTINUED, data: bytes.subarray(cut) }, place, all));
  };
  const a = randomBytes(1024 * 1024 + 8);
  const first = split(1, a);
  assert.ok(first.data.equals(a));
  assert.ok(first.release !== undefined, 'a large record comes with release');
  const b = randomBytes(1024 * 1024 + 8);
  const second = split(2, b);
  assert.ok(first.data.equals(a), 'not released: the first record keeps its bytes');
  assert.notEqual(second.data.buffer, first.data.buffer);
  first.release?.();
  const c = randomBytes(900_000);
  const third = split(3, c);
  assert.equal(third.data.buffer, first.data.buffer, 'the released buffer served again');
  assert.ok(third.data.equals(c) && second.data.equals(b));
  // A whole record in one fragment is the fragment itself; without a pool, a fresh buffer.
  const whole = randomBytes(500);
  assert.equal(recordOf(r.add({ fileIndex: 4, stream: 2, flags: 0, data: whole }, place, all)).data, whole);
  const plain = new Reassembly();
  assert.deepEqual(plain.add({ fileIndex: 1, stream: 2, flags: RECORD_CONTINUES, data: a.subarray(0, 10) }, place, all), []);
  const got = recordOf(plain.add({ fileIndex: 1, stream: 2, flags: RECORD_CONTINUED, data: a.subarray(10) }, place, all));
  assert.ok(got.data.equals(a) && got.release === undefined);
});
