import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand, splitCommand } from './command.js';

test('commands split into words with quotes, never through a shell', async () => {
  assert.deepEqual(splitCommand(`/bin/echo "a b" 'c d' e\\ f`), ['/bin/echo', 'a b', 'c d', 'e\\', 'f']);
  assert.throws(() => splitCommand('echo "open'), /unterminated/);
  const lines: string[] = [];
  const r = await runCommand('/bin/echo hello; rm -rf /nonexistent', { onLine: (l) => lines.push(l) });
  assert.equal(r.exitCode, 0);
  assert.deepEqual(lines, ['hello; rm -rf /nonexistent']);
  const failed = await runCommand('/bin/false', { onLine: () => undefined });
  assert.equal(failed.exitCode, 1);
  const missing = await runCommand('/no/such/program', { onLine: () => undefined });
  assert.equal(missing.exitCode, null);
  assert.match(missing.error ?? '', /ENOENT/);
});
