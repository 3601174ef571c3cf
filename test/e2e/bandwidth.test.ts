/**
 * Bandwidth limits (issue 15): a backup under its Job's `Maximum Bandwidth` sends its data
 * no faster than the limit (within 10%, measured as bytes on the wire over time through
 * a counting relay in front of the Storage daemon), and `setbandwidth limit= jobid=`
 * changes the limit of the running job: the rate follows, still within 10%. A restore
 * and a volume verify under their Job's Maximum Bandwidth read their data no faster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';
import { CountingProxy } from '../harness/counting-proxy.js';
import { bytesBelow, compareTrees } from '../harness/tree.js';

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

const READ_LIMIT = 500_000; // Maximum Bandwidth = 500 kb/s on the restore and verify Jobs

test('Maximum Bandwidth holds a restore and a volume verify to their limit: the File daemon reads no faster', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bandwidth-read-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  // Many small files: records of 20 kB, so the restored bytes follow the rate closely.
  for (let i = 0; i < 250; i++) writeFileSync(join(src, `f${i}`), randomBytes(20_000));
  const b = await Burrow.start({
    include: [src],
    directorResources: `
Job { Name = RestoreSlow; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Maximum Bandwidth = ${READ_LIMIT / 1000} kb/s }
Job { Name = VerifySlow; Type = Verify; Level = VolumeToCatalog; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Verify Job = backup-test; Maximum Bandwidth = ${READ_LIMIT / 1000} kb/s }
Job { Name = VerifyFast; Type = Verify; Level = VolumeToCatalog; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Verify Job = backup-test }`,
  });
  t.after(() => b.stop());
  const backup = await b.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${b.logs()}`);

  // The restore: its rate measured as the bytes it has written, over 2 s once under way.
  const where = join(b.dir, 'slow');
  await b.console([`restore client=test-fd select current all done restorejob=RestoreSlow where=${where} yes`]);
  await waitFor(() => bytesBelow(where) > 300_000, 30_000, () => `nothing restored\n${b.logs()}`);
  const [t1, n1] = [Date.now(), bytesBelow(where)];
  await new Promise((r) => setTimeout(r, 2000));
  const [t2, n2] = [Date.now(), bytesBelow(where)];
  const restoreRate = ((n2 - n1) * 1000) / (t2 - t1);
  // setbandwidth reaches a restore too: the rest at full speed.
  const lifted = await b.console(['setbandwidth limit=0 jobid=2', 'wait', 'messages']);
  assert.match(lifted.stdout, /2000 OK Bandwidth unlimited for JobId 2/, lifted.stdout);
  assert.match(lifted.stdout, /Termination:\s+Restore OK\n/, `${lifted.stdout}\n${b.logs()}`);
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  // The verify: 5 MB at 500 kB/s takes 10 s; the same verify without a limit, a second or two.
  const timed = async (job: string): Promise<number> => {
    const started = Date.now();
    const r = await b.console([`run job=${job} yes`, 'wait', 'messages']);
    assert.match(r.stdout, /Termination:\s+Verify OK\n/, `${r.stdout}\n${b.logs()}`);
    return Date.now() - started;
  };
  const fast = await timed('VerifyFast');
  const slow = await timed('VerifySlow');
  t.diagnostic(`restore under ${READ_LIMIT} B/s: measured ${Math.round(restoreRate)} B/s; verify of 5 MB: ${fast} ms unlimited, ${slow} ms under the limit`);
  assert.ok(restoreRate <= READ_LIMIT * 1.1, `the restore read ${Math.round(restoreRate)} B/s under a limit of ${READ_LIMIT}`);
  assert.ok(restoreRate >= READ_LIMIT * 0.5, `the restore read ${Math.round(restoreRate)} B/s: far below the limit of ${READ_LIMIT}`);
  assert.ok(slow >= (5_000_000 / READ_LIMIT) * 1000 * 0.9, `the limited verify took ${slow} ms, less than 5 MB at ${READ_LIMIT} B/s allows`);
  // A loaded machine slows both runs; the limit adds its own seconds.
  assert.ok(slow - fast >= 3_000, `the verify without a limit took ${fast} ms, the limited one ${slow} ms`);
});
