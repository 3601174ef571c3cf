/**
 * A daemon killed with SIGKILL in the middle of a backup (issue 14's second fault):
 * the job is marked failed, the volume reads clean with bls (the aborted session has
 * its end label; the record cut off with it is not damage), the next job appends after
 * the last complete block and restores byte for byte.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';
import { assertBackupOk, sha256File } from '../harness/checks.js';
import { BIN } from '../harness/paths.js';

/** Enough data that the backup is still streaming when the kill comes (a few seconds at most). */
const FILES = 6;
const FILE_BYTES = 8 * 1024 * 1024;

function bls(volumes: string, volume: string, jobsOnly = false): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN.bls, ...(jobsOnly ? ['-j'] : []), '-V', volume, volumes], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const victim of ['fd', 'dir'] as const) {
  describe(`the ${victim === 'fd' ? 'File daemon' : 'Director'} killed mid-backup`, () => {
    let src = '';
    let burrow: Burrow;

    before(async () => {
      src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
      for (let i = 0; i < FILES; i++) writeFileSync(join(src, `f${i}.bin`), randomBytes(FILE_BYTES));
      burrow = await Burrow.start({ include: [src], labelFormat: 'Kill-' });
    });
    after(async () => {
      await burrow?.stop();
      rmSync(src, { recursive: true, force: true });
    });

    it('fails the job, leaves a volume bls reads clean, and the next job appends and restores', async (t) => {
      const volume = join(burrow.volumes, 'Kill-0001');
      const started = await burrow.console(['run job=backup-test yes']);
      assert.equal(started.code, 0, started.stdout);
      const jobId = Number(/JobId=(\d+)/.exec(started.stdout)?.[1]);
      const size = (): number => { try { return statSync(volume).size; } catch { return 0; } };
      // Past the first blocks, well before the end: the kill lands while data streams.
      await waitFor(() => size() > 6 * 1024 * 1024, 60_000, () => `the backup wrote ${size()} bytes:\n${burrow.logs()}`);
      const daemon = burrow.daemons.find((d) => d.name === victim);
      assert.ok(daemon);
      daemon.process.kill('SIGKILL');
      assert.ok(size() < FILES * FILE_BYTES, 'the backup ended before the kill');
      await burrow.stopNamed(victim);
      // The SD ends the session on the volume once it hears of the job's end; then the rest.
      if (victim === 'dir') await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);
      const ended = await burrow.console(['wait', `llist jobid=${jobId}`]);
      assert.match(ended.stdout, /jobstatus: [EfA]\n/, `the killed job is not marked failed:\n${ended.stdout}`);
      if (victim === 'fd') await burrow.spawnDaemon('fd', 'fd', burrow.configs.fd);

      // The next job runs (its reservation is free) and appends to the same volume.
      await waitFor(() => /End Job Session: JobId=/.test(bls(burrow.volumes, 'Kill-0001', true).stdout), 15_000,
        () => `the killed session was never ended on the volume:\n${bls(burrow.volumes, 'Kill-0001', true).stdout}\n${burrow.logs()}`);
      const next = await assertBackupOk(burrow);
      const listing = bls(burrow.volumes, 'Kill-0001');
      assert.equal(listing.code, 0, `bls calls a healthy volume damaged:\n${listing.stderr}\n${listing.stdout}`);
      assert.equal(listing.stderr, '');
      // Whether the kill cut a record off (most runs): bls says so, and it is no damage.
      t.diagnostic(listing.stdout.split('\n').find((l) => l.includes('not finished')) ?? 'no record was cut off');
      const sessions = listing.stdout.split('\n').filter((l) => /Job Session:/.test(l)).map((l) => l.replace(/ Time=\S+| Addr=\d+/g, ''));
      assert.equal(sessions.length, 4, listing.stdout);
      assert.match(sessions[0] ?? '', new RegExp(`^Begin Job Session: JobId=${jobId} `));
      assert.match(sessions[1] ?? '', new RegExp(`^End Job Session: JobId=${jobId} .*Status=[EA]`));
      assert.match(sessions[2] ?? '', new RegExp(`^Begin Job Session: JobId=${next} `));
      assert.match(sessions[3] ?? '', new RegExp(`^End Job Session: JobId=${next} .*Status=T`));

      const where = join(burrow.dir, 'restored');
      const r = await burrow.console([`restore client=test-fd jobid=${next} all yes where=${where}`, 'wait', 'messages']);
      assert.match(r.stdout, /Termination:\s+Restore OK\n/, r.stdout);
      for (let i = 0; i < FILES; i++) {
        assert.equal(sha256File(join(where, src, `f${i}.bin`)), sha256File(join(src, `f${i}.bin`)), `f${i}.bin`);
      }
    });
  });
}
