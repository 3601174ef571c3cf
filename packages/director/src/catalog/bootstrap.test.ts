import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BootstrapBuilder, buildBootstrap, jobBootstrap } from './bootstrap.js';
import { joinPath, prefixRange, splitPath } from './paths.js';
import type { JobMediaRow, RestoreFileRow } from './types.js';

const row = (volumeName: string, jobId: number, fileIndex: number, addr: number): RestoreFileRow =>
  ({ volumeName, jobId, fileIndex, addr, mediaId: volumeName.length, path: Buffer.from(`/f${fileIndex}`), type: 1 });

test('bootstrap groups files per (volume, job) with the smallest address and ascending indexes', () => {
  const rows = [
    row('Vol-B', 7, 4, 900), row('Vol-A', 7, 2, 500), row('Vol-B', 3, 9, 100),
    row('Vol-B', 7, 1, 300), row('Vol-B', 3, 2, 50), row('Vol-B', 7, 4, 900),
  ];
  const r = (first: number, last = first): { first: number; last: number } => ({ first, last });
  assert.deepEqual(buildBootstrap(rows).sections, [
    { volume: 'Vol-B', sessionId: 3, startAddr: 50, endAddr: 50, fileIndexes: [r(2), r(9)], count: 2 },
    { volume: 'Vol-B', sessionId: 7, startAddr: 300, endAddr: 300, fileIndexes: [r(1), r(4)], count: 2 },
    { volume: 'Vol-A', sessionId: 7, startAddr: 500, endAddr: 500, fileIndexes: [r(2)], count: 1 },
  ]);
  assert.deepEqual(buildBootstrap([]).sections, []);
});

test('bootstrap follows a file onto the volume where its job continues it', () => {
  const jm = (volumeName: string, volIndex: number, firstIndex: number, lastIndex: number, startAddr: number): JobMediaRow =>
    ({ jobMediaId: volIndex, jobId: 5, mediaId: volIndex, volumeName, mediaType: 'File', volIndex, firstIndex, lastIndex, startAddr, endAddr: startAddr + 9000 });
  const media = [jm('V1', 1, 1, 10, 64), jm('V2', 2, 10, 20, 32), jm('V3', 3, 21, 30, 32)];
  assert.deepEqual(buildBootstrap([row('V1', 5, 10, 8000), row('V1', 5, 3, 900)], media).sections, [
    { volume: 'V1', mediaType: 'File', sessionId: 5, startAddr: 900, endAddr: 9064, fileIndexes: [{ first: 3, last: 3 }, { first: 10, last: 10 }], count: 2 },
    { volume: 'V2', mediaType: 'File', sessionId: 5, startAddr: 32, endAddr: 9032, fileIndexes: [{ first: 10, last: 10 }], count: 1 },
  ]);
  // File 3 ends on V1: no continuation, and V3 (which starts with a new file) is never added.
  assert.deepEqual(buildBootstrap([row('V1', 5, 3, 900)], media).sections.length, 1);
  // What the backup wrote: every volume, its whole range (a continued file on both).
  assert.deepEqual(jobBootstrap(media).sections.map((s) => `${s.volume} ${s.startAddr}-${s.endAddr} ${s.fileIndexes[0]?.first}-${s.fileIndexes[0]?.last}`),
    ['V1 64-9064 1-10', 'V2 32-9032 10-20', 'V3 32-9032 21-30']);
});

test('a job\'s rows of one tape file each (Maximum File Size) make one section per volume; a file read from its own piece', () => {
  const T = 2 ** 32;
  const jm = (volumeName: string, volIndex: number, firstIndex: number, lastIndex: number, file: number, endBlock: number): JobMediaRow =>
    ({ jobMediaId: volIndex, jobId: 4, mediaId: volumeName.length, volumeName, mediaType: 'LTO', volIndex, firstIndex, lastIndex, startAddr: file * T, endAddr: file * T + endBlock });
  // Three pieces on T1 (file 3 runs over the first filemark), the last one's file 9 continued on T2.
  const media = [jm('T1', 1, 1, 3, 1, 40), jm('T1', 2, 3, 6, 2, 40), jm('T1', 3, 6, 9, 3, 12), jm('T2', 4, 9, 12, 1, 30)];
  assert.deepEqual(jobBootstrap(media).sections.map((s) => `${s.volume} ${s.startAddr / T}:0-${Math.floor(s.endAddr / T)}:${s.endAddr % T} ${s.fileIndexes[0]?.first}-${s.fileIndexes[0]?.last}`),
    ['T1 1:0-3:12 1-9', 'T2 1:0-1:30 9-12']);
  // File 7 starts at 3:5: the restore positions there (fsf to tape file 3, fsr to block 5), not at the job's first piece.
  assert.deepEqual(buildBootstrap([row('T1', 4, 7, 3 * T + 5)], media).sections.map((s) => [s.volume, s.startAddr, s.fileIndexes]),
    [['T1', 3 * T + 5, [{ first: 7, last: 7 }]]]);
  // File 9 runs on to T2: read there from the job's start on T2 too.
  assert.deepEqual(buildBootstrap([row('T1', 4, 9, 3 * T + 11)], media).sections.map((s) => [s.volume, s.startAddr]),
    [['T1', 3 * T + 11], ['T2', T]]);
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

test('bootstrap builder: the same sections whatever order files come in, a file added twice counted once', () => {
  const rows = [row('V2', 9, 1, 10), row('V1', 4, 7, 70), row('V1', 4, 2, 20), row('V2', 9, 3, 30), row('V1', 4, 3, 30), row('V1', 4, 2, 20)];
  const expected = buildBootstrap(rows).sections;
  assert.deepEqual(expected.map((s) => `${s.volume}/${s.sessionId} ${s.startAddr} ${s.fileIndexes.map((r) => `${r.first}-${r.last}`).join(',')} ${s.count}`),
    ['V1/4 20 2-3,7-7 3', 'V2/9 10 1-1,3-3 2']);
  for (let k = 0; k < 10; k++) {
    const shuffled = [...rows].sort(() => Math.random() - 0.5);
    assert.deepEqual(buildBootstrap(shuffled).sections, expected);
  }
  const b = new BootstrapBuilder();
  for (const r of rows) b.add(r);
  assert.equal(b.count, 6);
  assert.equal(b.has(4, 7), true);
  assert.equal(b.has(4, 5), false);
  assert.equal(b.has(9, 7), false);
  assert.deepEqual(b.volumeNames(), ['V1', 'V2']);
});
