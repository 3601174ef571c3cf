import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { burrow } from '@burrow/common/proto/generated';
import { collectVolume, itemsOfKind } from './reader.js';
import { DEFAULT_BLOCK_PAYLOAD } from './session-writer.js';
import { FileReadVolume } from '../devices/file-volumes.js';
import { attributesRecord, dataRecord, openForAppend, openForRead, patternBytes, tempDrive, writeAbortedSession, writeSession } from './testing.js';

const files = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
  .flatMap((f) => [attributesRecord(f, `/data/file${f}`), dataRecord(f, 0, patternBytes(400 + f, f))]);

test('a corrupt middle block is reported and reading resumes at the next good block', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  const written = await writeSession(drive, 'V', 1, files(12));
  const victim = written.fileStarts.get(6)!.addr;
  const fh = await open(join(dir, 'V'), 'r+');
  await fh.write(Buffer.from('XXXX'), 0, 4, victim + 40);
  await fh.close();

  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  const errors = itemsOfKind(items, 'error');
  assert.ok(errors.length >= 1);
  assert.equal(errors[0]?.addr, victim);
  const got = new Set(itemsOfKind(items, 'record').filter((r) => r.stream === 2).map((r) => r.fileIndex));
  assert.ok(!got.has(6), 'the damaged file is not delivered');
  for (const f of [1, 2, 3, 4, 8, 9, 10, 11, 12]) assert.ok(got.has(f), `file ${f} survives`);
  for (const r of itemsOfKind(items, 'record').filter((x) => x.stream === 2)) {
    assert.deepEqual(r.data.subarray(8), patternBytes(400 + r.fileIndex, r.fileIndex));
  }
  assert.equal(itemsOfKind(items, 'session-end').length, 1);
});

test('one flipped bit in a block is undone and said, and costs no file', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  const written = await writeSession(drive, 'V', 1, files(12));
  const victim = written.fileStarts.get(6)!.addr;
  const fh = await open(join(dir, 'V'), 'r+');
  const byte = Buffer.alloc(1);
  await fh.read(byte, 0, 1, victim + 40);
  await fh.write(Buffer.from([byte[0]! ^ 0x10]), 0, 1, victim + 40);
  await fh.close();

  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  const repaired = itemsOfKind(items, 'repaired');
  assert.equal(repaired.length, 1);
  assert.equal(repaired[0]?.addr, victim);
  assert.match(repaired[0]?.message ?? '', /one flipped bit corrected \(bit 4 of payload byte 8\)/);
  const data = itemsOfKind(items, 'record').filter((r) => r.stream === 2);
  assert.deepEqual(data.map((r) => r.fileIndex), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  for (const r of data) assert.deepEqual(r.data.subarray(8), patternBytes(400 + r.fileIndex, r.fileIndex));
});

test('seeking to a file\'s recorded address reads that file directly, and stops past the wanted ones', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const written = await writeSession(drive, 'V', 4, files(20));
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const start = written.fileStarts.get(13)!;
  const items = await collectVolume(vol, { startAddr: start.addr, sessionId: 4, fileIndexes: [13, 15] });
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  const records = itemsOfKind(items, 'record');
  assert.deepEqual(records.map((r) => [r.fileIndex, r.stream]), [[13, 1], [13, 2], [15, 1], [15, 2]]);
  assert.equal(records[0]?.addr, start.addr);
  assert.deepEqual(burrow.FileAttributes.decode(records[0]!.data).path, Buffer.from('/data/file13'));
  assert.equal(itemsOfKind(items, 'session-end').length, 0, 'stopped before the end of the session');
});

test('a start address in the middle of a record skips its tail quietly', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  await writeSession(drive, 'V', 2, [attributesRecord(1, '/big'), dataRecord(1, 0, patternBytes(5000, 1)), attributesRecord(2, '/after')]);
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const all = await collectVolume(vol);
  const middle = all[1]!.addr + 32 + 2 * 1024 + 64; // some block inside the big record
  const addr = (await vol.findNextBlock(middle))!;
  const items = await collectVolume(vol, { startAddr: addr });
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  assert.deepEqual(itemsOfKind(items, 'record').map((r) => r.fileIndex), [2]);
});

test('a volume of 64 KiB blocks (Burrow before 0.2) appended with 1 MiB blocks reads back whole, each block read once', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  const big = (f: number) => [attributesRecord(f, `/data/big${f}`), dataRecord(f, 0, patternBytes(1024 * 1024, f))];
  await writeSession(drive, 'V', 1, [...big(1), ...big(2)], { blockSize: 64 * 1024 });
  await writeSession(drive, 'V', 2, [...big(1), ...big(2)], { blockSize: DEFAULT_BLOCK_PAYLOAD });
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const before = bytesReadSoFar();
  const items = await collectVolume(vol);
  const read = bytesReadSoFar() - before;
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  const data = itemsOfKind(items, 'record').filter((r) => r.stream === 2);
  assert.deepEqual(data.map((r) => [r.sessionId, r.fileIndex]), [[1, 1], [1, 2], [2, 1], [2, 2]]);
  for (const r of data) assert.ok(r.data.subarray(8).equals(patternBytes(1024 * 1024, r.fileIndex)));
  // Each block once (and one read ahead past the end): reads sized for 1 MiB blocks
  // would have read the 64 KiB blocks sixteen times over.
  const size = (await stat(join(dir, 'V'))).size;
  assert.ok(read < size + 2 * 1024 * 1024, `read ${read} bytes of a ${size}-byte volume`);
});

/** Bytes this process has read so far (/proc/self/io rchar). */
function bytesReadSoFar(): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
}

test('a reader that will stop in this block reads no block ahead (a one-file restore reads about its block)', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  const many = Array.from({ length: 12 }, (_, i) => i + 1)
    .flatMap((f) => [attributesRecord(f, `/data/f${f}`), dataRecord(f, 0, patternBytes(300_000, f))]);
  const written = await writeSession(drive, 'V', 3, many, { blockSize: DEFAULT_BLOCK_PAYLOAD });
  const start = written.fileStarts.get(2)!;
  // The volume's reads counted as they are asked for: a read ahead may finish after the reader.
  const fh = await open(join(dir, 'V'), 'r');
  let asked = 0;
  const counting = {
    read: (buffer: Buffer, offset: number, length: number, position: number) => {
      asked += length;
      return fh.read(buffer, offset, length, position);
    },
    write: () => Promise.reject(new Error('read only')),
    truncate: () => Promise.reject(new Error('read only')),
    sync: () => Promise.resolve(),
    close: () => fh.close(),
  };
  const vol = new FileReadVolume('V', new burrow.VolumeLabel(), counting);
  t.after(() => vol.close());
  const items = await collectVolume(vol, { startAddr: start.addr, sessionId: 3, fileIndexes: [2] });
  assert.deepEqual(itemsOfKind(items, 'record').map((r) => [r.fileIndex, r.stream]), [[2, 1], [2, 2]]);
  // File 2 lies in the first data block, which also holds file 3's start: that block alone is read.
  assert.ok(asked < 1.5 * 1024 * 1024, `asked for ${asked} bytes for a file in one 1 MiB block`);
  const all = await collectVolume(vol, { startAddr: start.addr, sessionId: 3, fileIndexes: [2, 9] });
  assert.deepEqual(itemsOfKind(all, 'record').filter((r) => r.stream === 2).map((r) => r.fileIndex), [2, 9]);
});

/** Session 1 ends well, session 2 is killed inside file 2's data, session 3 is the next job. */
async function volumeWithAbortedSession(drive: Parameters<typeof writeSession>[0], status: string): Promise<void> {
  await writeSession(drive, 'V', 1, files(2));
  await writeAbortedSession(drive, 'V', 2, [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(500, 1)),
    attributesRecord(2, '/big'), dataRecord(2, 0, patternBytes(5000, 2))], { abortAfterBlocks: 3, status });
  await writeSession(drive, 'V', 3, files(2));
}

test('a session its job left mid-record (a daemon killed) reads clean: the record is unfinished, not lost', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  await volumeWithAbortedSession(drive, 'E');
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  const unfinished = itemsOfKind(items, 'unfinished');
  assert.deepEqual(unfinished.map((u) => [u.sessionId, u.fileIndex, u.stream, u.status]), [[2, 2, 2, 'E']]);
  assert.ok(unfinished[0]!.bytes > 0 && unfinished[0]!.bytes < 5008);
  assert.deepEqual(itemsOfKind(items, 'session-end').map((e) => [e.sessionId, e.label.status]), [[1, 'T'], [2, 'E'], [3, 'T']]);
  assert.deepEqual(itemsOfKind(items, 'record').filter((r) => r.stream === 2).map((r) => [r.sessionId, r.fileIndex]),
    [[1, 1], [1, 2], [2, 1], [3, 1], [3, 2]]);
});

test('damage inside an aborted session is still damage, and so is a record left open before an end label saying T', async (t) => {
  const { drive, dir, cleanup } = await tempDrive();
  t.after(cleanup);
  await volumeWithAbortedSession(drive, 'A');
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const clean = await collectVolume(vol);
  // Zero the aborted session's second data block: a gap before its end label.
  const blocks = itemsOfKind(clean, 'record').filter((r) => r.sessionId === 2);
  const second = await vol.findNextBlock(blocks.at(-1)!.addr + 1);
  const fh = await open(join(dir, 'V'), 'r+');
  await fh.write(Buffer.alloc(64), 0, 64, second! + 40);
  await fh.close();
  const damaged = await collectVolume(vol);
  assert.ok(itemsOfKind(damaged, 'error').length >= 1, 'the damage is not reported');
  assert.deepEqual(itemsOfKind(damaged, 'unfinished'), []);

  // The same open record before an end label of a job that ended well cannot come from a writer.
  const { drive: d2, cleanup: c2 } = await tempDrive();
  t.after(c2);
  await volumeWithAbortedSession(d2, 'T');
  const v2 = await openForRead(d2, 'V');
  t.after(() => v2.close());
  const items = await collectVolume(v2);
  assert.match(itemsOfKind(items, 'error').map((e) => e.message).join('\n'), /session 2: record of file 2 stream 2 lost/);
  assert.deepEqual(itemsOfKind(items, 'error')[0]?.file, { sessionId: 2, fileIndex: 2 });
});
