import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobLines } from '../messages/job-lines.js';
import { JobWaits } from './waits.js';
import { mediaWorld, type MediaWorld } from '../media/testing.js';
import { FIRST_REPEAT_MS, MAX_REPEATS, VolumeWait } from './volume-wait.js';

const HOUR = 3_600_000;
const DEVICE = '"FileStorage" (/var/lib/burrow/storage)';

/** A job's log that keeps its lines, and a job in the catalog to wait. */
async function waitingJob(w: MediaWorld, maxWaitMs: number | null = null) {
  const got: Array<[string, string]> = [];
  const log: JobLines = {
    info: (t) => got.push(['info', t]), warning: (t) => got.push(['warning', t]), error: (t) => got.push(['error', t]),
    mount: (t) => got.push(['mount', t]), relay: (l, t) => got.push([l, t]),
  };
  const jobId = await w.catalog.createJob({ name: 'backup-client1', type: 'B', level: 'F', clientId: w.clientId, fileSetId: w.fileSetId, poolId: null, schedTime: w.clock.now() });
  await w.catalog.startJob(jobId, w.clock.now());
  const waits = new JobWaits(() => w.clock.now(), maxWaitMs);
  const wait = new VolumeWait({
    jobId, job: 'backup-client1.2026-01-01_00.00.00_01', pool: 'Daily', mediaType: 'File', storage: 'File', catalog: w.catalog, log, waits, clock: w.clock,
  });
  const mounts = (): string[] => got.filter(([k]) => k === 'mount').map(([, t]) => t);
  return { jobId, wait, waits, got, mounts };
}

const ask = (askingAgain = '', wanted: string | null = null) => ({ wanted, askingAgain, device: DEVICE, reason: 'Cannot find any appendable volumes in Pool "Daily"' });

test('a job with no volume waits: status m, Bareos\'s request to the operator, repeated after 1 h doubling, and after each mount', async () => {
  const w = await mediaWorld();
  try {
    const j = await waitingJob(w);
    assert.deepEqual(j.wait.noVolume(ask()), { pollSeconds: 300 });
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'm');
    assert.deepEqual(j.mounts(), [
      'Job backup-client1.2026-01-01_00.00.00_01 is waiting. Cannot find any appendable volumes.\n'
      + 'Please use the "label" command to create a new Volume for:\n'
      + `    Storage:      ${DEVICE}\n    Pool:         Daily\n    Media type:   File`,
    ]);
    assert.deepEqual(j.got[0], ['info', 'Cannot find any appendable volumes in Pool "Daily"'], 'the media module\'s advice, once');
    assert.equal(j.waits.current?.words, 'is waiting for an appendable Volume');
    assert.match(j.waits.current?.detail ?? '', /^Pool "Daily", Media type "File", Storage "File", Device "FileStorage"/);

    // Polls in between say nothing; a mount that did not help repeats the request.
    await w.clock.advanceTo(w.clock.now() + 5 * 60_000);
    j.wait.noVolume(ask('poll'));
    assert.equal(j.mounts().length, 1);
    j.wait.noVolume(ask('mount'));
    assert.equal(j.mounts().length, 2);
    // The hour passes: asked again, then after 2 h, 4 h, ... never more often.
    await w.clock.advanceTo(w.clock.now() + FIRST_REPEAT_MS);
    j.wait.noVolume(ask('poll'));
    assert.equal(j.mounts().length, 3);
    await w.clock.advanceTo(w.clock.now() + HOUR);
    assert.deepEqual(j.wait.noVolume(ask('poll')), { pollSeconds: 300 });
    assert.equal(j.mounts().length, 3, 'the next repeat is 2 h after the last');
    await w.clock.advanceTo(w.clock.now() + HOUR);
    j.wait.noVolume(ask('poll'));
    assert.equal(j.mounts().length, 4);

    j.wait.found();
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'R');
    assert.equal(j.waits.current, null);
  } finally {
    w.close();
  }
});

test('a named volume is asked for by name (status M); after Bareos\'s 9 repeats the job fails', async () => {
  const w = await mediaWorld();
  try {
    const j = await waitingJob(w);
    j.wait.noVolume(ask('', 'Added0001'));
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'M');
    assert.equal(j.waits.current?.words, 'is waiting for a mount request');
    assert.equal(j.mounts()[0], 'Please mount append Volume "Added0001" or label a new one for:\n'
      + `    Job:          backup-client1.2026-01-01_00.00.00_01\n    Storage:      ${DEVICE}\n    Pool:         Daily\n    Media type:   File`);
    let thrown: unknown;
    for (let i = 0; i < 200 && thrown === undefined; i++) {
      await w.clock.advanceTo(w.clock.now() + 24 * HOUR);
      try {
        j.wait.noVolume(ask('poll', 'Added0001'));
      } catch (err) {
        thrown = err;
      }
    }
    assert.match(String(thrown), new RegExp(`Max time exceeded waiting to mount Storage Device ${DEVICE.replace(/[()]/g, '\\$&')} for Job backup-client1`));
    assert.equal(j.mounts().length, MAX_REPEATS, 'the first request and 8 repeats');
  } finally {
    w.close();
  }
});

test('the Job\'s Max Wait Time ends the wait: expired aborts with Bareos\'s words; a volume found in time stops the clock', async () => {
  const w = await mediaWorld();
  try {
    const j = await waitingJob(w, 10 * 60_000);
    j.wait.noVolume(ask());
    await w.clock.advanceTo(w.clock.now() + 4 * 60_000);
    j.wait.found();
    assert.equal(j.waits.remainingMs(), 6 * 60_000, 'the wait counts toward Max Wait Time');
    await w.clock.advanceTo(w.clock.now() + 60 * 60_000);
    assert.equal(j.wait.expired.aborted, false, 'running is not waiting');

    j.wait.noVolume(ask());
    await w.clock.advanceTo(w.clock.now() + 5 * 60_000);
    assert.equal(j.wait.expired.aborted, false);
    await w.clock.advanceTo(w.clock.now() + 60_000);
    assert.equal(j.wait.expired.aborted, true);
    assert.match(String(j.wait.expired.reason), /Max wait time exceeded \(10 mins\) waiting for Pool "Daily", Media type "File", Storage "File", Device .*\. Job canceled\./);
  } finally {
    w.close();
  }
});

test('a full disk under the mounted volume: status M, the operator is asked to free space (not to label), asked again after a mount that did not help', async () => {
  const w = await mediaWorld();
  try {
    const j = await waitingJob(w);
    const full = (askingAgain = '') => ({ ...ask(askingAgain, 'Disk-0002'), noSpace: true, reason: 'No space left on the disk' });
    assert.deepEqual(j.wait.noVolume(full()), { pollSeconds: 300 });
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'M');
    assert.deepEqual(j.mounts(), [`No space left on the disk of Storage Device ${DEVICE} for Volume "Disk-0002". Please free space there, then mount, for:\n`
      + `    Job:          backup-client1.2026-01-01_00.00.00_01\n    Storage:      ${DEVICE}\n    Pool:         Daily\n    Media type:   File`]);
    assert.deepEqual(j.got.filter(([k]) => k === 'info').map(([, t]) => t), ['No space left on the disk']);
    j.wait.noVolume(full('poll'));
    assert.equal(j.mounts().length, 1, 'a poll does not repeat the request');
    j.wait.noVolume(full('mount'));
    assert.equal(j.mounts().length, 2, 'a mount that did not help does');
    j.wait.found();
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'R');
  } finally {
    w.close();
  }
});
