import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Waiters } from './waiters.js';

test('waiters wake one at a time in order, all at once, or leave when their signal aborts', async () => {
  const w = new Waiters();
  const woken: number[] = [];
  const leaving = new AbortController();
  const a = w.wait().then(() => woken.push(1));
  const b = w.wait(leaving.signal).then(() => woken.push(2));
  const c = w.wait().then(() => woken.push(3));
  leaving.abort(new Error('canceled'));
  await assert.rejects(b, /canceled/);
  assert.equal(w.size, 2);
  assert.equal(w.wakeOne(), true);
  await a;
  assert.deepEqual(woken, [1]);
  w.wakeAll();
  await c;
  assert.deepEqual(woken, [1, 3]);
  assert.equal(w.wakeOne(), false);
  await assert.rejects(w.wait(AbortSignal.abort(new Error('already'))), /already/);
});
