import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBootstrap } from './bootstrap.js';
import { joinPath, prefixRange, splitPath } from './paths.js';
import type { JobMediaRow, RestoreFileRow } from './types.js';

const row = (volumeName: string, jobId: number, fileIndex: number, addr: number): RestoreFileRow =>
  ({ volumeName, jobId, fileIndex, addr, mediaId: volumeName.length, path: Buffer.from(`/f${fileIndex}`), type: 1 });

test('bootstrap groups files per (volume, job) with the smallest address and ascending indexes', () => {
  const rows = [
    row('Vol-B', 7, 4, 900), row('Vol-A', 7, 2, 500), row('Vol-B', 3, 9, 100),
    row('Vol-B', 7, 1, 300), row('Vol-B', 3, 2, 50), row('Vol-B', 7, 4, 900),
  ];
  assert.deepEqual(buildBootstrap(rows), [
    { volumeName: 'Vol-B', sessionId: 3, startAddr: 50, fileIndexes: [2, 9] },
    { volumeName: 'Vol-B', sessionId: 7, startAddr: 300, fileIndexes: [1, 4] },
    { volumeName: 'Vol-A', sessionId: 7, startAddr: 500, fileIndexes: [2] },
  ]);
  assert.deepEqual(buildBootstrap([]), []);
});

test('bootstrap follows a file onto the volume where its job continues it', () => {
  const jm = (volumeName: string, volIndex: number, firstIndex: number, lastIndex: number, startAddr: number): JobMediaRow =>
    ({ jobMediaId: volIndex, jobId: 5, mediaId: volIndex, volumeName, volIndex, firstIndex, lastIndex, startAddr, endAddr: 0 });
  const media = [jm('V1', 1, 1, 10, 64), jm('V2', 2, 10, 20, 32), jm('V3', 3, 21, 30, 32)];
  assert.deepEqual(buildBootstrap([row('V1', 5, 10, 8000), row('V1', 5, 3, 900)], media), [
    { volumeName: 'V1', sessionId: 5, startAddr: 900, fileIndexes: [3, 10] },
    { volumeName: 'V2', sessionId: 5, startAddr: 32, fileIndexes: [10] },
  ]);
  // File 3 ends on V1: no continuation, and V3 (which starts with a new file) is never added.
  assert.deepEqual(buildBootstrap([row('V1', 5, 3, 900)], media).length, 1);
});

test('paths split into directory and name and join back byte for byte', () => {
  const cases = ['/etc/passwd', '/', '/dir/', 'relative', ''].map((s) => Buffer.from(s));
  cases.push(Buffer.from([0x2f, 0xff, 0xfe, 0x2f, 0x80]));
  for (const p of cases) {
    const { dir, name } = splitPath(p);
    assert.ok(joinPath(dir, name).equals(p));
    assert.equal(name.includes(0x2f), false);
  }
  assert.equal(splitPath(Buffer.from('/etc/passwd')).dir.toString(), '/etc/');
});

test('prefix ranges bound exactly the byte strings that start with the prefix', () => {
  assert.deepEqual(prefixRange(Buffer.from('/a/')).upper, Buffer.from('/a0'));
  assert.deepEqual(prefixRange(Buffer.from([0x61, 0xff, 0xff])).upper, Buffer.from([0x62]));
  assert.equal(prefixRange(Buffer.from([0xff])).upper, undefined);
  const { lower, upper } = prefixRange(Buffer.from([0x2f, 0xfe, 0x2f]));
  const inside = (b: Buffer): boolean => Buffer.compare(b, lower) >= 0 && (upper === undefined || Buffer.compare(b, upper) < 0);
  assert.ok(inside(Buffer.from([0x2f, 0xfe, 0x2f, 0xff, 0x00])));
  assert.ok(!inside(Buffer.from([0x2f, 0xfe, 0x30])));
  assert.ok(!inside(Buffer.from([0x2f, 0xfe])));
});
