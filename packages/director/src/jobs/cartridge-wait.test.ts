import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { burrow } from '@burrow/common/proto/index';
import type { JobLines } from '../messages/job-lines.js';
import { mediaWorld, type MediaWorld } from '../media/testing.js';
import { CartridgeWait } from './cartridge-wait.js';
import { FIRST_REPEAT_MS } from './volume-wait.js';
import { JobWaits } from './waits.js';

const HOUR = 3_600_000;
const JOB = 'RestoreFiles.2026-01-01_00.00.00_09';

/** A restore job reading A00003 (Pool Offsite, Media Type LTO), which the catalog has in Slot 3 of Storage Library. */
async function readingJob(w: MediaWorld, inChanger: boolean) {
  const pool = await w.pool({ name: 'Offsite' });
  const mediaId = await w.volume('A00003', pool, { mediaType: 'LTO' });
  await w.catalog.updateMedia(mediaId, { slot: 3, inChanger, storageId: await w.catalog.ensureStorage('Library') });
  const got: Array<[string, string]> = [];
  const log: JobLines = {
    info: (t) => got.push(['info', t]), warning: (t) => got.push(['warning', t]), error: (t) => got.push(['error', t]),
    mount: (t) => got.push(['mount', t]), relay: (l, t) => got.push([l, t]),
  };
  const jobId = await w.catalog.createJob({ name: 'RestoreFiles', type: 'R', level: 'F', clientId: w.clientId, fileSetId: w.fileSetId, poolId: null, schedTime: w.clock.now() });
  await w.catalog.startJob(jobId, w.clock.now());
  const waits = new JobWaits(() => w.clock.now(), null);
  const wait = new CartridgeWait({
    jobId, job: JOB, storage: { name: 'Library', device: 'Library', mediaType: 'LTO', autoChanger: true },
    catalog: w.catalog, log, waits, clock: w.clock, signal: new AbortController().signal,
  });
  const mounts = (): string[] => got.filter(([k]) => k === 'mount').map(([, t]) => t);
  return { mediaId, jobId, wait, waits, got, mounts };
}

const asked = (storage: string): string => `Please mount read Volume "A00003" for:\n    Job:          ${JOB}\n    Storage:      ${storage}\n`
  + '    Pool:         Offsite\n    Media type:   LTO\n    Location:     last seen in Slot 3 of Storage "Library"';

test('a cartridge the SD finds in no slot, the catalog saying it is in: InChanger = 0 with Bareos\'s words, "Please mount read Volume", again after a mount and after 1 h, 2 h', async () => {
  const w = await mediaWorld();
  try {
    const j = await readingJob(w, true);
    const device = '"Drive1" (/tapes/drive1)';
    const req = (askingAgain: string) => ({ jobId: j.jobId, volumeName: 'A00003', notInChanger: true, askingAgain, device }) as burrow.SdReadVolumeRequest;
    assert.deepEqual(await j.wait.volumeRequested(req('')), { pollSeconds: 300 });
    assert.equal((await w.catalog.getMediaByName('A00003'))?.inChanger, false);
    assert.deepEqual(j.got[0], ['info', 'Autochanger Volume "A00003" not found in slot 3.\n    Setting InChanger to zero in catalog.']);
    assert.deepEqual(j.mounts(), [asked(device)]);
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'M');
    assert.match(j.waits.current?.detail ?? '', /^Volume "A00003" of Pool "Offsite", Media type "LTO", Storage "Library"/);

    await j.wait.volumeRequested(req('poll'));
    assert.equal(j.mounts().length, 1, 'a poll says nothing');
    await j.wait.volumeRequested(req('mount'));
    assert.equal(j.mounts().length, 2, 'a mount that did not bring it: asked again');
    await w.clock.advanceTo(w.clock.now() + FIRST_REPEAT_MS);
    await j.wait.volumeRequested(req('poll'));
    assert.equal(j.mounts().length, 3, 'after an hour');
    await w.clock.advanceTo(w.clock.now() + HOUR);
    await j.wait.volumeRequested(req('poll'));
    assert.equal(j.mounts().length, 3, 'the next one 2 h after');
    await w.clock.advanceTo(w.clock.now() + HOUR);
    await j.wait.volumeRequested(req('slots'));
    assert.equal(j.mounts().length, 4);
    assert.equal(j.got.filter(([, t]) => t.startsWith('Autochanger Volume')).length, 1, 'the catalog is told once');

    j.wait.resumed();
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'R');
    assert.equal(j.waits.current, null);
  } finally {
    w.close();
  }
});

test('a cartridge the catalog has out of the changer is waited for before a drive is taken, asked for again after an hour, until it is back in', async () => {
  const w = await mediaWorld();
  try {
    const j = await readingJob(w, false);
    const done = j.wait.untilIn(['A00003']);
    await w.clock.advanceTo(w.clock.now() + 10_000);
    assert.deepEqual(j.mounts(), [asked('"Library"')]);
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'M');
    await w.clock.advanceTo(w.clock.now() + FIRST_REPEAT_MS);
    assert.equal(j.mounts().length, 2, 'repeated after an hour, not every poll');
    await w.catalog.updateMedia(j.mediaId, { inChanger: true });
    await w.clock.advanceTo(w.clock.now() + 5_000);
    await done;
    assert.equal((await w.catalog.getJob(j.jobId))?.status, 'R');
    assert.equal(j.mounts().length, 2);
  } finally {
    w.close();
  }
});

test('a volume a read session mounted on a changer\'s drive is in that drive, "loaded" in its history; another volume the catalog had in its slot leaves it', async () => {
  const w = await mediaWorld();
  try {
    const j = await readingJob(w, true);
    const other = await w.volume('A00004', await w.pool({ name: 'Offsite' }), { mediaType: 'LTO' });
    await w.catalog.updateMedia(other, { slot: 3, inChanger: true, storageId: await w.catalog.ensureStorage('Library'), drive: 1 });
    await j.wait.mounted({ volumeName: 'A00003', slot: 3, changerDrive: 2 } as burrow.SdVolumeMounted);
    const read = await w.catalog.getMediaByName('A00003');
    assert.deepEqual([read?.drive, read?.slot, read?.inChanger], [1, 3, true]);
    assert.deepEqual((await w.catalog.listMediaEvents('A00003')).map((e) => [e.event, e.jobId]), [['loaded', j.jobId]]);
    // The catalog had A00004 in that drive and slot: unloaded from the drive, and out of the changer (its slot is A00003's).
    const gone = await w.catalog.getMedia(other);
    assert.deepEqual([gone?.drive, gone?.inChanger], [-1, false]);
    assert.deepEqual((await w.catalog.listMediaEvents('A00004')).map((e) => e.event), ['unloaded']);
    // A drive that is not a changer's says nothing of places.
    await j.wait.mounted({ volumeName: 'A00004', slot: 0, changerDrive: 0 } as burrow.SdVolumeMounted);
    assert.equal((await w.catalog.listMediaEvents('A00004')).length, 1);
  } finally {
    w.close();
  }
});
