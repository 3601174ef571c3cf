/**
 * Connections the Director cannot make (issue 15), as Bareos handles them: a job keeps
 * trying its File daemon until the Director's FD Connect Timeout and its Storage daemon
 * until the SD Connect Timeout, saying "Retrying ..." in its log, then fails with an
 * error naming the daemon, its address, the last failure and the timeout; never a hang.
 * A port nobody listens on is refused at once; a peer that accepts the connection and
 * says nothing costs the timeout. A daemon that comes back within the timeout is found
 * and the job ends OK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../harness/ports.js';
import { Topology } from '../harness/topology.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

function sampleTree(t: { after: (fn: () => void) => void }): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-connect-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  buildSampleTree(src);
  return src;
}

/** A server that takes every connection and never says a word. */
async function silentPeer(t: { after: (fn: () => void) => void }): Promise<number> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

test('a File daemon nobody listens for, or one that accepts and stays silent, fails the job within the FD Connect Timeout', async (t) => {
  const src = sampleTree(t);
  const [closedPort, silentPort] = [await freePort(), await silentPeer(t)];
  const job = (client: string): string => `
Client { Name = ${client}; Address = 127.0.0.1; FDPort = ${client === 'nobody' ? closedPort : silentPort}; Password = "unused"; Catalog = MyCatalog }
Job { Name = backup-${client}; Type = Backup; Level = Full; Client = ${client}; FileSet = set-fd1; Storage = sd1; Pool = Full; Messages = Standard }`;
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [src] }],
    storages: [{ name: 'sd1' }],
    directorDirectives: ['FD Connect Timeout = 4'],
    directorResources: `${job('nobody')}\n${job('silent')}`,
  });
  t.after(() => topo.stop());

  for (const [client, says] of [
    ['nobody', /Fatal error: cannot connect to File daemon "nobody" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^;]*; gave up after \d+ tries in [\d.]+ s \(FD Connect Timeout = 4 s\)/],
    ['silent', /Fatal error: no answer from File daemon "silent" at 127\.0\.0\.1:\d+ within 4 s; gave up after one try in [\d.]+ s \(FD Connect Timeout = 4 s\)/],
  ] as const) {
    const started = Date.now();
    const r = await topo.console([`run job=backup-${client} yes`, 'wait', 'messages']);
    const took = Date.now() - started;
    assert.match(r.stdout, says, `${r.stdout}\n${topo.logs()}`);
    assert.match(r.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/, r.stdout);
    // Not before the timeout, and not long after it (a loaded machine adds the console's and the job's own time).
    assert.ok(took >= 4_000 && took < 40_000, `${client}: the job took ${took} ms`);
    if (client === 'nobody') {
      assert.match(r.stdout, /Warning: cannot connect to File daemon "nobody" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^\n]*\. Retrying \.\.\. \(for up to 4 s, the FD Connect Timeout\)/, r.stdout);
    }
  }

  // The drive the failed jobs had reserved is free again: the next backup takes it and ends OK.
  const ok = await topo.console(['run job=backup-fd1 yes', 'wait', 'messages']);
  assert.match(ok.stdout, /Termination:\s+Backup OK\n/, `${ok.stdout}\n${topo.logs()}`);
});

test('a File daemon that comes back within the FD Connect Timeout is found; the job says it retried and ends OK', async (t) => {
  const src = sampleTree(t);
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [src] }],
    storages: [{ name: 'sd1' }],
    directorDirectives: ['FD Connect Timeout = 2 min'],
  });
  t.after(() => topo.stop());

  await topo.stopNamed('fd1');
  const queued = await topo.console(['run job=backup-fd1 yes']);
  assert.match(queued.stdout, /Job queued\. JobId=1/, queued.stdout);
  await topo.untilLogged(/Warning: cannot connect to File daemon "fd1" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^\n]*\. Retrying \.\.\./);
  await topo.restart('fd1');
  const done = await topo.console(['wait', 'messages'], topo.consoleConfig, 180_000);
  // The retry is a Warning that leaves the verdict alone, as Bareos's: OK, not "with warnings".
  assert.match(done.stdout, /Termination:\s+Backup OK\n/, `${done.stdout}\n${topo.logs()}`);
  const restored = await topo.console(['restore client=fd1 jobid=1 all done yes', 'wait', 'messages'], topo.consoleConfig, 180_000);
  assert.match(restored.stdout, /Termination:\s+Restore OK/, restored.stdout);
  assert.deepEqual(compareTrees(src, join(topo.restored, src)), []);
});

test('a Storage daemon that cannot be reached fails a verify and a backup within the SD Connect Timeout', async (t) => {
  const src = sampleTree(t);
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [src] }],
    storages: [{ name: 'sd1' }],
    directorDirectives: ['SD Connect Timeout = 3'],
    directorResources: 'Job { Name = verify-fd1; Type = Verify; Level = VolumeToCatalog; Client = fd1; FileSet = set-fd1; Storage = sd1; Pool = Full; Messages = Standard; Verify Job = backup-fd1 }',
  });
  t.after(() => topo.stop());
  const backup = await topo.console(['run job=backup-fd1 yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${topo.logs()}`);

  await topo.stopNamed('sd1');
  const started = Date.now();
  const verify = await topo.console(['run job=verify-fd1 yes', 'wait', 'messages']);
  const took = Date.now() - started;
  assert.match(verify.stdout, /Warning: cannot connect to Storage daemon "sd1" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^\n]*\. Retrying \.\.\. \(for up to 3 s, the SD Connect Timeout\)/, verify.stdout);
  assert.match(verify.stdout, /Fatal error: cannot connect to Storage daemon "sd1" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^;]*; gave up after \d+ tries in [\d.]+ s \(SD Connect Timeout = 3 s\)/, verify.stdout);
  assert.match(verify.stdout, /Termination:\s+\*\*\* Verify Error \*\*\*/, verify.stdout);
  assert.ok(took >= 3_000 && took < 40_000, `the verify took ${took} ms`);
  // A backup whose one Storage is down: tried until the timeout too (with another Storage after it, once: storage-failover).
  const lost = await topo.console(['run job=backup-fd1 yes', 'wait', 'messages']);
  assert.match(lost.stdout, /Fatal error: cannot connect to Storage daemon "sd1" at 127\.0\.0\.1:\d+: connect ECONNREFUSED [^;]*; gave up after \d+ tries in [\d.]+ s \(SD Connect Timeout = 3 s\)/, lost.stdout);
  assert.match(lost.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/, lost.stdout);
});
