/**
 * Several Storage daemons for one Job (issue 15): with `Storage = sd1, sd2` a backup
 * writes to the first whose daemon answers; when sd1 is down the job says so in its
 * log and writes to sd2, and once sd1 is back the next backup goes there again (to a
 * volume of its own Media Type, never sd2's). A restore reads with the Storage that
 * holds its volumes, and is exact; one whose files lie on both SDs is refused, naming
 * the volumes (a restore reads from one Storage daemon so far).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // The Full on sd2, the Incremental on sd1: one read session cannot reach both, and the job says so.
  const both = await topo.console([`restore client=fd1 select current all done yes where=${join(topo.restored, 'both')}`, 'wait', 'messages']);
  assert.match(both.stdout, /lie on volumes of two Storage daemons, Vol-0001 \(Media Type File2\) and Vol-0002 \(Media Type File1\)|lie on volumes of two Storage daemons, Vol-0002 \(Media Type File1\) and Vol-0001 \(Media Type File2\)/, both.stdout);
});
