import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine } from './wait-progress.js';

const p = (files: number, bytes: number, file: string) => ({ files, bytes, bytesPerSecond: 1000, file });

test('the wait line: one job with its file, several without, waiting jobs left out, long lines cut', () => {
  assert.equal(progressLine([{ jobId: 3, state: 'running', progress: p(12, 1_234_567, '/a/b') }]), 'JobId 3: Files=12 Bytes=1,234,567 AveBytes/sec=1,000 /a/b');
  assert.equal(progressLine([
    { jobId: 3, state: 'running', progress: p(1, 2, '/a') }, { jobId: 4, state: 'running' }, { jobId: 5, state: 'waiting' },
  ]), 'JobId 3: Files=1 Bytes=2 AveBytes/sec=1,000; JobId 4: starting');
  assert.equal(progressLine([{ jobId: 5, state: 'waiting' }]), '');
  const long = progressLine([{ jobId: 3, state: 'running', progress: p(1, 2, `/${'x'.repeat(300)}`) }]);
  assert.equal(long.length, 160);
  assert.ok(long.endsWith('...'));
});
