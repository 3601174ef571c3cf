import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { agreedHeartbeat } from './heartbeat.js';
import { channelPair } from './testing.js';

const FD = { role: 'client', name: 'fd' } as const;

test('the interval both ends use: the shorter of those set', () => {
  assert.equal(agreedHeartbeat(0, 0), 0);
  assert.equal(agreedHeartbeat(2000, 0), 2000);
  assert.equal(agreedHeartbeat(0, 1000), 1000);
  assert.equal(agreedHeartbeat(2000, 1000), 1000);
});

test('idle ends that both beat stay connected; an end that falls silent is taken as gone after two intervals', async () => {
  await using pair = await channelPair(FD);
  pair.near.keepAlive(200);
  pair.far.keepAlive(200);
  await sleep(1000);
  assert.equal(pair.near.closed, false, pair.near.closeReason);
  assert.equal(pair.far.closed, false, pair.far.closeReason);

  await using silent = await channelPair(FD);
  const started = Date.now();
  silent.near.keepAlive(200);
  const err = await silent.near.receive().then(() => undefined, (e: Error) => e);
  const after = Date.now() - started;
  assert.match(String(err?.message), /no sign of life from client "fd" .* \(Heartbeat Interval 0\.2 s\)/);
  assert.ok(after >= 400 && after < 1500, `taken as gone after ${after} ms`);
});

test('a peer is not blamed for the time we did not read: silence counts only while we read', async () => {
  await using pair = await channelPair(FD);
  // The far end fills our inbox past its mark (we stop reading), then says nothing more.
  // The heartbeat starts once it has: a loaded machine may pause the sending loop itself
  // for longer than the 0.5 s this test allows, and that silence would be the peer's.
  for (let i = 0; i < 300; i++) await pair.far.send('jobMessage', { jobId: 1, level: 'info', text: `line ${i}` });
  await sleep(50);
  pair.near.keepAlive(200);
  await sleep(1000);
  assert.equal(pair.near.closed, false, pair.near.closeReason);
  // Read it all: now the silence is the peer's, and two intervals later it is gone.
  for (let i = 0; i < 300; i++) await pair.near.expect('jobMessage');
  await assert.rejects(pair.near.receive(), /no sign of life/);
});
