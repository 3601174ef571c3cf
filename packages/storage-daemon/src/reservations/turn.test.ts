import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Turn } from './turn.js';

test('a turn serves one at a time in arrival order, and a waiter may give up', async () => {
  const turn = new Turn();
  const order: string[] = [];
  const first = await turn.take();
  const second = turn.run(async () => { order.push('second'); });
  const quitter = new AbortController();
  const gaveUp = turn.run(async () => { order.push('quitter'); }, quitter.signal);
  const third = turn.run(async () => { order.push('third'); });
  quitter.abort(new Error('canceled'));
  await assert.rejects(gaveUp, /canceled/);
  order.push('first');
  first();
  first(); // twice does nothing
  await Promise.all([second, third]);
  assert.deepEqual(order, ['first', 'second', 'third']);
  // Free again: a failed task passes the turn on too.
  await assert.rejects(turn.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await turn.run(async () => 'free'), 'free');
});
