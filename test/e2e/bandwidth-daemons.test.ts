/**
 * The daemons' own bandwidth limits (issue 15), Bareos's Maximum Bandwidth Per Job: on
 * the Storage daemon's Storage resource, a backup's data is taken no faster (measured on
 * the wire by a counting relay in front of the SD: the Director asks the File daemon for
 * no more than the SD allows) and a restore's sent no faster; on
 * the File daemon's Director resource, it replaces the FileDaemon resource's for that
 * Director's jobs, and the lowest of it and the Job's own holds. Each rate within 10%.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor, type BurrowOptions } from '../harness/daemons.js';
import { CountingProxy } from '../harness/counting-proxy.js';
import { bytesBelow, compareTrees } from '../harness/tree.js';

/** A tree of incompressible 20 kB files (records small enough for the bytes to follow the rate closely). */
function tree(bytes: number): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bandwidth-daemons-'));
  mkdirSync(join(src, 'd'));
  for (let i = 0; i < bytes / 20_000; i++) writeFileSync(join(src, 'd', `f${i}`), randomBytes(20_000));
  return src;
}

/** A topology backing `bytes` of files up through a counting relay in front of the SD (Storage "Relayed"). */
async function relayed(t: TestContext, bytes: number, opts: Omit<BurrowOptions, 'include' | 'directorResources'>): Promise<{ b: Burrow; proxy: CountingProxy; src: string }> {
  const src = tree(bytes);
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const proxy = await CountingProxy.start();
  t.after(() => proxy.close());
  const b = await Burrow.start({
    ...opts,
    include: [src],
    directorResources: `Storage { Name = Relayed; Address = 127.0.0.1; SDPort = ${proxy.port}; Password = @SDPASSWORD@; Device = FileStorage; Media Type = File }`,
  });
  t.after(() => b.stop());
  proxy.target = b.ports.sd;
  return { b, proxy, src };
}

/** A relayed backup's rate on the wire over `windowMs`, once `after` bytes went (past the buffers' first fill). */
async function relayedRate(b: Burrow, proxy: CountingProxy, after: number, windowMs: number): Promise<number> {
  await waitFor(() => proxy.bytesBetween(0, Date.now()) > after, 30_000, () => `not ${after} bytes through the relay\n${b.logs()}`);
  const from = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const to = Date.now();
  return (proxy.bytesBetween(from, to) * 1000) / (to - from);
}

/** At most 10% above the limit; and near it, so it is this limit that holds (a loaded machine may lag a little). */
function within(t: { diagnostic: (s: string) => void }, what: string, measured: number, limit: number): void {
  t.diagnostic(`${what}: limit ${limit} B/s, measured ${Math.round(measured)} B/s`);
  assert.ok(measured <= limit * 1.1, `${what}: ${Math.round(measured)} B/s under a limit of ${limit}`);
  assert.ok(measured >= limit * 0.8, `${what}: ${Math.round(measured)} B/s, well below the limit of ${limit}`);
}

const SD_LIMIT = 500_000;

test('the Storage resource\'s Maximum Bandwidth Per Job holds a backup and a restore, below the File daemon\'s own', async (t) => {
  const { b, proxy, src } = await relayed(t, 1_500_000, {
    sdDirectives: [`Maximum Bandwidth Per Job = ${SD_LIMIT / 1000} kb/s`],
    fdDirectives: ['Maximum Bandwidth Per Job = 2 mb/s'], // higher: the SD's is the lowest
  });

  await b.console(['run job=backup-test storage=Relayed yes']);
  const backup = await relayedRate(b, proxy, 300_000, 1500);
  const done = await b.console(['wait', 'messages']);
  assert.match(done.stdout, /Termination:\s+Backup OK\n/, `${done.stdout}\n${b.logs()}`);

  const where = join(b.dir, 'restored');
  await b.console(['restore client=test-fd select current all done yes']);
  await waitFor(() => bytesBelow(where) > 300_000, 30_000, () => `nothing restored\n${b.logs()}`);
  const [t1, n1] = [Date.now(), bytesBelow(where)];
  await new Promise((r) => setTimeout(r, 1500));
  const [t2, n2] = [Date.now(), bytesBelow(where)];
  const restored = await b.console(['wait', 'messages']);
  assert.match(restored.stdout, /Termination:\s+Restore OK\n/, `${restored.stdout}\n${b.logs()}`);
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  within(t, 'backup, Storage daemon\'s limit', backup, SD_LIMIT);
  within(t, 'restore, Storage daemon\'s limit', ((n2 - n1) * 1000) / (t2 - t1), SD_LIMIT);
});

const DIRECTOR_LIMIT = 300_000;

test('the File daemon\'s Director resource\'s Maximum Bandwidth Per Job replaces its FileDaemon resource\'s, and the Job\'s limit holds only when lower', async (t) => {
  const { b, proxy } = await relayed(t, 1_000_000, {
    jobDirectives: ['Maximum Bandwidth = 600 kb/s'],
    fdDirectives: ['Maximum Bandwidth Per Job = 100 kb/s'], // replaced by the Director resource's for test-dir's jobs
    fdDirectorDirectives: [`Maximum Bandwidth Per Job = ${DIRECTOR_LIMIT / 1000} kb/s`],
  });

  await b.console(['run job=backup-test storage=Relayed yes']);
  const backup = await relayedRate(b, proxy, 150_000, 1500);
  const done = await b.console(['wait', 'messages']);
  assert.match(done.stdout, /Termination:\s+Backup OK\n/, `${done.stdout}\n${b.logs()}`);
  within(t, 'backup, the File daemon\'s Director resource\'s limit', backup, DIRECTOR_LIMIT);
});
