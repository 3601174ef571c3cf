import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '../errors/index.js';
import type { Channel } from './channel.js';
import type { RetryClock } from './connect-retry.js';
import { SessionRegistry } from './job-sessions.js';
import { derivePsk } from './psk.js';

/** A clock that moves only when the test says: sleepers wake once it has moved past their time. */
function manualClock(): RetryClock & { advance: (ms: number) => Promise<void>; sleepers: number } {
  let at = 0;
  const waiting = new Set<{ until: number; wake: () => void }>();
  return {
    now: () => at,
    sleep: (ms, signal) => new Promise<void>((resolve) => {
      const w = { until: at + ms, wake: () => { waiting.delete(w); resolve(); } };
      waiting.add(w);
      signal.addEventListener('abort', w.wake, { once: true });
    }),
    get sleepers() {
      return waiting.size;
    },
    advance: async (ms) => {
      at += ms;
      for (const w of [...waiting]) if (w.until <= at) w.wake();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const WAIT = { connecting: 'the Storage daemon', directive: 'SD Connect Timeout' };

test('a session waits its directive\'s time for its connection, not a fixed minute, then fails naming the directive', async () => {
  const clock = manualClock();
  const sessions = new SessionRegistry({ ...WAIT, claimTimeoutMs: 30 * 60_000, clock });
  const opened = sessions.open(7, Buffer.alloc(32, 1));
  let outcome: unknown = 'waiting';
  opened.client.then((c) => { outcome = c; }, (e: unknown) => { outcome = e; });
  await clock.advance(60_000);
  assert.equal(outcome, 'waiting', 'gave up after a minute');
  assert.ok(sessions.pskFor({ role: 'job', name: '7' }), 'the token stopped working before its time');
  await clock.advance(29 * 60_000 - 1);
  assert.equal(outcome, 'waiting');
  await clock.advance(1);
  const failed = outcome as unknown;
  assert.ok(failed instanceof BurrowError);
  assert.equal(failed.code, 'TIMEOUT');
  assert.equal(failed.message, 'the Storage daemon did not connect for JobId 7 within 1800 s (SD Connect Timeout)');
  assert.equal(sessions.pskFor({ role: 'job', name: '7' }), undefined, 'an expired token still works');
});

test('a claimed or withdrawn session stops waiting: no timeout fires later', async () => {
  const clock = manualClock();
  const sessions = new SessionRegistry({ ...WAIT, claimTimeoutMs: 1000, clock });
  const claimed = sessions.open(1);
  const withdrawn = sessions.open(2);
  assert.equal(clock.sleepers, 2);
  const channel = { peer: { role: 'job', name: '1' } } as unknown as Channel;
  sessions.claim(channel);
  withdrawn.cancel();
  assert.equal(await claimed.client, channel);
  await assert.rejects(withdrawn.client, (e: unknown) => e instanceof BurrowError && e.code === 'JOB_CANCELED');
  assert.equal(clock.sleepers, 0, 'a wait outlived its session');
  // The same job may open again, and waits afresh.
  const again = sessions.open(1);
  await clock.advance(999);
  assert.ok(sessions.pskFor({ role: 'job', name: '1' }));
  await clock.advance(1);
  await assert.rejects(again.client, /within 1 s \(SD Connect Timeout\)/);
});

test('withdrawing a claimed session leaves a later session of the same job waiting', async () => {
  const sessions = new SessionRegistry({ ...WAIT, claimTimeoutMs: 1000, clock: manualClock() });
  const first = sessions.open(3, Buffer.alloc(32, 1));
  sessions.claim({ peer: { role: 'job', name: '3' } } as unknown as Channel);
  await first.client;
  // A passive client's next read session: another Storage daemon, another token.
  const next = sessions.open(3, Buffer.alloc(32, 2));
  first.cancel();
  const peer = { role: 'job', name: '3' } as const;
  assert.deepEqual(sessions.pskFor(peer), derivePsk(Buffer.alloc(32, 2), peer), 'the first session\'s cancel withdrew the next one\'s token');
  next.cancel();
  assert.equal(sessions.pskFor(peer), undefined);
});
