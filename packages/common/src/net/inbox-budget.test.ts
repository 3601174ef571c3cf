/** The process's inbox budget: channels together hold at most about its limit unread, and every consumer still gets all its messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { InboxBudget } from './channel.js';
import { channelPair } from './testing.js';

const FD = { role: 'client', name: 'fd' } as const;
const LINE = 'x'.repeat(8 * 1024);
const LIMIT = 64 * 1024;
/** What one socket read may deliver past the limit before its channel pauses. */
const READ_SLACK = 64 * 1024 + 2 * LINE.length;

test('two channels sharing a budget hold about its limit unread, and each consumer still gets every message', async () => {
  const budget = new InboxBudget(LIMIT);
  await using a = await channelPair(FD, undefined, budget);
  await using b = await channelPair(FD, undefined, budget);
  // Far ends send much more than the budget (40 x 8 KiB each); nobody reads yet.
  const sending = Promise.all([a, b].map(async (p) => {
    for (let i = 0; i < 40; i++) await p.far.send('jobMessage', { jobId: 1, level: 'info', text: `${i} ${LINE}` });
  }));
  await sleep(300);
  assert.ok(budget.bytes >= LIMIT, `only ${budget.bytes} bytes held: the test sent too little`);
  assert.ok(budget.bytes <= LIMIT + 2 * READ_SLACK, `${budget.bytes} bytes held unread, limit ${LIMIT}`);
  // One consumer reads all its messages while the other reads nothing: no wait on a paused inbox.
  for (let i = 0; i < 40; i++) assert.ok((await a.near.expect('jobMessage')).text.startsWith(`${i} `));
  for (let i = 0; i < 40; i++) assert.ok((await b.near.expect('jobMessage')).text.startsWith(`${i} `));
  await sending;
  assert.equal(budget.bytes, 0);
});

test('a channel that ends gives its unread share back', async () => {
  const budget = new InboxBudget(LIMIT);
  const a = await channelPair(FD, undefined, budget);
  for (let i = 0; i < 4; i++) await a.far.send('jobMessage', { jobId: 1, level: 'info', text: LINE });
  await sleep(100);
  assert.ok(budget.bytes > 0);
  await a[Symbol.asyncDispose]();
  await sleep(50);
  assert.equal(budget.bytes, 0);
});
