import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BurrowError } from '@burrow/common/errors/index';
import { channelPair } from '@burrow/common/net/testing';
import type { JobLines } from '../messages/job-lines.js';
import { awaitClientEnd } from './job-end.js';

function lines(): JobLines & { got: string[] } {
  const got: string[] = [];
  const add = (text: string): void => { got.push(text); };
  return { got, info: add, warning: add, error: add, mount: add, relay: (level, text) => add(`${level}: ${text}`) };
}

test("the File daemon's end: its log lines relayed, its counts returned", async () => {
  await using pair = await channelPair({ role: 'client', name: 'client1-fd' });
  const log = lines();
  await pair.far.send('jobMessage', { jobId: 1, level: 'warning', text: 'cannot stat /gone' });
  await pair.far.send('fdJobEnd', { files: 3, bytes: 4096, errors: 1, status: 'W' });
  const end = await awaitClientEnd({ fd: pair.near, log, signal: AbortSignal.timeout(10_000) });
  assert.deepEqual(end, { files: 3, bytes: 4096, errors: 1, status: 'W' });
  assert.deepEqual(log.got, ['warning: cannot stat /gone']);
});

test("an error reply from the File daemon fails the job with the daemon's own code", async () => {
  await using pair = await channelPair({ role: 'client', name: 'client1-fd' });
  await pair.far.send('error', { code: 'HOSTILE_PATH', message: 'where= is outside the allowed location' });
  await assert.rejects(awaitClientEnd({ fd: pair.near, log: lines(), signal: AbortSignal.timeout(10_000) }), (err: unknown) => {
    assert.ok(err instanceof BurrowError);
    assert.equal(err.code, 'HOSTILE_PATH');
    assert.equal(err.message, 'File daemon: where= is outside the allowed location');
    return true;
  });
});
