/**
 * Clients behind firewalls (issue 15), each in a network namespace of its own whose
 * nftables rules make one direction of connection impossible (harness/netns.ts):
 * - Connection From Client To Director: nothing may connect into the client's namespace.
 *   The File daemon connects to the Director, which lists the connection in `status dir`
 *   and uses it for the client's backup, restore and `status client`.
 * - Passive = yes: nothing may connect out of it. The Director connects to the File
 *   daemon, and the Storage daemon connects to it for the data.
 * Each shows first that the blocked direction really is blocked, then a backup and a
 * restore OK and exact. Skipped, saying why, only where namespaces cannot be made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirewalledClient } from '../harness/firewalled.js';
import { connects, NetNamespace } from '../harness/netns.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

const skip = NetNamespace.unavailable();

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

test('Passive = yes: a client that may not connect anywhere backs up and restores, the Storage daemon connecting to it', { skip }, async (t) => {
  const src = sampleTree(t);
  const site = await FirewalledClient.start({ mode: 'passive', include: [src], clientDirectives: ['Passive = yes'] });
  t.after(() => site.stop());

  // The firewall holds: from inside the namespace the Storage daemon cannot be reached.
  assert.equal(await connects(site.ns.hostAddress, site.port('sd1'), 1500, site.ns), false, 'a connection out of the namespace opened');
  assert.equal(await connects(site.ns.innerAddress, site.port('fd1'), 1500), true, 'the File daemon cannot be reached from outside');

  await backupAndRestore(site, src);
});
