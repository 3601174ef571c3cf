/**
 * Each daemon killed with SIGKILL at three points of a backup (issue 14, "a daemon
 * killed mid-job"): early (the SD has reserved its drive, the client's Run Before Job
 * holds the job before any data), mid-data (files are on the volume, the client waits
 * at a FIFO it reads with ReadFifo) and at the end (all data and the session's end
 * label written, the client's Run After Job holds the job before it is committed).
 * For each: the job gets a failed status in the catalog within a bounded time (a killed
 * Director's successor marks the jobs it was running; a peer lost makes the Director
 * cancel the other, and a client that loses its Director stops), the volume reads clean
 * with bls (a session cut off is not damage), the next backup gets the freed drive,
 * appends to the same volume and ends OK, and at the end every committed backup
 * restores exactly. The one job that ends well: the SD killed after it reported its
 * session's end, which the Director commits.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';
import { assertBackupOk } from '../harness/checks.js';
import { JobHolds } from '../harness/holds.js';
import { bls, DAEMON_NAMES, killAt, POINTS, restartDaemon, VICTIMS, WHEN, type Victim } from '../harness/kills.js';
import { compareTrees } from '../harness/tree.js';

/** Three 1 MiB files: at least two whole 1 MiB blocks reach the volume before the FIFO. */
const FILES = 3;
const FILE_BYTES = 1024 * 1024;

describe('a daemon killed with SIGKILL during a backup', () => {
  let src = '';
  let holds: JobHolds;
  let burrow: Burrow;
  const committed: number[] = [];
  const volume = (): string => join(burrow.volumes, 'Kill-0001');
  const size = (): number => { try { return statSync(volume()).size; } catch { return 0; } };

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-kill-'));
    mkdirSync(join(src, 'files'));
    for (let i = 0; i < FILES; i++) writeFileSync(join(src, 'files', `f${i}.bin`), randomBytes(FILE_BYTES));
    execFileSync('mkfifo', [join(src, 'fifo')]);
    holds = new JobHolds(join(src, 'scripts'));
    const job = 'Type = Backup; Level = Full; Client = test-fd; Storage = File; Pool = Full; Messages = Standard';
    burrow = await Burrow.start({
      include: [join(src, 'files')], labelFormat: 'Kill-',
      fdDirectives: [`Allowed Script Dir = "${holds.dir}"`],
      directorResources: `
FileSet { Name = FifoSet; Include { Options { Signature = SHA256; ReadFifo = yes }
  File = ${JSON.stringify(join(src, 'files'))}
  File = ${JSON.stringify(join(src, 'fifo'))} } }
Job { Name = kill-early; ${job}; FileSet = TestSet; Client Run Before Job = "${holds.command('early')}" }
Job { Name = kill-mid; ${job}; FileSet = FifoSet }
Job { Name = kill-end; ${job}; FileSet = TestSet; Client Run After Job = "${holds.command('end')}" }
`,
    });
  });
  after(async () => {
    holds?.release();
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  for (const victim of VICTIMS) {
    for (const point of POINTS) {
      it(`the ${DAEMON_NAMES[victim]} killed ${WHEN[point]}: the job's end is in the catalog, the volume reads clean, the next backup appends`, async (t) => {
        holds.hold();
        const sizeBefore = size();
        const started = await burrow.console([`run job=kill-${point} yes`]);
        assert.equal(started.code, 0, started.stdout);
        const jobId = Number(/JobId=(\d+)/.exec(started.stdout)?.[1]);
        const reached = point === 'mid'
          ? (): boolean => size() >= sizeBefore + 2 * FILE_BYTES
          : (): boolean => holds.reached(point, jobId);
        const status = await killAt(burrow, { victim, point, jobId, reached, holds, t });
        if (status === 'T') committed.push(jobId);
        // Cut off mid-data with the SD alive, the session is ended on the volume with an
        // error status (early, none was begun there; at the end, it had ended well).
        if (point === 'mid' && victim !== 'sd') {
          await waitFor(() => new RegExp(`End Job Session: JobId=${jobId} .*Status=[EA]`).test(bls(burrow.volumes, 'Kill-0001', true).stdout), 15_000,
            () => `JobId ${jobId}'s session was never ended on the volume:\n${bls(burrow.volumes, 'Kill-0001', true).stdout}\n${burrow.logs()}`);
        }
        if (victim !== 'dir') await restartDaemon(burrow, victim);

        // The next backup gets the drive, appends to the same volume and ends OK.
        const next = await assertBackupOk(burrow);
        committed.push(next);
        const listing = bls(burrow.volumes, 'Kill-0001');
        assert.equal(listing.code, 0, `bls calls the volume damaged:\n${listing.stderr}\n${listing.stdout}`);
        assert.equal(listing.stderr, '');
        assert.match(listing.stdout, new RegExp(`End Job Session: JobId=${next} .*Status=T`), `JobId ${next} did not append to Kill-0001:\n${listing.stdout}`);
      });
    }
  }

  it('every committed backup restores exactly', async () => {
    for (const jobId of [committed[0]!, committed[committed.length - 1]!]) {
      const where = join(burrow.dir, `restored-${jobId}`);
      const r = await burrow.console([`restore client=test-fd jobid=${jobId} all done yes where=${where}`, 'wait', 'messages']);
      assert.match(r.stdout, /Termination:\s+Restore OK\n/, r.stdout);
      assert.deepEqual(compareTrees(join(src, 'files'), join(where, src, 'files')), []);
    }
  });
});
