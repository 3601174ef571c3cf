import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRecord } from '../volume/session-writer.js';
import { DataSpool } from './data-spool.js';
import { JobSpool } from './job-spool.js';
import { DriveSpools } from './spool-desk.js';
import { WriteGate } from '../reservations/write-gate.js';

const record = (fileIndex: number, bytes: number): SessionRecord => ({ fileIndex, stream: 2, data: Buffer.alloc(bytes, fileIndex) });

/** Each drive's write gate, which its despooling jobs take in turn. */
const gates = new WeakMap<DriveSpools, WriteGate>();
let jobIds = 0;

/** A job spooling to `dir` on `drive`, whose writes land in `volume` tagged with its name. */
async function jobSpool(o: { dir: string; name: string; drive: DriveSpools; volume: string[]; log: string[]; jobLimit?: number; deviceLimit?: number }): Promise<JobSpool> {
  const spool = await DataSpool.create(join(o.dir, `${o.name}.spool`));
  if (!gates.has(o.drive)) gates.set(o.drive, new WriteGate());
  const gate = gates.get(o.drive)!;
  const jobId = ++jobIds;
  return new JobSpool({
    takeDrive: (signal) => gate.hold(jobId, signal),
    spool, drive: o.drive, jobLimit: o.jobLimit ?? 0, deviceLimit: o.deviceLimit ?? 0,
    write: async (rec) => {
      o.volume.push(`${o.name}:${rec.fileIndex}`);
      await new Promise((res) => setImmediate(res)); // a write takes time: another job could come between
    },
    volumeName: async () => 'TAPE-0001',
    endPart: async () => { o.volume.push(`${o.name}:part`); },
    say: async (text) => { o.log.push(`${o.name}: ${text}`); },
    signal: new AbortController().signal,
  });
}

test('a job spools until its limit, despools in parts, and ends with its end label in its last turn', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-jobspool-'));
  try {
    const volume: string[] = [];
    const log: string[] = [];
    const drive = new DriveSpools();
    const job = await jobSpool({ dir, name: 'A', drive, volume, log, jobLimit: 250 });
    await job.start();
    for (let i = 1; i <= 5; i++) await job.put(record(i, 100));
    assert.equal(drive.spooled, 112, 'the drive counts the last record still spooled');
    await job.finish(async () => { volume.push('A:end'); });
    assert.deepEqual(volume, ['A:1', 'A:2', 'A:part', 'A:3', 'A:4', 'A:part', 'A:5', 'A:end']);
    assert.equal(drive.spooled, 0);
    assert.equal(log.filter((l) => l.includes('Job spool size limit reached: JobSpoolSize=224 MaxJobSpoolSize=250')).length, 2);
    assert.equal(log.filter((l) => l.includes('Committing spooled data to Volume "TAPE-0001". Despooling')).length, 3);
    assert.equal(log.filter((l) => l.endsWith('Spooling data again ...')).length, 2);
    assert.deepEqual({ ...drive.totals }, { active: 1, jobs: 1, maxJobBytes: 0 });
    await job.discard();
    assert.deepEqual({ ...drive.totals }, { active: 0, jobs: 1, maxJobBytes: 224 }, 'the largest its spool was');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two jobs despool one at a time on their drive, and the device limit counts both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-jobspool-'));
  try {
    const volume: string[] = [];
    const log: string[] = [];
    const drive = new DriveSpools();
    const a = await jobSpool({ dir, name: 'A', drive, volume, log, deviceLimit: 1000 });
    const b = await jobSpool({ dir, name: 'B', drive, volume, log, deviceLimit: 1000 });
    // Interleaved arrivals; B's fifth record finds the drive's spools at 896 bytes with its own 448 and despools.
    for (let i = 1; i <= 4; i++) {
      await a.put(record(i, 100));
      await b.put(record(i, 100));
    }
    await Promise.all([a.finish(async () => { volume.push('A:end'); }), b.put(record(5, 100)).then(() => b.finish(async () => { volume.push('B:end'); }))]);
    assert.ok(log.some((l) => l.startsWith('B: Device spool size limit reached: DevSpoolSize=896 MaxDevSpoolSize=1,000')), log.join('\n'));
    // Each despool is one run: nothing of the other job comes inside it.
    const runs = volume.map((v) => v[0]).join('');
    assert.match(runs, /^(A+B+|B+A+)(A+|B+)?$/, volume.join(' '));
    assert.equal(drive.spooled, 0);
    await a.discard();
    await b.discard();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a discarded spool is deleted and its bytes leave the drive\'s count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-jobspool-'));
  try {
    const drive = new DriveSpools();
    const job = await jobSpool({ dir, name: 'A', drive, volume: [], log: [] });
    await job.put(record(1, 1000));
    assert.equal(drive.spooled, 1012);
    await job.discard();
    assert.equal(drive.spooled, 0);
    assert.equal(existsSync(join(dir, 'A.spool')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a full spool disk despools what the spool holds and spools again; with nothing to despool it is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-jobspool-'));
  try {
    // A spool file on a disk with no room: every write to /dev/full fails with ENOSPC (the link is what remove() deletes).
    symlinkSync('/dev/full', join(dir, 'A.spool'));
    const volume: string[] = [];
    const log: string[] = [];
    const job = await jobSpool({ dir, name: 'A', drive: new DriveSpools(), volume, log });
    await job.put(record(1, 100)); // buffered: no write yet
    await assert.rejects(job.put(record(2, 2 * 1024 * 1024)), (err: Error) => {
      assert.match(err.message, /^Spool disk full: no room for a record of 2,097,152 bytes in .*A\.spool even with the job's spool empty/);
      return true;
    });
    assert.deepEqual(volume, ['A:1', 'A:part'], 'what was spooled reached the volume first');
    assert.ok(log.some((l) => l.includes('A: Spool disk full at 112 bytes: despooling what the spool holds, then spooling again.')), log.join('\n'));
    await job.discard();
    assert.equal(existsSync('/dev/full'), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
