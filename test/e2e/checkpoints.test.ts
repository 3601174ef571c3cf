/**
 * Checkpoints (Bareos's Checkpoint Interval on the SD's Storage resource) and what Burrow
 * builds on them (issue 14, "a daemon killed mid-job"): a backup held at a FIFO it reads
 * with ReadFifo makes a checkpoint; then the SD, or the Director, is killed. The job ends
 * Incomplete (JobStatus I) with the files saved by its checkpoint in the catalog; they
 * restore exactly; the next run of the Job, a Full, continues from it: it sends only what
 * the Incomplete Full did not save, and a restore of the client's current state (the two
 * together) gives back every file. An Incremental killed the same way is continued by
 * the next Incremental (same since-time, PriorJobId), and the current state takes both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { sha256File } from '../harness/checks.js';
import { feedFifo } from '../harness/holds.js';
import { DAEMON_NAMES, finalJobStatus, killDaemon, restartDaemon, type Victim } from '../harness/kills.js';
import { compareTrees } from '../harness/tree.js';

const FILES = ['f0.bin', 'f1.bin', 'f2.bin'];

describe('checkpoints', () => {
  let src = '';
  let burrow: Burrow;
  const fifo = (): string => join(src, 'fifo');

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-ckpt-'));
    mkdirSync(join(src, 'files'));
    for (const f of FILES) writeFileSync(join(src, 'files', f), randomBytes(200 * 1024));
    writeFileSync(join(src, 'fifo-data'), randomBytes(64 * 1024));
    execFileSync('mkfifo', [fifo()]);
    burrow = await Burrow.start({
      include: [join(src, 'files'), fifo()], options: ['Signature = SHA256', 'ReadFifo = yes'], labelFormat: 'Ckpt-',
      sdDirectives: ['Checkpoint Interval = 1 second'],
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  for (const victim of ['sd', 'dir'] as Victim[]) {
    it(`the ${DAEMON_NAMES[victim]} killed after a checkpoint: Incomplete, restorable, and continued by the next Full`, async () => {
      const started = await burrow.console(['run job=backup-test yes']);
      const jobId = Number(/JobId=(\d+)/.exec(started.stdout)?.[1]);
      assert.ok(jobId, started.stdout);
      // The client waits at the FIFO: the next checkpoint holds every file before it.
      await burrow.untilLogged(new RegExp(`JobId ${jobId}: Checkpoint: [3-9] files saved so far`), 60_000);
      await killDaemon(burrow, victim);
      if (victim === 'dir') await restartDaemon(burrow, 'dir');
      const ended = await finalJobStatus(burrow, jobId, 20_000);
      assert.equal(ended.status, 'I', burrow.jobLog());
      if (victim === 'sd') await restartDaemon(burrow, 'sd');

      const listed = await burrow.console([`list files jobid=${jobId}`]);
      for (const f of FILES) assert.match(listed.stdout, new RegExp(f.replace('.', '\\.')), listed.stdout);
      assert.doesNotMatch(listed.stdout, /fifo/, 'the file being read at the kill is not in the catalog');
      const where = join(burrow.dir, `incomplete-${jobId}`);
      const restored = await burrow.console([`restore client=test-fd jobid=${jobId} all done yes where=${where}`, 'wait']);
      assert.equal(restored.code, 0, restored.stdout);
      for (const f of FILES) assert.equal(sha256File(join(where, src, 'files', f)), sha256File(join(src, 'files', f)), f);

      // The next Full continues: the three files are not sent again, the FIFO's data is.
      const fed = feedFifo(fifo(), join(src, 'fifo-data'));
      const next = await burrow.console(['run job=backup-test yes', 'wait']);
      const nextId = Number(/JobId=(\d+)/.exec(next.stdout)?.[1]);
      assert.equal((await finalJobStatus(burrow, nextId)).status, 'T', burrow.jobLog());
      assert.equal(await fed, 0);
      assert.match(burrow.jobLog(), new RegExp(`JobId ${nextId}: Continuing the Incomplete Full JobId ${jobId}`));
      const sent = await burrow.console([`list files jobid=${nextId}`]);
      assert.match(sent.stdout, /fifo/);
      for (const f of FILES) assert.doesNotMatch(sent.stdout, new RegExp(f.replace('.', '\\.')), sent.stdout);

      const whole = join(burrow.dir, `current-${nextId}`);
      const current = await burrow.console([`restore client=test-fd select current all done yes where=${whole}`, 'wait', 'messages']);
      assert.match(current.stdout, /Termination:\s+Restore OK\n/, current.stdout);
      assert.deepEqual(compareTrees(join(src, 'files'), join(whole, src, 'files')), []);
      assert.equal(sha256File(join(whole, fifo())), sha256File(join(src, 'fifo-data')));
    });
  }

  it('an Incremental killed after a checkpoint: Incomplete, and continued by the next Incremental', async () => {
    const added = ['inc0.bin', 'inc1.bin', 'inc2.bin'];
    for (const f of added) writeFileSync(join(src, 'files', f), randomBytes(64 * 1024));
    const now = new Date();
    utimesSync(fifo(), now, now); // changed since the last Full: the Incremental reads it, and waits there
    const started = await burrow.console(['run job=backup-test level=Incremental yes']);
    const jobId = Number(/JobId=(\d+)/.exec(started.stdout)?.[1]);
    assert.ok(jobId, started.stdout);
    // The folder and the three new files (the old ones are unchanged) are saved before the FIFO.
    await burrow.untilLogged(new RegExp(`JobId ${jobId}: Checkpoint: [4-9] files saved so far`), 60_000);
    await killDaemon(burrow, 'sd');
    assert.equal((await finalJobStatus(burrow, jobId, 20_000)).status, 'I', burrow.jobLog());
    await restartDaemon(burrow, 'sd');
    const saved = await burrow.console([`list files jobid=${jobId}`]);
    for (const f of added) assert.match(saved.stdout, new RegExp(f.replace('.', '\\.')), saved.stdout);

    // The next Incremental continues it: the new files are not sent again, the FIFO's data is.
    const fed = feedFifo(fifo(), join(src, 'fifo-data'));
    const next = await burrow.console(['run job=backup-test level=Incremental yes', 'wait']);
    const nextId = Number(/JobId=(\d+)/.exec(next.stdout)?.[1]);
    assert.equal((await finalJobStatus(burrow, nextId)).status, 'T', burrow.jobLog());
    assert.equal(await fed, 0);
    assert.match(burrow.jobLog(), new RegExp(`JobId ${nextId}: Incremental since .*Continuing the Incomplete Incremental JobId ${jobId}: the \\d+ files`));
    const llist = await burrow.console([`llist jobid=${nextId}`]);
    assert.match(llist.stdout, new RegExp(`priorjobid: ${jobId}\n`), llist.stdout);
    const sent = await burrow.console([`list files jobid=${nextId}`]);
    assert.match(sent.stdout, /fifo/);
    for (const f of [...FILES, ...added]) assert.doesNotMatch(sent.stdout, new RegExp(f.replace('.', '\\.')), sent.stdout);

    // The client's current state takes the Full, the Incomplete Incremental and the one that continued it.
    const whole = join(burrow.dir, `current-incr-${nextId}`);
    const current = await burrow.console([`restore client=test-fd select current all done yes where=${whole}`, 'wait', 'messages']);
    assert.match(current.stdout, /Termination:\s+Restore OK\n/, current.stdout);
    assert.deepEqual(compareTrees(join(src, 'files'), join(whole, src, 'files')), []);
    assert.equal(sha256File(join(whole, fifo())), sha256File(join(src, 'fifo-data')));
  });
});
