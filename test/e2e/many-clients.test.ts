/**
 * Many clients at once (issue 15): fifty File daemons back up to one Storage daemon at
 * the same time. The SD's device has two drives (Count = 2) taking up to 25 jobs each;
 * jobs that start together share their drive's volume and interleave on it; every job
 * ends OK and every client's restore is exact, and neither the Director nor the SD
 * grows past a bound while fifty jobs run. Then the Director's limits: a Storage
 * resource with Maximum Concurrent Jobs = 3 never has more running, and a Client's two
 * Jobs (Client Maximum Concurrent Jobs = 1, the default) never overlap, as the
 * catalog's start and end times show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFiles, openSqliteCatalog, type JobRow } from '@burrow/director/catalog/index';
import { peakRssMiB } from '../harness/processes.js';
import { Topology } from '../harness/topology.js';
import { compareTrees } from '../harness/tree.js';

const CLIENTS = 50;
/**
 * What the Director and the Storage daemon may hold at their peak with fifty small jobs
 * running: measured 111 and 103 MiB (a daemon alone is some 80), so a few MiB a job more
 * than today fails. (The data buffered per job is the bench's: 50 clients of 20 MiB.)
 */
const PEAK_MIB = 250;
const names = Array.from({ length: CLIENTS }, (_, i) => `fd${i + 1}`);

/** A small tree of the client's own: a text file, a binary one, an empty one in a directory. */
function clientTree(root: string, name: string): void {
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'hello.txt'), `${name}\n`.repeat(100));
  writeFileSync(join(root, 'sub', 'data.bin'), randomBytes(16 * 1024 + name.length));
  writeFileSync(join(root, 'sub', 'empty'), '');
}

/** The most jobs running at one instant, from their catalog start and end times (ms). */
function mostAtOnce(jobs: readonly JobRow[]): number {
  const edges = jobs.flatMap((j) => [{ at: j.startTime!, d: 1 }, { at: j.endTime!, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, now += e.d);
  return most;
}

test('fifty File daemons back up to one Storage daemon at once; every restore is exact; the limits hold', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-many-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  for (const name of names) clientTree(join(src, name), name);
  const started = Date.now();
  const topo = await Topology.start({
    clients: names.map((name) => ({ name, include: [join(src, name)] })),
    storages: [{
      name: 'sd1', sdDirectives: ['Maximum Concurrent Jobs = 60'], storageDirectives: ['Maximum Concurrent Jobs = 50'],
      deviceDirectives: ['Count = 2', 'Maximum Concurrent Jobs = 25'],
    }],
    maximumConcurrentJobs: 60,
    restoreDirectives: ['Maximum Concurrent Jobs = 50'],
    directorResources: `
Storage { Name = narrow; Address = 127.0.0.1; SDPort = @PORT:sd1@; Password = @PASSWORD:sd1@; Device = FileStorage; Media Type = File; Maximum Concurrent Jobs = 3 }
Job { Name = second-fd1; Type = Backup; Level = Full; Client = fd1; FileSet = set-fd1; Storage = sd1; Pool = Full; Messages = Standard }`,
  });
  t.after(() => topo.stop());
  t.diagnostic(`${CLIENTS} File daemons, a Storage daemon and the Director started in ${Date.now() - started} ms`);
  const catalog = openSqliteCatalog(catalogFiles(topo.directorWorkDir, 'bacula').database);
  t.after(() => catalog.close());

  let t0 = Date.now();
  const run = await topo.console([...names.map((n) => `run job=backup-${n} yes`), 'wait'], undefined, 180_000);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  t.diagnostic(`${CLIENTS} backups at once: ${Date.now() - t0} ms`);
  const backups = await catalog.listJobs({ type: 'B' });
  assert.equal(backups.length, CLIENTS);
  assert.deepEqual(backups.filter((j) => j.status !== 'T').map((j) => `${j.name}: ${j.status}`), [], topo.jobLog());
  const onVolume = new Map<string, JobRow[]>();
  for (const j of backups) for (const m of await catalog.listJobMedia(j.jobId)) onVolume.set(m.volumeName, [...onVolume.get(m.volumeName) ?? [], j]);
  // (At once as the Director saw them run: a job waiting in the SD for room on a drive counts too.)
  const volumes = [...onVolume].map(([name, jobs]) => `${name}: ${jobs.length} jobs, ${mostAtOnce(jobs)} at once`);
  t.diagnostic(`${volumes.join('; ')}; all: ${mostAtOnce(backups)} at once`);
  // One volume a drive: jobs that start together are not each given a volume of their own.
  assert.ok(onVolume.size <= 2, volumes.join('\n'));
  assert.ok(mostAtOnce(onVolume.get('Vol-0001') ?? []) >= 2, `jobs interleave on Vol-0001: ${volumes.join('\n')}`);

  t0 = Date.now();
  const restores = names.map((n) => `restore client=${n} select current all done yes where=${join(topo.restored, n)}`);
  const restored = await topo.console([...restores, 'wait'], undefined, 180_000);
  assert.equal(restored.code, 0, restored.stdout);
  t.diagnostic(`${CLIENTS} restores: ${Date.now() - t0} ms`);
  assert.deepEqual((await catalog.listJobs({ type: 'R' })).filter((j) => j.status !== 'T').map((j) => j.jobId), [], topo.jobLog());
  for (const n of names) assert.deepEqual(compareTrees(join(src, n), join(topo.restored, n, src, n)), [], n);
  // Memory bounded: the Director's and the Storage daemon's peak over fifty backups, then fifty restores, at once.
  const peaks = ['dir', 'sd1'].map((name) => ({ name, mib: Math.round(peakRssMiB(topo.daemons.find((d) => d.name === name)!.process.pid!)) }));
  t.diagnostic(`peak resident memory: ${peaks.map((p) => `${p.name} ${p.mib} MiB`).join(', ')}`);
  for (const p of peaks) assert.ok(p.mib < PEAK_MIB, `${p.name} peaked at ${p.mib} MiB`);

  const narrow = names.slice(10, 19);
  const limited = await topo.console([...narrow.map((n) => `run job=backup-${n} storage=narrow yes`), 'run job=backup-fd1 yes', 'run job=second-fd1 yes', 'wait']);
  assert.equal(limited.code, 0, limited.stdout);
  const after = (await catalog.listJobs({ type: 'B' })).slice(CLIENTS);
  assert.deepEqual(after.filter((j) => j.status !== 'T').map((j) => j.jobId), [], topo.jobLog());
  const viaNarrow = after.filter((j) => narrow.includes(j.clientName ?? ''));
  assert.equal(viaNarrow.length, narrow.length);
  const most = mostAtOnce(viaNarrow);
  t.diagnostic(`through Storage narrow (Maximum Concurrent Jobs = 3): ${most} at once`);
  assert.ok(most <= 3 && most >= 2, `${most} at once through Storage narrow`);
  const fd1 = after.filter((j) => j.clientName === 'fd1');
  assert.equal(fd1.length, 2);
  assert.equal(mostAtOnce(fd1), 1, 'the Client\'s two Jobs ran one after the other');
});
