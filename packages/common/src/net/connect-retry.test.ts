import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { BurrowError } from '../errors/index.js';
import { connect } from './client.js';
import { connectRetrying, type RetryClock } from './connect-retry.js';

/** A clock that moves only when slept on, or when a try says it took time. */
function fakeClock(): RetryClock & { at: number; slept: number[] } {
  const c = {
    at: 0,
    slept: [] as number[],
    now: () => c.at,
    sleep: (ms: number) => {
      c.slept.push(ms);
      c.at += ms;
      return Promise.resolve();
    },
  };
  return c;
}

const refused = (): BurrowError => new BurrowError('CONNECTION', 'cannot connect to File daemon "fd1" at 10.0.0.1:9102: connect ECONNREFUSED');

test('a peer that is not there is tried again, pausing 1 s, 2 s, 4 s ... up to 10 s, until the timeout; then the last error, the tries and the directive', async () => {
  const clock = fakeClock();
  const notices: string[] = [];
  const times: number[] = [];
  const err = await connectRetrying(() => {
    times.push(clock.at);
    return Promise.reject(refused());
  }, { timeoutMs: 30_000, directive: 'FD Connect Timeout', clock, onRetry: (t) => notices.push(t) }).catch((e: unknown) => e as BurrowError);
  assert.deepEqual(times, [0, 1_000, 3_000, 7_000, 15_000, 25_000]);
  assert.deepEqual(clock.slept, [1_000, 2_000, 4_000, 8_000, 10_000, 5_000]);
  assert.equal(err.code, 'CONNECTION');
  assert.equal(err.message, 'cannot connect to File daemon "fd1" at 10.0.0.1:9102: connect ECONNREFUSED; gave up after 6 tries in 30 s (FD Connect Timeout = 30 s)');
  // Said once, as Bareos does, and again only after five minutes of failing.
  assert.deepEqual(notices, ['cannot connect to File daemon "fd1" at 10.0.0.1:9102: connect ECONNREFUSED. Retrying ... (for up to 30 s, the FD Connect Timeout)']);
});

test('a peer that comes back within the timeout is connected to; "Retrying ..." is said again every five minutes', async () => {
  const clock = fakeClock();
  const notices: number[] = [];
  const got = await connectRetrying((tryMs) => {
    if (clock.at < 12 * 60_000) return Promise.reject(refused());
    return Promise.resolve(`connected, try of ${tryMs} ms`);
  }, { timeoutMs: 30 * 60_000, directive: 'SD Connect Timeout', clock, onRetry: () => notices.push(clock.at) });
  assert.equal(got, 'connected, try of 15000 ms');
  assert.equal(notices.length, 3);
  assert.equal(notices[0], 0);
  assert.ok(notices[1]! >= 5 * 60_000 && notices[1]! < 5 * 60_000 + 10_000);
});

test('a try is given at most what is left of the timeout: a silent peer costs the timeout, not 15 s more', async () => {
  const clock = fakeClock();
  const given: number[] = [];
  const err = await connectRetrying((tryMs) => {
    given.push(tryMs);
    clock.at += tryMs;
    return Promise.reject(new BurrowError('TIMEOUT', 'no answer from Storage daemon "sd1" at 10.0.0.2:9103'));
  }, { timeoutMs: 20_000, directive: 'SD Connect Timeout', clock }).catch((e: unknown) => e as BurrowError);
  assert.deepEqual(given, [15_000, 4_000]);
  assert.match(err.message, /gave up after 2 tries in 20 s \(SD Connect Timeout = 20 s\)$/);
});

test('a wrong password, a bad greeting, an unknown host and a cancel end the tries at once', async () => {
  for (const failure of [
    new BurrowError('AUTH_FAILED', 'authentication failed'),
    new BurrowError('PROTOCOL', 'speaks protocol 9'),
    new BurrowError('CONNECTION', 'getaddrinfo ENOTFOUND nowhere', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
  ]) {
    let tries = 0;
    const err = await connectRetrying(() => {
      tries++;
      return Promise.reject(failure);
    }, { timeoutMs: 60_000, directive: 'FD Connect Timeout', clock: fakeClock() }).catch((e: unknown) => e);
    assert.equal(err, failure);
    assert.equal(tries, 1, failure.message);
  }
  const stop = new AbortController();
  const clock = fakeClock();
  const err = await connectRetrying(() => {
    if (clock.at > 0) stop.abort();
    return Promise.reject(refused());
  }, { timeoutMs: 60_000, directive: 'FD Connect Timeout', clock, signal: stop.signal }).catch((e: unknown) => e as BurrowError);
  assert.equal(err.code, 'CONNECTION');
  assert.equal(clock.slept.length, 1);
});

test('alsoRetry: a failure the caller knows to be passing is tried again while it says so', async () => {
  let tries = 0;
  const got = await connectRetrying(() => (++tries < 3 ? Promise.reject(new BurrowError('AUTH_FAILED', 'key not known yet')) : Promise.resolve('in')), {
    timeoutMs: 60_000, directive: 'FD Connect Timeout', clock: fakeClock(), alsoRetry: (e, n) => e.code === 'AUTH_FAILED' && n < 5,
  });
  assert.equal(got, 'in');
});

test('on a real socket: a port nobody listens on is refused and tried again; a peer that accepts and stays silent is cut at the try time', async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  try {
    const started = Date.now();
    const err = await connectRetrying((tryMs) => connect({
      host: '127.0.0.1', port, self: { role: 'director', name: 'dir' }, secret: 'pw', peer: { role: 'client', name: 'fd1' },
      describeTarget: 'File daemon "fd1"', timeoutMs: tryMs,
    }), { timeoutMs: 600, directive: 'FD Connect Timeout' }).then(() => assert.fail('connected to a silent peer'), (e: unknown) => e as BurrowError);
    const took = Date.now() - started;
    assert.equal(err.code, 'TIMEOUT');
    assert.match(err.message, /^no answer from File daemon "fd1" at 127\.0\.0\.1:\d+ within 0\.6 s; gave up after (one try|2 tries) in [\d.]+ s \(FD Connect Timeout = 0\.6 s\)$/);
    assert.ok(took >= 550 && took < 3_000, `gave up after ${took} ms`);
  } finally {
    silent.close();
  }
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  let tries = 0;
  const err = await connectRetrying(() => {
    tries++;
    return connect({
      host: '127.0.0.1', port: closedPort, self: { role: 'director', name: 'dir' }, secret: 'pw', peer: { role: 'client', name: 'fd1' },
      describeTarget: 'File daemon "fd1"',
    });
  }, { timeoutMs: 1_500, directive: 'FD Connect Timeout', firstPauseMs: 100 }).then(() => assert.fail('connected to a closed port'), (e: unknown) => e as BurrowError);
  assert.equal(err.code, 'CONNECTION');
  assert.match(err.message, /ECONNREFUSED.*; gave up after \d+ tries in [\d.]+ s \(FD Connect Timeout = 1\.5 s\)$/);
  assert.ok(tries >= 3, `${tries} tries`);
});
