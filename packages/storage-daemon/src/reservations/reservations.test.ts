import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import type { AppendReservation } from './reservation.js';
import { drivesStatus } from './status.js';
import { memoryDesk, reader, writer } from './testing.js';

const LABEL = { poolName: 'Full', mediaType: 'File' };

/** Labels `name` through the reservation, as a job with Label Media does, and closes it again. */
async function labelled(r: { openAppend: AppendReservation['openAppend'] }, name: string, poolName = 'Full'): Promise<void> {
  await (await r.openAppend(name, { label: { ...LABEL, poolName } })).close();
}

/** Resolves to the value, or to 'pending' if the promise has not settled after the queued work ran. */
async function settled<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

test('concurrent writers of one pool share a drive when its Maximum Concurrent Jobs allows', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const a = await desk.reserveAppend(writer(1, 'Full'));
  const b = await desk.reserveAppend(writer(2, 'Full'));
  assert.equal(a.driveName, 'FileStorage0001');
  assert.equal(b.driveName, 'FileStorage0001', 'Prefer Mounted Volumes: the second joins the first');
  const other = await desk.reserveAppend(writer(3, 'Incremental'));
  assert.equal(other.driveName, 'FileStorage0002', 'another pool never shares a drive');
});

test('with Maximum Concurrent Jobs = 1 each writer gets a drive of its own, and the next one waits for a release', async () => {
  const { desk, clock } = memoryDesk([{ name: 'FileStorage', count: 2, maximumConcurrentJobs: 1 }]);
  const a = await desk.reserveAppend(writer(1, 'Full'));
  const b = await desk.reserveAppend(writer(2, 'Full'));
  assert.deepEqual([a.driveName, b.driveName], ['FileStorage0001', 'FileStorage0002']);
  let told = 0;
  const third = desk.reserveAppend(writer(3, 'Full'), { onWait: () => { told += 1; } });
  assert.equal(await settled(third), 'pending');
  assert.equal(told, 1);
  const waiting = drivesStatus(desk).waitingToReserve;
  assert.deepEqual(waiting.map((w) => [w.jobId, w.since]), [[3, clock.now]]);
  assert.deepEqual(waiting[0]!.reasons, [
    '3609 JobId=3 Max concurrent jobs exceeded on drive "FileStorage0001" (memory).',
    '3609 JobId=3 Max concurrent jobs exceeded on drive "FileStorage0002" (memory).',
  ]);
  b.release();
  b.release();
  assert.equal((await third).driveName, 'FileStorage0002');
  assert.deepEqual(desk.waiting(), []);
});

test('a drive being read is never handed to a writer, nor a drive being written to a reader', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const r = await desk.reserveRead(reader(1));
  const w = await desk.reserveAppend(writer(2, 'Full'));
  assert.notEqual(r.driveName, w.driveName);
  const w2 = desk.reserveAppend(writer(3, 'Incremental'));
  const r2 = desk.reserveRead(reader(4));
  assert.equal(await settled(w2), 'pending');
  assert.equal(await settled(r2), 'pending');
  const reasons = Object.fromEntries(drivesStatus(desk).waitingToReserve.map((x) => [x.jobId, x.reasons]));
  assert.deepEqual(reasons[3], [
    '3603 JobId=3 device "FileStorage0001" (memory) is busy reading.',
    '3608 JobId=3 wants Pool="Incremental" but have Pool="Full" nreserve=1 on drive "FileStorage0002" (memory).',
  ]);
  assert.deepEqual(reasons[4], [
    '3602 JobId=4 device "FileStorage0001" (memory) is busy (already reading/writing).',
    '3602 JobId=4 device "FileStorage0002" (memory) is busy (already reading/writing).',
  ]);
  r.release();
  assert.equal((await w2).driveName, r.driveName, 'first come, first served: the writer waited longer');
  assert.equal(await settled(r2), 'pending');
  w.release();
  assert.equal((await r2).driveName, w.driveName);
});

test('a reader prefers the idle drive that has its volume mounted; a writer the one its pool last used', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 3, maximumConcurrentJobs: 1 }]);
  const [a, b] = [await desk.reserveAppend(writer(1, 'Full')), await desk.reserveAppend(writer(2, 'Incremental'))];
  await labelled(a, 'Full-1');
  await labelled(b, 'Inc-1', 'Incremental');
  a.release();
  b.release();
  assert.equal((await desk.reserveAppend(writer(3, 'Incremental'))).driveName, b.driveName);
  assert.equal((await desk.reserveRead(reader(4, ['FileStorage'], 'Full-1'))).driveName, a.driveName);
});

test('a waiting job stops waiting when its signal aborts', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', maximumConcurrentJobs: 1 }]);
  await desk.reserveAppend(writer(1, 'Full'));
  const cancel = new AbortController();
  const waiting = desk.reserveAppend(writer(2, 'Full'), { signal: cancel.signal });
  assert.equal(await settled(waiting), 'pending');
  cancel.abort(new BurrowError('JOB_CANCELED', 'canceled by the Director'));
  await assert.rejects(waiting, (e: unknown) => e instanceof BurrowError && e.code === 'JOB_CANCELED');
  assert.deepEqual(desk.waiting(), []);
});

test('no drive of that name and Media Type is Bareos\'s 3924, at once', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage' }]);
  await assert.rejects(desk.reserveAppend({ ...writer(1, 'Full'), mediaType: 'LTO-8' }),
    (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE' && e.message === '3924 Device "FileStorage" not in SD Device resources or no matching Media Type.');
  await assert.rejects(desk.reserveRead(reader(2, ['Tape'])), /3924 Device "Tape" not in SD Device resources/);
});

test('writers sharing a drive share its volume; the Director is told it, and told which volumes other drives use', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const [a, b] = [await desk.reserveAppend(writer(1, 'Full')), await desk.reserveAppend(writer(2, 'Full'))];
  const c = await desk.reserveAppend(writer(3, 'Incremental'));
  await labelled(a, 'Full-1');
  await labelled(c, 'Inc-1', 'Incremental');
  const va = await a.openAppend('Full-1');
  assert.equal(b.mountedVolume(), 'Full-1');
  assert.deepEqual(c.unwantedVolumes(), ['Full-1']);
  assert.equal(c.inUseElsewhere('Full-1'), true);
  assert.equal(b.inUseElsewhere('Full-1'), false);
  await assert.rejects(c.openAppend('Full-1'), /Volume "Full-1" is in use on device "FileStorage0001" \(memory\)/);
  const vb = await b.openAppend('Full-1');
  const [wa, wb] = await Promise.all([
    va.writeBlock({ flags: 0, sessionId: 1, sessionBlockNumber: 0, block: Buffer.alloc(64) }),
    vb.writeBlock({ flags: 0, sessionId: 2, sessionBlockNumber: 0, block: Buffer.alloc(64) }),
  ]);
  assert.notEqual(wa.addr, wb.addr);
  await Promise.all([va.close(), vb.close()]);
  assert.deepEqual(c.unwantedVolumes(), [], 'a volume nobody writes is free again');
  const labelling = a.openAppend('Full-2', { label: LABEL });
  assert.equal(c.inUseElsewhere('Full-2'), true, 'claimed before it is even labelled');
  await (await labelling).close();
});

test('a writer wanting another volume on a shared drive waits until the others are done with theirs', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage' }]);
  const [a, b] = [await desk.reserveAppend(writer(1, 'Full')), await desk.reserveAppend(writer(2, 'Full'))];
  await labelled(a, 'Full-1');
  await labelled(a, 'Full-2');
  const va = await a.openAppend('Full-1');
  const next = b.openAppend('Full-2');
  assert.equal(await settled(next), 'pending');
  await va.close();
  const vb = await next;
  assert.equal(vb.volumeName, 'Full-2');
  assert.equal(a.mountedVolume(), 'Full-2');
  await vb.close();
});

test('a restore reads a volume a backup on another drive is writing', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const w = await desk.reserveAppend(writer(1, 'Full'));
  await labelled(w, 'Full-1');
  const vol = await w.openAppend('Full-1');
  const written = await vol.writeBlock({ flags: 0, sessionId: 1, sessionBlockNumber: 0, block: Buffer.alloc(100) });
  const r = await desk.reserveRead(reader(2, ['FileStorage'], 'Full-1'));
  const rv = await r.openRead('Full-1');
  assert.equal((await rv.readBlock(written.addr)).kind, 'block');
  await rv.close();
  await vol.close();
  r.release();
  await assert.rejects(r.openRead('Full-1'), /after releasing it/);
});
