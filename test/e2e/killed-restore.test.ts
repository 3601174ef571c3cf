/**
 * Each daemon killed with SIGKILL at three points of a restore (issue 14, "a daemon
 * killed mid-job"): early (the client's Run Before Job holds the restore before any
 * data), mid-data (the restore writes a FIFO's saved data back into the FIFO, whose
 * reader took the first bytes and stopped, so the restore waits there with most of the
 * data still to come) and at the end (the data is written, the client's Run After Job
 * holds the job). For each: the restore's end is in the catalog within a bounded time,
 * the next restore of the same backup gets the drive and the client and is exact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { sha256File } from '../harness/checks.js';
import { feedFifo, JobHolds, StalledFifoReader } from '../harness/holds.js';
import { DAEMON_NAMES, finalJobStatus, killAt, POINTS, restartDaemon, VICTIMS, WHEN } from '../harness/kills.js';
import { compareTrees } from '../harness/tree.js';

/** More than a pipe, the sockets and the client's buffers hold: the restore is mid-data while the FIFO stalls. */
const FIFO_BYTES = 24 * 1024 * 1024;

describe('a daemon killed with SIGKILL during a restore', () => {
  let src = '';
  let holds: JobHolds;
  let burrow: Burrow;
  let backup = 0;
  const fifo = (): string => join(src, 'fifo');

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-killr-'));
    mkdirSync(join(src, 'files'));
    for (let i = 0; i < 3; i++) writeFileSync(join(src, 'files', `f${i}.bin`), randomBytes(256 * 1024));
    writeFileSync(join(src, 'fifo-data'), randomBytes(FIFO_BYTES));
    execFileSync('mkfifo', [fifo()]);
    holds = new JobHolds(join(src, 'scripts'));
    const restore = 'Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard';
    burrow = await Burrow.start({
      include: [join(src, 'files'), fifo()], options: ['Signature = SHA256', 'ReadFifo = yes'], labelFormat: 'KillR-',
      fdDirectives: [`Allowed Script Dir = "${holds.dir}"`],
      directorResources: `
Job { Name = restore-early; ${restore}; Where = ${JSON.stringify(join(src, 'unused'))}; Client Run Before Job = "${holds.command('early')}" }
Job { Name = restore-end; ${restore}; Where = ${JSON.stringify(join(src, 'unused'))}; Client Run After Job = "${holds.command('end')}" }
`,
    });
    const fed = feedFifo(fifo(), join(src, 'fifo-data'));
    const r = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout);
    assert.equal(await fed, 0);
    backup = Number(/JobId=(\d+)/.exec(r.stdout)?.[1]);
  });
  after(async () => {
    holds?.release();
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  /** A restore of the backup (all of it, or one file); its JobId. */
  async function startRestore(o: { where: string; job?: string; file?: string }): Promise<number> {
    const what = o.file === undefined ? 'all done' : `file=${o.file}`;
    const r = await burrow.console([`restore client=test-fd jobid=${backup} ${what} yes where=${o.where} replace=always restorejob=${o.job ?? 'RestoreFiles'}`]);
    const id = /JobId=(\d+)/.exec(r.stdout)?.[1];
    assert.ok(id, r.stdout + r.stderr);
    return Number(id);
  }

  for (const victim of VICTIMS) {
    for (const point of POINTS) {
      it(`the ${DAEMON_NAMES[victim]} killed ${WHEN[point]}: the restore's end is in the catalog, the next restore is exact`, async (t) => {
        holds.hold();
        // Mid-data: the restore writes the FIFO's data back into the FIFO (where=/, that file only), read here.
        const reader = point === 'mid' ? new StalledFifoReader(fifo()) : null;
        try {
          const jobId = await startRestore(point === 'mid' ? { where: '/', file: fifo() } : { where: join(burrow.dir, `r-${victim}-${point}`), job: `restore-${point}` });
          const reached = reader ? (): boolean => reader.tookSome() : (): boolean => holds.reached(point, jobId);
          await killAt(burrow, { victim, point, jobId, reached, holds, t });
        } finally {
          reader?.close();
        }
        if (victim !== 'dir') await restartDaemon(burrow, victim);

        const where = join(burrow.dir, `next-${victim}-${point}`);
        const next = await startRestore({ where });
        assert.equal((await finalJobStatus(burrow, next, 60_000)).status, 'T', burrow.jobLog());
        assert.deepEqual(compareTrees(join(src, 'files'), join(where, src, 'files')), []);
        assert.equal(sha256File(join(where, fifo())), sha256File(join(src, 'fifo-data')));
      });
    }
  }
});
