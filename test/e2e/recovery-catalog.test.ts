/**
 * Runbook level 3, catalog lost (docs/recovery/3-catalog-lost.md), end to end: a Full
 * that spans volumes and two Incrementals are written by the real daemons; the catalog
 * file is deleted with the Director stopped; bscan -s -m rebuilds it from the volumes
 * alone; the Director starts on it and
 * - the rows are the rows the jobs wrote: Job (level, status, files, bytes, client,
 *   FileSet), Media counters, JobMedia, File rows with positions, attributes, digests;
 * - a restore of every job is byte-identical to the same restore before the loss;
 * - the Incremental chain is intact: the current state restores whole; the next
 *   Incremental builds on the scanned jobs (the session labels carry the FileSet's digest
 *   and the job's start time), and one of a changed FileSet is upgraded to Full.
 * bscan without -s writes nothing; a second bscan -s skips the jobs it finds; bextract,
 * with no catalog at all, follows the Full across its volumes to the current state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteCatalog, type Catalog } from '@burrow/director/catalog/index';
import { assertRestoresAsBefore, expectingConsole, restoreBefore, runTool, tidyUp } from '../harness/recovery.js';
import { Burrow } from '../harness/daemons.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';
import { BIN } from '../harness/paths.js';


/**
 * What the catalog says of the jobs and volumes, without the columns only a running
 * Director knows (when a job was queued and ended, and the Log rows).
 */
async function rows(file: string): Promise<unknown> {
  const c: Catalog = openSqliteCatalog(file);
  try {
    const jobs = await Promise.all((await c.listJobs()).filter((j) => j.type === 'B').map(async (j) => ({
      jobId: j.jobId, job: j.job, name: j.name, level: j.level, status: j.status, client: j.clientName, fileSet: j.fileSetName,
      fileSetDigest: j.fileSetId === null ? null : (await c.getFileSet(j.fileSetId))?.digest, startTime: j.startTime,
      pool: j.poolName, files: j.jobFiles, bytes: j.jobBytes,
      jobMedia: (await c.listJobMedia(j.jobId)).map(({ jobMediaId: _id, ...m }) => m),
      fileRows: (await c.listFiles(j.jobId)).map((f) => ({ ...f, attributes: f.attributes.toString('hex'), digest: f.digest?.toString('hex'), path: f.path.toString('hex') })),
    })));
    const media = (await c.listMedia()).map((m) => ({
      volumeName: m.volumeName, pool: m.poolName, mediaType: m.mediaType, volStatus: m.volStatus,
      volBytes: m.volBytes, volBlocks: m.volBlocks, volJobs: m.volJobs, volFiles: m.volFiles,
    }));
    return { jobs, media };
  } finally {
    c.close();
  }
}

function queuedJobId(stdout: string): number {
  const id = Number(/Job queued\. JobId=(\d+)/.exec(stdout)?.[1]);
  assert.ok(id > 0, stdout);
  return id;
}

test('level 3: the catalog lost, rebuilt by bscan from the volumes; every job restores as before', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-lvl3-'));
  buildSampleTree(src);
  const out = mkdtempSync(join(tmpdir(), 'burrow-lvl3-out-'));
  const burrow = await Burrow.start({ include: [src], maximumVolumeBytes: '1 MB', labelFormat: 'Scan-' });
  tidyUp(t, burrow, [src, out]);
  const ok = expectingConsole(burrow);
  await ok(['run job=backup-test level=Full yes'], /Termination:\s+Backup OK\n/);
  writeFileSync(join(src, 'docs', 'second.txt'), 'after the Full\n');
  await ok(['run job=backup-test level=Incremental yes'], /Termination:\s+Backup OK\n/);
  writeFileSync(join(src, 'docs', 'hello.txt'), 'hello again\n');
  writeFileSync(join(src, 'third.bin'), Buffer.alloc(1_500_000, 7));
  await ok(['run job=backup-test level=Incremental yes'], /Termination:\s+Backup OK\n/);
  const jobs = [1, 2, 3];
  await restoreBefore(ok, out, jobs);

  const db = join(burrow.directorWorkDir, 'bacula.db');
  const before = await rows(db);
  const volumes = readdirSync(burrow.volumes).filter((n) => n.startsWith('Scan-')).sort();
  assert.ok(volumes.length >= 4, `the Full spans volumes: ${volumes.join(' ')}`);

  // The loss: the Director stopped, its catalog gone.
  await burrow.stopNamed('dir');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });

  // Without any catalog, bextract follows the Full across its volumes and the Incrementals after it.
  const extracted = join(out, 'bextract');
  const ext = runTool(BIN.bextract, ['-V', volumes.join('|'), burrow.volumes, extracted]);
  assert.equal(ext.code, 0, `${ext.stdout}\n${ext.stderr}`);
  assert.deepEqual(compareTrees(src, join(extracted, src)), []);

  const dry = runTool(BIN.bscan, ['-c', burrow.configs.dir, '-V', volumes.join('|'), burrow.volumes]);
  assert.equal(dry.code, 0, `${dry.stdout}\n${dry.stderr}`);
  assert.match(dry.stdout, /Records would have been added or updated in the catalog:\n\s+1 Pool\n\s+\d+ Media\n\s+3 Job\n/);
  assert.ok(!existsSync(db), 'a dry run writes nothing');

  const scan = runTool(BIN.bscan, ['-s', '-m', '-v', '-c', burrow.configs.dir, '-V', volumes.join('|'), burrow.volumes]);
  assert.equal(scan.code, 0, `${scan.stdout}\n${scan.stderr}`);
  assert.match(scan.stdout, /Created Job record for JobId=1 Job=backup-test\.\S+ Level=Full/);
  assert.match(scan.stdout, /Records added or updated in the catalog:\n\s+1 Pool\n/);
  assert.deepEqual(await rows(db), before, 'the scanned rows are the rows the jobs wrote');

  const again = runTool(BIN.bscan, ['-s', '-c', burrow.configs.dir, '-V', volumes.join('|'), burrow.volumes]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /\s+0 Job\n/);
  assert.deepEqual(await rows(db), before, 'a second scan adds nothing');

  await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);
  await assertRestoresAsBefore(ok, { out, src, jobs });

  // The next Incremental builds on the scanned chain: the FileSet row and the start times came back from the session labels.
  writeFileSync(join(src, 'fourth.txt'), 'after the recovery\n');
  const incr = queuedJobId(await ok(['run job=backup-test level=Incremental yes'], /Termination:\s+Backup OK\n/));
  assert.match(burrow.jobLog(), new RegExp(`JobId ${incr}: Incremental since \\S+ \\S+ \\(JobId 3, Incremental\\)`));
  const sent = await burrow.console([`list files jobid=${incr}`]);
  assert.match(sent.stdout, /fourth\.txt/, sent.stdout);
  assert.doesNotMatch(sent.stdout, /third\.bin|hello\.txt/, `only what changed since JobId 3 started:\n${sent.stdout}`);

  // A changed FileSet has no Full yet: its next Incremental is upgraded, and says why.
  const config = readFileSync(burrow.configs.dir, 'utf8');
  writeFileSync(burrow.configs.dir, config.replace('FileSet { Name = TestSet', `FileSet { Name = TestSet\n  Exclude { File = "${join(src, 'third.bin')}" }`));
  const upgraded = queuedJobId(await ok(['reload', 'run job=backup-test level=Incremental yes'], /Termination:\s+Backup OK\n/));
  assert.match(burrow.jobLog(), new RegExp(`JobId ${upgraded}: No prior Full backup Job record found for Job "backup-test", Client "test-fd", FileSet "TestSet": doing a Full backup instead of Incremental\\.`));
  const full = await burrow.console([`llist jobid=${upgraded}`]);
  assert.match(full.stdout, /level: F\n/, full.stdout);
});
