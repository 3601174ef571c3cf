import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { DriveOperator } from './operator.js';
import { drivesStatus } from './status.js';
import { memoryDesk, writer } from './testing.js';

const LABEL = { poolName: 'Full', mediaType: 'File' };
const D1 = '"FileStorage0001" (memory)';
const at = (drive: number) => ({ device: 'FileStorage', drive });

async function settled<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

test('unmount takes an idle drive out of use until mount; release forgets its volume', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 1 }, { name: 'Disk', count: 2, maximumConcurrentJobs: 1 }]);
  const op = new DriveOperator(desk);
  const disk = (drive: number) => ({ device: 'Disk', drive });
  assert.deepEqual(await op.mount(disk(1)), { code: 3906, text: '3906 File device "Disk0001" (memory) is always mounted.' });
  await op.label(disk(1), 'Vol-1', LABEL);
  assert.deepEqual(await op.mount(disk(1)), { code: 3001, text: '3001 Device "Disk0001" (memory) is mounted with Volume "Vol-1"' });
  assert.deepEqual(await op.release(disk(1)), { code: 3022, text: '3022 Device "Disk0001" (memory) released.' });
  assert.deepEqual(await op.release(disk(1)), { code: 3921, text: '3921 Device "Disk0001" (memory) already released.' });
  assert.deepEqual(await op.unmount(disk(1)), { code: 3002, text: '3002 Device "Disk0001" (memory) unmounted.' });
  assert.deepEqual(await op.unmount(disk(1)), { code: 3901, text: '3901 Device "Disk0001" (memory) is already unmounted.' });
  assert.equal(drivesStatus(desk).drives.find((d) => d.name === 'Disk0001')?.state, 'unmounted');

  // The unmounted drive is never reserved: the job takes the other, and the next one waits for a mount.
  const first = await desk.reserveAppend(writer(1, 'Full', ['Disk']));
  assert.equal(first.driveName, 'Disk0002');
  const second = desk.reserveAppend(writer(2, 'Full', ['Disk']));
  assert.equal(await settled(second), 'pending');
  assert.match(drivesStatus(desk).waitingToReserve[0]!.reasons[0]!, /^3604 JobId=2 device "Disk0001" \(memory\) is BLOCKED due to user unmount\.$/);
  assert.deepEqual(await op.mount(disk(1)), { code: 3002, text: '3002 Device "Disk0001" (memory) is mounted.' });
  assert.equal((await second).driveName, 'Disk0001');
});

test('a drive in use is not unmounted or released: Bareos\'s busy replies', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const op = new DriveOperator(desk);
  const w = await desk.reserveAppend(writer(1, 'Full'));
  const busy = { code: 3937, text: `3937 Device ${D1} is busy with writers=0 reserved=1.` };
  assert.deepEqual(await op.unmount(at(1)), busy);
  assert.deepEqual(await op.release(at(1)), busy);
  await (await w.openAppend('Vol-1', { label: LABEL })).close();
  const vol = await w.openAppend('Vol-1');
  assert.deepEqual(await op.unmount(at(1)), { code: 3937, text: `3937 Device ${D1} is busy with writers=1 reserved=1.` });
  await vol.close();
  w.release();
  const r = await desk.reserveRead({ jobId: 2, storage: 'File', mediaType: 'File', pool: '', devices: ['FileStorage'], firstVolume: 'Vol-1' });
  assert.equal(r.driveName, 'FileStorage0001');
  assert.deepEqual(await op.unmount(at(1)), { code: 3936, text: `3936 Device ${D1} is busy reading.` });
});

test('unknown devices and drives get Bareos\'s 3999', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const op = new DriveOperator(desk);
  assert.deepEqual(await op.mount({ device: 'Tape', drive: 0 }), { code: 3999, text: '3999 Device "Tape" not found or could not be opened.' });
  assert.deepEqual(await op.unmount(at(5)), { code: 3999, text: '3999 Drive number "5" for device "FileStorage" not found.' });
});

test('the operator\'s label goes to drive 0 of a group, checks the Media Type, and wakes the jobs waiting on drives of that Media Type', async () => {
  const { desk, clock } = memoryDesk([{ name: 'FileStorage', count: 2 }, { name: 'Tape', mediaType: 'LTO' }]);
  const op = new DriveOperator(desk);
  const labelled = await op.label(at(0), 'Vol-1', LABEL);
  assert.deepEqual([labelled.drive, labelled.volumeName, labelled.volBytes > 0], ['FileStorage0000', 'Vol-1', true]);
  await assert.rejects(op.label(at(0), 'Vol-2', { ...LABEL, mediaType: 'LTO' }), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE');

  const w = await desk.reserveAppend(writer(7, 'Full'));
  const waiting = w.waitForOperator(null);
  const t = await desk.reserveAppend({ ...writer(8, 'Full', ['Tape']), mediaType: 'LTO' });
  const onTape = t.waitForOperator(null);
  assert.equal(await settled(waiting), 'pending');
  const shown = drivesStatus(desk).drives.find((d) => d.name === 'FileStorage0001')!;
  assert.deepEqual([shown.state, shown.waits], ['waiting', [{ jobId: 7, volume: null, pool: 'Full', mediaType: 'File', since: clock.now }]]);
  // The label command of a Count device goes to drive 0; the job waiting on drive 1 may use the volume.
  await op.label(at(0), 'Vol-2', LABEL);
  assert.equal(await waiting, 'label');
  assert.equal(await settled(onTape), 'pending', 'a volume of another Media Type is no use to it');
  assert.deepEqual(drivesStatus(desk).drives.find((d) => d.name === 'FileStorage0001')!.waits, []);
});

test('mount wakes a job waiting for the operator; unmount and release while it waits answer as Bareos does', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const op = new DriveOperator(desk);
  const w = await desk.reserveAppend(writer(7, 'Full'));
  const first = w.waitForOperator('Vol-9');
  assert.deepEqual(await op.release(at(1)), { code: 3922, text: `3922 Device ${D1} waiting for sysop.` });
  assert.deepEqual(await op.unmount(at(1)), { code: 3001, text: `3001 Device ${D1} unmounted.` });
  assert.deepEqual(await op.release(at(1)), { code: 3922, text: `3922 Device ${D1} waiting for mount.` });
  assert.equal(await settled(first), 'pending', 'unmount does not end the wait');
  assert.deepEqual(await op.mount(at(1), 3), { code: 3001, text: `3001 OK mount requested. Specified slot ignored. Device=${D1}` });
  assert.equal(await first, 'mount');
  assert.equal(drivesStatus(desk).drives.find((d) => d.name === 'FileStorage0001')!.state, 'reserved');

  const cancel = new AbortController();
  const second = w.waitForOperator(null, cancel.signal);
  cancel.abort(new BurrowError('JOB_CANCELED', 'canceled'));
  await assert.rejects(second, /canceled/);
  assert.deepEqual(drivesStatus(desk).drives.find((d) => d.name === 'FileStorage0001')!.waits, []);
});

test('mount volume= mounts a volume on a File drive, and a job waiting there is offered it', async () => {
  const { desk } = memoryDesk([{ name: 'FileStorage', count: 2 }]);
  const op = new DriveOperator(desk);
  await op.label(at(0), 'Vol-1', LABEL);
  assert.deepEqual(await op.mount(at(1), 0, 'Vol-1'), { code: 3001, text: `3001 Device ${D1} is mounted with Volume "Vol-1"` });
  const refused = await op.mount(at(1), 0, 'Nope');
  assert.equal(refused.code, 3902);
  assert.match(refused.text, new RegExp(`^3902 Cannot mount Volume on Storage Device ${D1.replace(/[()]/g, '\\$&')} because:\\n`));
  assert.deepEqual(await op.release(at(1)), { code: 3022, text: `3022 Device ${D1} released.` });

  const w = await desk.reserveAppend(writer(7, 'Full'));
  assert.equal(w.mountedVolume(), null);
  const waiting = w.waitForOperator(null);
  assert.deepEqual(await op.mount(at(1), 0, 'Vol-1'), { code: 3001, text: `3001 OK mount requested. Device=${D1}` });
  assert.equal(await waiting, 'mount');
  assert.equal(w.mountedVolume(), 'Vol-1', 'the next volume request names it');
});
