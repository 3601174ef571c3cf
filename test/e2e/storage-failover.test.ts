/**
 * Several Storage daemons for one Job (issue 15): with `Storage = sd1, sd2` a backup
 * writes to the first whose daemon answers; when sd1 is down the job says so in its
 * log and writes to sd2, and once sd1 is back the next backup goes there again (to a
 * volume of its own Media Type, never sd2's). A restore reads with the Storage that
 * holds its volumes, and is exact; one whose files lie on both SDs (the Full on sd2,
 * the Incremental on sd1) reads one session on each in turn within the one job, and is
 * exact too, as is the same restore run again from the bootstrap it wrote. A verify
 * of the Full reads it from sd2 though its Job names sd1.
 *
 * "Available" also means a drive free: a backup passes over a reachable Storage whose
 * drives are all busy (held by a job reading a FIFO, so the overlap is certain) and
 * writes to the next; and a Pool's Storage overrides the Job's, as in Bareos.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topology } from '../harness/topology.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

test('a backup goes to the next Storage daemon when the first is down, and back once it is up', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-failover-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  buildSampleTree(src);
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [src] }],
    // A Media Type of each SD's own, as Bareos advises: a volume is then only ever asked of the SD that holds it.
    storages: [{ name: 'sd1', mediaType: 'File1' }, { name: 'sd2', mediaType: 'File2' }],
    jobStorage: ['sd1', 'sd2'],
    // Its Storage is sd1 alone: the volume it reads lies on sd2, which its Media Type finds.
    directorResources: 'Job { Name = VerifyVolume; Type = Verify; Level = VolumeToCatalog; Client = fd1; FileSet = set-fd1; Storage = sd1; Pool = Full; Messages = Standard; Verify Job = backup-fd1 }',
  });
  t.after(() => topo.stop());
  const volumesOn = (sd: string): string[] => (existsSync(topo.volumes(sd)) ? readdirSync(topo.volumes(sd)) : []);

  await topo.stopNamed('sd1');
  const down = await topo.console(['run job=backup-fd1 yes', 'wait', 'messages']);
  assert.match(down.stdout, /Storage "sd1" is not available \(cannot connect to Storage daemon "sd1".*\); trying Storage "sd2"\./, down.stdout);
  assert.match(down.stdout, /Termination:\s+Backup OK\n/, `${down.stdout}\n${topo.logs()}`);
  assert.match(down.stdout, /Storage:\s+"sd2"/);
  assert.deepEqual([volumesOn('sd1'), volumesOn('sd2')], [[], ['Vol-0001']]);
  const where = join(topo.restored, 'from-sd2');
  // No storage= given: the restore reads with the Storage whose Media Type its volumes have.
  const restore = await topo.console([`restore client=fd1 jobid=1 all done yes where=${where}`, 'wait', 'messages']);
  assert.match(restore.stdout, /Reading with Storage "sd2", which holds the volumes \(Media Type File2\)\./, restore.stdout);
  assert.match(restore.stdout, /Termination:\s+Restore OK/, restore.stdout);
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  await topo.restart('sd1');
  writeFileSync(join(src, 'new-since-the-full'), 'new\n');
  const up = await topo.console(['run job=backup-fd1 level=Incremental yes', 'wait', 'messages']);
  assert.match(up.stdout, /Termination:\s+Backup OK\n/, `${up.stdout}\n${topo.logs()}`);
  assert.doesNotMatch(up.stdout, /is not available/);
  assert.match(up.stdout, /Storage:\s+"sd1"/);
  assert.deepEqual(volumesOn('sd1'), ['Vol-0002']);
  // The Full on sd2, the Incremental on sd1: one job reads a session on each, in the order the jobs were written.
  const both = join(topo.restored, 'both');
  const bsr = join(topo.dir, 'both.bsr');
  const chain = await topo.console([`restore client=fd1 select current all done yes where=${both} bootstrap=${bsr}`, 'wait', 'messages']);
  assert.match(chain.stdout, /The volumes lie on 2 Storage daemons; reading Vol-0001 with Storage "sd2", then Vol-0002 with Storage "sd1"\./, chain.stdout);
  assert.equal(chain.stdout.match(/Using Device "FileStorage" to read\./g)?.length, 2, chain.stdout);
  assert.match(chain.stdout, /Termination:\s+Restore OK\n/, `${chain.stdout}\n${topo.logs()}`);
  assert.deepEqual(compareTrees(src, join(both, src)), []);
  // Its bootstrap names the Storage of each volume, and restores the same from both SDs.
  assert.match(readFileSync(bsr, 'utf8'), /Storage="sd2"\nVolume="Vol-0001"[^]*Storage="sd1"\nVolume="Vol-0002"/);
  const again = join(topo.restored, 'again');
  const fromFile = await topo.console([`run job=RestoreFiles bootstrap=${bsr} where=${again} yes`, 'wait', 'messages']);
  assert.match(fromFile.stdout, /Termination:\s+Restore OK\n/, `${fromFile.stdout}\n${topo.logs()}`);
  assert.deepEqual(compareTrees(src, join(again, src)), []);

  const verify = await topo.console(['run job=VerifyVolume jobid=1 yes', 'wait', 'messages']);
  assert.match(verify.stdout, /Reading with Storage "sd2", which holds the volumes \(Media Type File2\)\./, verify.stdout);
  assert.match(verify.stdout, /Termination:\s+Verify OK\n/, `${verify.stdout}\n${topo.logs()}`);
});

test('a backup passes over a Storage with no drive free, and a Pool\'s Storage overrides the Job\'s', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-busy-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const held = join(root, 'held');
  mkdirSync(held);
  writeFileSync(join(held, 'first'), 'read before the FIFO\n');
  execFileSync('mkfifo', [join(held, 'fifo')]);
  const src = join(root, 'src');
  mkdirSync(src);
  buildSampleTree(src);
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [held] }, { name: 'fd2', include: [src] }],
    storages: [
      // One drive that takes one job at a time; the Director would let sd1 run more.
      { name: 'sd1', mediaType: 'File1', deviceDirectives: ['Maximum Concurrent Jobs = 1'], storageDirectives: ['Maximum Concurrent Jobs = 5'] },
      { name: 'sd2', mediaType: 'File2' },
    ],
    jobStorage: ['sd1', 'sd2'],
    options: ['Signature = SHA256', 'ReadFifo = yes'],
    directorResources: `
Pool { Name = OnSd2; Pool Type = Backup; Label Format = "Two-"; Storage = sd2 }
Job { Name = pooled; Type = Backup; Level = Full; Client = fd2; FileSet = set-fd2; Storage = sd1; Pool = OnSd2; Messages = Standard }`,
  });
  t.after(() => topo.stop());

  await topo.console(['run job=backup-fd1 yes']);
  await topo.untilLogged(/JobId 1: Using Device "FileStorage" to write\./);
  const passed = await topo.console(['run job=backup-fd2 yes', 'wait jobid=2', 'messages']);
  assert.match(passed.stdout, /Storage "sd1" has no drive free \(3609 JobId=2 Max concurrent jobs exceeded on drive "FileStorage" \(.*\)\.\); trying Storage "sd2"\./, passed.stdout);
  assert.match(passed.stdout, /Storage:\s+"sd2" \(From Job resource\)/, passed.stdout);
  assert.match(passed.stdout, /Termination:\s+Backup OK\n/, `${passed.stdout}\n${topo.logs()}`);
  await writeFile(join(held, 'fifo'), 'the end\n');
  const first = await topo.console(['wait jobid=1', 'messages']);
  assert.match(first.stdout, /Storage:\s+"sd1" \(From Job resource\)/, first.stdout);
  assert.match(first.stdout, /Termination:\s+Backup OK\n/, `${first.stdout}\n${topo.logs()}`);

  const pooled = await topo.console(['run job=pooled yes', 'wait', 'messages']);
  assert.match(pooled.stdout, /Storage:\s+"sd2" \(From Pool resource\)/, pooled.stdout);
  assert.match(pooled.stdout, /Termination:\s+Backup OK\n/, `${pooled.stdout}\n${topo.logs()}`);
  assert.ok(readdirSync(topo.volumes('sd2')).some((v) => v.startsWith('Two-')), readdirSync(topo.volumes('sd2')).join(' '));
});
