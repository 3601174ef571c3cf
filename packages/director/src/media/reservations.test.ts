import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { VolumeReservations } from './reservations.js';

test('a job waits until the volume another job is mounting is committed, or dropped', async () => {
  const r = new VolumeReservations();
  await r.untilSettled('Vol-1', 2); // nobody holds it: at once
  r.hold(1, 'Vol-1', true);
  await r.untilSettled('Vol-1', 1); // its own pending hold does not count
  let settled = false;
  const waiting = r.untilSettled('Vol-1', 2).then(() => { settled = true; });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'pending for job 1');
  r.mounted(1, 'Vol-1');
  await waiting;
  assert.equal(settled, true);

  r.hold(3, 'Vol-2', true);
  const dropped = r.untilSettled('Vol-2', 4);
  r.release(3);
  await dropped;

  r.hold(5, 'Vol-3', true);
  const cancel = new AbortController();
  const canceled = r.untilSettled('Vol-3', 6, cancel.signal);
  cancel.abort(new Error('canceled'));
  await assert.rejects(canceled, /canceled/);
});

test('volume searches take turns: the next starts once the one before has ended, even while it waits; a failed one ends its turn', async () => {
  const r = new VolumeReservations();
  const order: string[] = [];
  const first = r.inTurn(async () => {
    order.push('first starts');
    await yieldToLoop();
    order.push('first ends');
  });
  const second = r.inTurn(async () => { order.push('second'); });
  const failing = r.inTurn(async () => { throw new Error('no volume'); });
  const last = r.inTurn(async () => { order.push('last'); });
  await Promise.all([first, second, assert.rejects(failing, /no volume/), last]);
  assert.deepEqual(order, ['first starts', 'first ends', 'second', 'last']);
});
