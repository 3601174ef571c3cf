/**
 * Clients behind firewalls (issue 15), each in a network namespace of its own whose
 * nftables rules make one direction of connection impossible (harness/netns.ts):
 * - Connection From Client To Director: nothing may connect into the client's namespace.
 *   The File daemon connects to the Director, which lists the connection in `status dir`
 *   and uses it for the client's backup, restore and `status client`.
 * - Passive = yes: nothing may connect out of it. The Director connects to the File
 *   daemon, and the Storage daemon connects to it for the data; for a restore whose
 *   volumes lie on two Storage daemons, each of them in turn.
 * Each shows first that the blocked direction really is blocked, then a backup and a
 * restore OK and exact. And Heartbeat Interval: a client whose link goes silent mid-job
 * (no reset, as a pulled cable) is noticed within two intervals by the Director and the
 * Storage daemon, the job fails and the drive is free. Skipped, saying why, only where
 * namespaces cannot be made.
 */
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirewalledClient } from '../harness/firewalled.js';
import { connects, NetNamespace } from '../harness/netns.js';
import { waitFor } from '../harness/processes.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

const skip = NetNamespace.unavailable();
/** A slow client's restore rate (Maximum Bandwidth): the sample tree's 4.6 MB in some 12 s. */
const SLOW = 400_000;

function sampleTree(t: { after: (fn: () => void) => void }): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-firewalled-src-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  buildSampleTree(src);
  return src;
}

/** Resolves once `status dir` lists a waiting connection of fd1; fails after 30 s with what it said. */
async function untilWaiting(site: FirewalledClient): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const status = (await site.console(['status dir'])).stdout;
    if (/Client Initiated Connections \(waiting for jobs\):\n(?:[+|].*\n)*?\|[^\n]*\| fd1 +\|/.test(status)) return;
    if (Date.now() > until) assert.fail(`no waiting connection of fd1 in status dir:\n${status}\n${site.logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A backup, then a restore of it into the restore Job's Where, each OK; the restored tree equals `src`. */
async function backupAndRestore(site: FirewalledClient, src: string): Promise<string> {
  const backup = await site.console(['run job=backup-fd1 yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${site.logs()}`);
  const restore = await site.console(['restore client=fd1 jobid=1 all done yes', 'wait', 'messages']);
  assert.match(restore.stdout, /Termination:\s+Restore OK/, `${restore.stdout}\n${site.logs()}`);
  assert.deepEqual(compareTrees(src, join(site.restored, src)), []);
  return `${backup.stdout}\n${restore.stdout}`;
}

test('Connection From Client To Director: a client nobody can connect to backs up and restores through its own connection', { skip }, async (t) => {
  const src = sampleTree(t);
  const site = await FirewalledClient.start({
    mode: 'client-initiated', include: [src],
    clientDirectives: ['Connection From Client To Director = yes', 'Connection From Director To Client = no'],
    fdDirectorDirectives: ['Connection From Client To Director = yes', 'Connection From Director To Client = no'],
  });
  t.after(() => site.stop());

  // The firewall holds: the File daemon's own port cannot be reached from the host.
  assert.equal(await connects(site.ns.innerAddress, site.port('fd1'), 1500), false, 'a connection into the namespace opened');

  await untilWaiting(site);

  const client = await site.console(['status client=fd1']);
  assert.match(client.stdout, /fd1 Version: /, `${client.stdout}\n${site.logs()}`);
  const out = await backupAndRestore(site, src);
  assert.doesNotMatch(out, /cannot connect/);
  // Each use was followed by a new connection: one waits again.
  await untilWaiting(site);
});

test('Passive = yes: a client that may not connect anywhere backs up and restores, each Storage daemon connecting to it', { skip }, async (t) => {
  const src = sampleTree(t);
  // A Media Type of each SD's own: a volume is read from the SD that holds it.
  const site = await FirewalledClient.start({
    mode: 'passive', include: [src], clientDirectives: ['Passive = yes'], storages: [{ name: 'sd1', mediaType: 'File1' }, { name: 'sd2', mediaType: 'File2' }],
    // A client that reads its restore slowly: the Storage daemons are done sending long before it is done reading.
    directorResources: `Job { Name = RestoreSlow; Type = Restore; Client = fd1; FileSet = set-fd1; Storage = sd1; Pool = Full; Messages = Standard; Maximum Bandwidth = ${SLOW / 1000} kb/s }`,
  });
  t.after(() => site.stop());

  // The firewall holds: from inside the namespace neither Storage daemon can be reached.
  for (const sd of ['sd1', 'sd2']) assert.equal(await connects(site.ns.hostAddress, site.port(sd), 1500, site.ns), false, `a connection out of the namespace to ${sd} opened`);
  assert.equal(await connects(site.ns.innerAddress, site.port('fd1'), 1500), true, 'the File daemon cannot be reached from outside');

  await backupAndRestore(site, src);

  // The Full on sd1, an Incremental on sd2: one restore reads both, each SD connecting to the client in turn.
  // The client still reads sd1's part (4.6 MB at the limit) long after sd1 sent it and sd2 was told to connect:
  // sd2 finds the client waiting for it all the same.
  writeFileSync(join(src, 'new-since-the-full'), 'new\n');
  const incremental = await site.console(['run job=backup-fd1 level=Incremental storage=sd2 yes', 'wait', 'messages']);
  assert.match(incremental.stdout, /Termination:\s+Backup OK\n/, `${incremental.stdout}\n${site.logs()}`);
  const both = join(site.dir, 'both');
  const restore = await site.console([`restore client=fd1 select current all done restorejob=RestoreSlow yes where=${both}`, 'wait', 'messages']);
  assert.match(restore.stdout, /The volumes lie on 2 Storage daemons; reading Vol-0001 with Storage "sd1", then Vol-0002 with Storage "sd2"\./, restore.stdout);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/, `${restore.stdout}\n${site.logs()}`);
  assert.deepEqual(compareTrees(src, join(both, src)), []);
});

test('Heartbeat Interval: a client whose link is cut mid-backup is noticed within two intervals; the job fails and its drive is free', { skip }, async (t) => {
  const src = sampleTree(t);
  // After the tree the File daemon waits at a FIFO nobody writes to: the job is under way, its connections idle.
  const fifoDir = mkdtempSync(join(tmpdir(), 'burrow-heartbeat-'));
  t.after(() => rmSync(fifoDir, { recursive: true, force: true }));
  const fifo = join(fifoDir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // The agreed interval of a connection is the shorter of its ends' (none: the other's): File daemon and
  // Storage daemon 1 s, Director and File daemon 2 s. So the SD is the first to notice, then the Director.
  const site = await FirewalledClient.start({
    mode: 'direct', include: [src, fifo], options: ['Signature = SHA256', 'ReadFifo = yes'],
    directorDirectives: ['Heartbeat Interval = 2 s'], fdDirectives: ['Heartbeat Interval = 2 s'], sdDirectives: ['Heartbeat Interval = 1 s'],
  });
  t.after(() => site.stop());

  await site.console(['run job=backup-fd1 yes']);
  await site.untilLogged(/Using Device "FileStorage/);
  // The File daemon connects to the SD and sends the tree, then reads the FIFO: heartbeats keep both connections alive.
  await new Promise((r) => setTimeout(r, 3000));
  assert.match((await site.console(['status client=fd1'])).stdout, /JobId 1 /, 'the backup is not running on the client');
  site.ns.cut();
  const cutAt = Date.now();
  await site.untilLogged(/Termination:\s+\*\*\* Backup Error \*\*\*/);
  const noticedMs = Date.now() - cutAt;
  // The Storage daemon noticed the File daemon's silence and ended the session, which failed the job.
  const silence = /no sign of life from job "1" at [\d.:]+ for (\d+\.\d) s \(Heartbeat Interval 1 s\)/.exec(site.jobLog());
  assert.ok(silence, `the job log does not say the client fell silent:\n${site.jobLog()}`);
  // Two intervals, and up to a second more for timers on a loaded machine.
  assert.ok(Number(silence[1]) < 3, `noticed after ${silence[1]} s of silence`);
  // The job ends once the Director has given up on the client too: two of its 2 s intervals.
  assert.match(site.jobLog(), /Fatal error: no sign of life from client "fd1" .* \(Heartbeat Interval 2 s\)/);
  assert.ok(noticedMs < 7000, `the job ended ${noticedMs} ms after the cut`);
  // Its drive is free again.
  const storage = (await site.console(['status storage=sd1'])).stdout;
  assert.match(storage, /Running Jobs:\nNo Jobs running\./, storage);
  assert.doesNotMatch(storage, /Reserved by/, storage);
  // Behind the cut, the File daemon heard nothing from either peer and gave up the job too.
  await waitFor(() => /no sign of life from director \\"test-dir\\".*Heartbeat Interval 2 s/.test(site.output('fd1')), 10_000, () => site.output('fd1'));
});
