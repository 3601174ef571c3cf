/**
 * Volumes that are not what the catalog says, against the real daemons: a foreign
 * file where a volume is to be labelled, a catalog volume whose file was replaced by
 * garbage, and a volume cut short. Burrow refuses or reports clearly, never writes
 * over a file it did not make, restores what survives, and keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { assertAllServing, assertBackupOk, jobIds, sha256File } from '../harness/checks.js';

const FOREIGN_TEXT = 'These are my holiday notes, not a backup volume.\n'.repeat(50);

describe('foreign and replaced volume files', () => {
  let src = '';
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    // With no other volume the job waits for the operator; its Max Wait Time ends the wait.
    burrow = await Burrow.start({ include: [src], labelFormat: null, jobDirectives: ['Max Wait Time = 2s'] });
    mkdirSync(burrow.volumes, { recursive: true });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('refuses to label over a file that is not a Burrow volume and leaves it untouched', async () => {
    const path = join(burrow.volumes, 'Foreign-1');
    writeFileSync(path, FOREIGN_TEXT);
    const digest = sha256File(path);
    const r = await burrow.console(['label storage=File volume=Foreign-1 pool=Full']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Foreign-1 exists and is not a Burrow volume; refusing to overwrite it/);
    assert.equal(sha256File(path), digest);
    const vols = await burrow.console(['list volumes']);
    assert.doesNotMatch(vols.stdout, /Foreign-1/, 'a refused label left a catalog record');
    await assertAllServing(burrow);
  });

  it('fails a backup clearly when a catalog volume was replaced by garbage, and leaves the file alone', async () => {
    const label = await burrow.console(['label storage=File volume=Vol-0001 pool=Full']);
    assert.equal(label.code, 0, label.stdout);
    await assertBackupOk(burrow);
    const path = join(burrow.volumes, 'Vol-0001');
    writeFileSync(path, randomBytes(100_000));
    const digest = sha256File(path);

    const r = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /Volume "Vol-0001" cannot be used: \S*Vol-0001 is not a Burrow volume\. Marking Volume "Vol-0001" in Error in Catalog\./);
    // With no Label Format there is no other volume to go on with: the job says what to do,
    // waits for the operator, and fails when its Max Wait Time passes.
    assert.match(r.stdout, /Cannot find any appendable volumes .* label one/);
    assert.match(r.stdout, /Max wait time exceeded \(2 secs\)/);
    assert.match(r.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*\n/);
    const jobId = Number(/JobId=(\d+)/.exec(r.stdout)?.[1]);
    const llist = await burrow.console([`llist jobid=${jobId}`]);
    // Error or Fatal Error: either way a failed job, which a restore would refuse.
    assert.match(llist.stdout, /jobstatus: [Ef]\n/);
    assert.match(llist.stdout, /Vol-0001 is not a Burrow volume/);
    assert.equal(sha256File(path), digest, 'the SD changed a file that is not its volume');
    assert.match((await burrow.console(['list volumes'])).stdout, /\| Vol-0001\s+\| Error\s+\|/);
    await assertAllServing(burrow);

    // A fresh volume gets backups going again; the bad one stays out of use and untouched.
    const relabel = await burrow.console(['label storage=File volume=Vol-0002 pool=Full']);
    assert.equal(relabel.code, 0, relabel.stdout);
    await assertBackupOk(burrow);
    assert.equal(sha256File(path), digest);
  });
});

describe('a foreign file where the Label Format would put the next volume', () => {
  let src = '';
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    burrow = await Burrow.start({ include: [src], labelFormat: 'Auto-' });
    mkdirSync(burrow.volumes, { recursive: true });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('skips the file, marks that volume in Error, goes on with the next name, and never writes over it', async () => {
    const path = join(burrow.volumes, 'Auto-0001');
    writeFileSync(path, FOREIGN_TEXT);
    const digest = sha256File(path);
    const r = await burrow.console(['run job=backup-test yes', 'wait', 'messages', 'list volumes']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Warning: Volume "Auto-0001" cannot be used: \S*Auto-0001 exists and is not a Burrow volume; refusing to overwrite it\. Marking Volume "Auto-0001" in Error/);
    assert.match(r.stdout, /Labeled new Volume "Auto-0002"/);
    assert.match(r.stdout, /Termination:\s+Backup OK -- with warnings\n/);
    assert.match(r.stdout, /\| Auto-0001\s+\| Error\s+\|/);
    assert.equal(sha256File(path), digest);
    // The next backup does not stumble over it again.
    await assertBackupOk(burrow);
    assert.equal(sha256File(path), digest);
    await assertAllServing(burrow);
  });
});

describe('a volume cut short', () => {
  let src = '';
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
    // Files are backed up in name order, so z-big.bin is last on the volume.
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'b.bin'), randomBytes(200_000));
    writeFileSync(join(src, 'z-big.bin'), randomBytes(2 * 1024 * 1024));
    burrow = await Burrow.start({ include: [src], labelFormat: 'Cut-' });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('reports the damage in the job log and restores the files before the cut', async () => {
    const jobId = await assertBackupOk(burrow);
    const path = join(burrow.volumes, 'Cut-0001');
    const size = statSync(path).size;
    // Half a megabyte off the end: inside the last file's data, well after the small files.
    truncateSync(path, size - 512 * 1024 - 1234);
    const cutDigest = sha256File(path);

    const where = join(burrow.dir, 'restored');
    const before = await jobIds(burrow);
    const r = await burrow.console([`restore client=test-fd jobid=${jobId} all yes where=${where}`, 'wait', 'messages']);
    assert.notEqual(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /Termination:\s+Restore OK\n/);
    assert.match(r.stdout, /Termination:\s+\*\*\* Restore Error \*\*\*\n/);
    assert.match(r.stdout, /Error: .*volume Cut-0001 is cut short at \d+/);
    assert.match(r.stdout, /z-big\.bin: restored \d+ of 2097152 bytes: the rest is missing from the volume/);
    assert.match(r.stdout, /Files Restored:\s+3\n/);
    const restoreId = (await jobIds(burrow)).find((id) => !before.includes(id));
    const llist = await burrow.console([`llist jobid=${restoreId}`]);
    assert.match(llist.stdout, /jobstatus: E/);
    assert.match(llist.stdout, /volume Cut-0001 is cut short/, 'the job log in the catalog does not mention the damage');
    assert.equal(sha256File(path), cutDigest, 'the restore changed the volume');

    const restored = join(where, src);
    assert.deepEqual(readFileSync(join(restored, 'a.txt')), readFileSync(join(src, 'a.txt')));
    assert.deepEqual(readFileSync(join(restored, 'b.bin')), readFileSync(join(src, 'b.bin')));
    // What there was of the last file is there, and was reported short above.
    const big = readFileSync(join(restored, 'z-big.bin'));
    assert.ok(big.length < 2 * 1024 * 1024);
    assert.deepEqual(big, readFileSync(join(src, 'z-big.bin')).subarray(0, big.length));
    await assertAllServing(burrow);
    await assertBackupOk(burrow);
  });
});
