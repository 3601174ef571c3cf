import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { memoryArchive, memoryDrive } from '../devices/random-access-drive.js';
import { DriveTable } from './drive-table.js';
import { memoryTable } from './testing.js';

const names = (drives: ReadonlyArray<{ name: string }>) => drives.map((d) => d.name);

test('Count = 2 makes FileStorage0000 (Autoselect = no) to FileStorage0002, grouped under FileStorage', () => {
  const table = memoryTable([{ name: 'FileStorage', count: 2 }]);
  assert.deepEqual(names(table.drives), ['FileStorage0000', 'FileStorage0001', 'FileStorage0002']);
  assert.deepEqual(table.drives.map((d) => [d.config.deviceName, d.config.autoselect]), [['FileStorage', false], ['FileStorage', true], ['FileStorage', true]]);
  assert.deepEqual(names(table.candidates('filestorage')), ['FileStorage0001', 'FileStorage0002'], 'a job naming the group never gets 0000');
  assert.deepEqual(names(table.candidates('FileStorage0000')), ['FileStorage0000'], 'named itself, it is chosen');
  assert.equal(table.locate('FileStorage', 0).name, 'FileStorage0000', 'the operator\'s drive 0 of the group');
  assert.equal(table.locate('FileStorage', 2).name, 'FileStorage0002');
  assert.deepEqual(table.groupList().map((g) => [g.name, names(g.drives)]), [['FileStorage', ['FileStorage0000', 'FileStorage0001', 'FileStorage0002']]]);
});

test('a Device without Count is one drive of its name; Autoselect = no keeps it out of its groups', () => {
  const table = memoryTable([{ name: 'Disk1' }, { name: 'Disk2', autoselect: false }], [{ name: 'Both', devices: ['Disk1', 'Disk2'] }]);
  assert.deepEqual(names(table.drives), ['Disk1', 'Disk2']);
  assert.deepEqual(names(table.candidates('Both')), ['Disk1']);
  assert.deepEqual(names(table.candidates('Disk2')), ['Disk2']);
  assert.equal(table.locate('Both', 1).name, 'Disk2');
  assert.deepEqual(table.candidates('Nothing'), []);
});

test('an Autochanger naming a Count device groups its copies, under the Autochanger\'s name only', () => {
  const table = memoryTable([{ name: 'FileStorage', count: 2 }], [{ name: 'FileChgr', devices: ['FileStorage'] }]);
  assert.deepEqual(names(table.candidates('FileChgr')), ['FileStorage0001', 'FileStorage0002']);
  assert.deepEqual(table.candidates('FileStorage'), [], 'Bareos renames the original: its name no longer reaches a drive');
  assert.deepEqual(table.groupList().map((g) => g.name), ['FileChgr']);
});

test('the operator gets Bareos\'s words for a drive that is not there', () => {
  const table = memoryTable([{ name: 'FileStorage', count: 2 }]);
  assert.throws(() => table.locate('FileStorage', 3), (e: unknown) => e instanceof BurrowError && e.message === 'Drive number "3" for device "FileStorage" not found.');
  assert.throws(() => table.locate('Tape', 0), (e: unknown) => e instanceof BurrowError && e.message === 'Device "Tape" not found or could not be opened.');
});

test('a Count copy may not take the name of another Device', () => {
  assert.throws(() => memoryTable([{ name: 'FileStorage', count: 2 }, { name: 'FileStorage0001' }]), (e: unknown) => e instanceof BurrowError && e.code === 'CONFIG_INVALID');
});

test('drive= of an autochanger is the Drive Index, whatever the order of its Devices (Bareos\'s FindDevice)', () => {
  const archive = memoryArchive();
  const device = (name: string, driveIndex: number) => ({
    name, count: 1, autoselect: true, mediaType: 'LTO', labelMedia: false, maximumConcurrentJobs: 0,
    makeDrive: (n: string) => Object.assign(memoryDrive({ name: n, archive }), { driveIndex }),
  });
  const table = DriveTable.build([device('DriveB', 1), device('DriveA', 0)], [{ name: 'Library', devices: ['DriveB', 'DriveA'] }]);
  assert.equal(table.locate('Library', 0).name, 'DriveA');
  assert.equal(table.locate('Library', 1).name, 'DriveB');
  assert.throws(() => table.locate('Library', 2), (e: unknown) => e instanceof BurrowError && e.message === 'Drive number "2" for device "Library" not found.');
});
