import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SLICED_UP_TO, SlabPool } from './slab-pool.js';
import { FramePool } from './frame-pool.js';

describe('slab slices for small frames and chunks', () => {
  it('cuts slices that do not overlap, and serves a slab again only once every slice came back', () => {
    const pool = new SlabPool(2);
    const a = pool.take(10_000);
    const b = pool.take(20_000);
    assert.equal(a.buffer, b.buffer, 'one slab');
    assert.ok(b.byteOffset >= a.byteOffset + a.length, 'slices do not overlap');
    a.fill(1);
    b.fill(2);
    // Fill the slab: the next slices come from a new one while `a` and `b` are out.
    const rest: Buffer[] = [];
    for (let i = 0; i < 20; i++) rest.push(pool.take(60_000));
    assert.ok(rest.some((r) => r.buffer !== a.buffer), 'a second slab once the first is full');
    pool.give(a);
    pool.give(a); // a second give is ignored
    for (const r of rest) if (r.buffer === a.buffer) pool.give(r);
    // `b` is still out: its slab is not cut again.
    const later: Buffer[] = [];
    for (let i = 0; i < 40; i++) later.push(pool.take(60_000));
    assert.ok(later.every((l) => l.buffer !== b.buffer), 'a slab with a slice out is never cut again');
    assert.ok(b.equals(Buffer.alloc(20_000, 2)), 'nothing overwrote a slice still out');
    pool.give(b);
    for (const l of later) pool.give(l);
    let again = false;
    for (let i = 0; i < 40 && !again; i++) again = pool.take(60_000).buffer === b.buffer;
    assert.ok(again, 'the slab serves again once all its slices came back');
  });

  it('ignores a stale view given back after its slab serves again, and buffers it did not cut', () => {
    const pool = new SlabPool(1);
    const first = pool.take(1000);
    pool.give(first);
    const second = pool.take(1000); // the same place of the same slab, cut again
    assert.equal(second.buffer, first.buffer);
    assert.equal(second.byteOffset, first.byteOffset);
    pool.give(first); // stale: must not free `second`
    const third = pool.take(1000);
    assert.ok(third.byteOffset >= second.byteOffset + second.length, '`second` is still out');
    pool.give(Buffer.alloc(100));
    pool.give(Buffer.from(second.buffer, second.byteOffset, second.length)); // another view of it
    assert.ok(pool.take(1000).byteOffset > third.byteOffset, '`second` is still out');
    assert.throws(() => pool.take(SLICED_UP_TO + 1), RangeError);
  });

  it('a frame pool with slabs cuts frames of its range from them, and gives every kind back', () => {
    const pool = new FramePool(2, { slicedFrom: 4096 });
    const small = pool.take(100);
    assert.equal(small.pooled, false, 'under slicedFrom: a fresh buffer');
    const mid = pool.take(10_000);
    assert.equal(mid.pooled, true);
    const large = pool.take(512 * 1024);
    assert.equal(large.pooled, true);
    assert.notEqual(mid.frame.buffer, large.frame.buffer);
    const copy = pool.copyOf(Buffer.alloc(5000, 7));
    assert.equal(copy.buffer, mid.frame.buffer, 'the next slice of the same slab');
    assert.ok(copy.equals(Buffer.alloc(5000, 7)));
    pool.give(mid.frame);
    pool.give(copy);
    assert.equal(pool.take(8000).frame.byteOffset, 0, 'every slice back: the slab is cut again from its start');
    pool.give(large.frame);
    assert.equal(pool.take(600 * 1024).frame.buffer, large.frame.buffer);
  });
});
