import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../time/clock.js';
import { TokenStore } from './tokens.js';

test('a token stands for its console until it expires or is revoked', async () => {
  const clock = new ManualClock(1_000_000);
  const tokens = new TokenStore(clock, () => 60_000);
  const a = tokens.issue('alice', '127.0.0.1');
  const b = tokens.issue('*UserAgent*', '::1');
  assert.notEqual(a.token, b.token);
  assert.equal(a.expiresAt, 1_060_000);
  assert.equal(tokens.find(a.token)?.consoleName, 'alice');
  assert.equal(tokens.find(a.token)?.session.address, '127.0.0.1');
  assert.equal(tokens.find('forged'), undefined);
  assert.ok(tokens.revoke(b.token));
  assert.equal(tokens.find(b.token), undefined);
  await clock.advanceTo(1_059_999);
  assert.ok(tokens.find(a.token));
  await clock.advanceTo(1_060_000);
  assert.equal(tokens.find(a.token), undefined);
});

test('each login keeps its own console session', () => {
  const tokens = new TokenStore(new ManualClock(0), () => 1000);
  const one = tokens.issue('alice', '127.0.0.1');
  const two = tokens.issue('alice', '127.0.0.1');
  assert.notEqual(tokens.find(one.token)?.session, tokens.find(two.token)?.session);
});
