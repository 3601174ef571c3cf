/**
 * Bandwidth limits (issue 15): a backup under its Job's `Maximum Bandwidth` sends its data
 * no faster than the limit (within 10%, measured as bytes on the wire over time through
 * a counting relay in front of the Storage daemon), and `setbandwidth limit= jobid=`
 * changes the limit of the running job: the rate follows, still within 10%.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';
import { CountingProxy } from '../harness/counting-proxy.js';

const FIRST = 250_000; // Maximum Bandwidth = 250 kb/s (Bareos's kb: 1000 bytes)
const SECOND = 600 * 1024; // setbandwidth limit=600: kb/s of 1024 bytes, as Bareos reads it

/** Bytes/s between two moments, and the bytes it is measured over. */
function rate(proxy: CountingProxy, from: number, to: number): number {
  return (proxy.bytesBetween(from, to) * 1000) / (to - from);
}

test('Maximum Bandwidth holds a backup to its limit, and setbandwidth changes it while it runs', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bandwidth-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  writeFileSync(join(src, 'random'), randomBytes(8_000_000)); // incompressible, and no compression asked; long enough (32 s at the first limit) for a slow console
  const proxy = await CountingProxy.start();
  t.after(() => proxy.close());
  const b = await Burrow.start({
    include: [src],
    jobDirectives: [`Maximum Bandwidth = ${FIRST / 1000} kb/s`],
    directorResources: `Storage { Name = Relayed; Address = 127.0.0.1; SDPort = ${proxy.port}; Password = @SDPASSWORD@; Device = FileStorage; Media Type = File }`,
  });
  t.after(() => b.stop());
  proxy.target = b.ports.sd;

  await b.console(['run job=backup-test storage=Relayed yes']);
  await waitFor(() => proxy.bytesBetween(0, Date.now()) > 100_000, 30_000, () => `no data through the relay\n${b.logs()}`);
  const start1 = Date.now() + 300; // past the start's burst allowance
  await new Promise((r) => setTimeout(r, 1500));
  const end1 = Date.now();
  const set = await b.console(['setbandwidth limit=600 jobid=1']);
  assert.match(set.stdout, /2000 OK Bandwidth 600 kb\/s for JobId 1 on Client "test-fd"/, `${set.stdout}\n${set.stderr}`);
  const start2 = Date.now() + 300;
  await new Promise((r) => setTimeout(r, 1200));
  const end2 = Date.now();
  // The rest at full speed: the limit lifted.
  const done = await b.console(['setbandwidth limit=0 jobid=1', 'wait', 'messages']);
  assert.match(done.stdout, /2000 OK Bandwidth unlimited for JobId 1/, done.stdout);
  assert.match(done.stdout, /Termination:\s+Backup OK\n/, `${done.stdout}\n${b.logs()}`);

  const first = rate(proxy, start1, end1);
  const second = rate(proxy, start2, end2);
  t.diagnostic(`Maximum Bandwidth ${FIRST} B/s: measured ${Math.round(first)} B/s; setbandwidth ${SECOND} B/s: measured ${Math.round(second)} B/s`);
  assert.ok(first <= FIRST * 1.1, `${Math.round(first)} B/s under a limit of ${FIRST}`);
  assert.ok(first >= FIRST * 0.5, `${Math.round(first)} B/s: far below the limit of ${FIRST}`);
  assert.ok(second <= SECOND * 1.1, `${Math.round(second)} B/s under a limit of ${SECOND}`);
  assert.ok(second >= first * 1.4, `the new limit did not take: ${Math.round(first)} then ${Math.round(second)} B/s`);
});
