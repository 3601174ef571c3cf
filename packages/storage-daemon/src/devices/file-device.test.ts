import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { collectVolume } from '../volume/reader.js';
import { withHeaderRoom } from '../volume/block.js';
import { attributesRecord, dataRecord, patternBytes, tempDevice, writeSession } from '../volume/testing.js';

const isCode = (code: string) => (e: unknown) => e instanceof BurrowError && e.code === code;

test('label writes a readable volume label and refuses to relabel unless asked', async (t) => {
  const { device, cleanup } = await tempDevice();
  t.after(cleanup);
  assert.equal(await device.exists('Vol-0001'), false);
  const label = await device.label('Vol-0001', { poolName: 'Full', mediaType: 'File', labelledBy: 'sd1' });
  assert.equal(label.volumeName, 'Vol-0001');
  assert.equal(label.format, 'Burrow');
  assert.equal(await device.exists('Vol-0001'), true);
  const again = await device.readLabel('Vol-0001');
  assert.equal(again.poolName, 'Full');
  assert.equal(again.labelledBy, 'sd1');
  await assert.rejects(device.label('Vol-0001', { poolName: 'Other' }), isCode('VOLUME_FORMAT'));
  assert.equal((await device.readLabel('Vol-0001')).poolName, 'Full');
  await device.label('Vol-0001', { poolName: 'Other' }, { overwrite: true });
  assert.equal((await device.readLabel('Vol-0001')).poolName, 'Other');
});

test('unsafe volume names are refused before touching the disk', async (t) => {
  const { device, cleanup } = await tempDevice();
  t.after(cleanup);
  for (const name of ['', '.', '..', 'a/b', '../escape', 'nul\0byte', 'line\nbreak']) {
    await assert.rejects(device.label(name, {}), isCode('HOSTILE_PATH'), JSON.stringify(name));
    await assert.rejects(device.openForAppend(name), isCode('HOSTILE_PATH'));
    await assert.rejects(device.openForRead(name), isCode('HOSTILE_PATH'));
  }
  await assert.rejects(device.openForRead('missing'), isCode('NOT_FOUND'));
});

test('a file that is not a Burrow volume is refused and left byte for byte as it was', async (t) => {
  const { device, dir, cleanup } = await tempDevice();
  t.after(cleanup);
  const path = join(dir, 'Imposter');
  const original = Buffer.concat([Buffer.from('BRWB but not really'), patternBytes(5000, 9)]);
  await writeFile(path, original);
  await assert.rejects(device.openForAppend('Imposter'), (e: unknown) => isCode('VOLUME_FORMAT')(e) && /is not a Burrow volume/.test((e as Error).message));
  await assert.rejects(device.openForRead('Imposter'), isCode('VOLUME_FORMAT'));
  await assert.rejects(device.label('Imposter', {}), isCode('VOLUME_FORMAT'));
  assert.deepEqual(await readFile(path), original);
});

test('concurrent block writes on one volume each get their own address', async (t) => {
  const { device, cleanup } = await tempDevice();
  t.after(cleanup);
  await device.label('V', {});
  const [a, b] = [await device.openForAppend('V'), await device.openForAppend('V')];
  const writes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).writeBlock(
    { flags: 0, sessionId: 1 + (i % 2), sessionBlockNumber: i >> 1, block: withHeaderRoom(patternBytes(100 + i, i)) }));
  const written = await Promise.all(writes);
  const addrs = written.map((w) => w.addr);
  assert.equal(new Set(addrs).size, 20);
  assert.deepEqual(written.map((w) => w.blockNumber), Array.from({ length: 20 }, (_, i) => i + 1));
  await a.close();
  assert.equal(a.isFull(), false);
  await b.close();
  const reader = await device.openForRead('V');
  t.after(() => reader.close());
  for (const [i, w] of written.entries()) {
    const read = await reader.readBlock(w.addr);
    assert.equal(read.kind, 'block');
    if (read.kind === 'block') assert.deepEqual(read.payload, patternBytes(100 + i, i));
  }
});

test('append after a truncated tail cuts the partial block off and continues there', async (t) => {
  const { device, dir, cleanup } = await tempDevice();
  t.after(cleanup);
  const first = [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(3000, 1)), attributesRecord(2, '/b')];
  await writeSession(device, 'V', 5, first);
  const path = join(dir, 'V');
  const fullSize = (await stat(path)).size;
  await truncate(path, fullSize - 10); // the end-of-session block is now cut short
  const cut = await device.openForRead('V');
  const before = await collectVolume(cut);
  await cut.close();
  assert.equal(before.at(-1)?.kind, 'truncated');

  await writeSession(device, 'V', 6, [attributesRecord(1, '/c'), dataRecord(1, 0, patternBytes(2500, 2))]);
  const vol = await device.openForRead('V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  assert.equal(items.filter((i) => i.kind === 'error' || i.kind === 'truncated').length, 0);
  const records = items.filter((i) => i.kind === 'record');
  assert.deepEqual(records.map((r) => [r.sessionId, r.fileIndex, r.stream]), [[5, 1, 1], [5, 1, 2], [5, 2, 1], [6, 1, 1], [6, 1, 2]]);
  assert.deepEqual(records[4]?.data.subarray(8), patternBytes(2500, 2));
  assert.deepEqual(items.filter((i) => i.kind === 'session-end').map((i) => i.sessionId), [6]);
});

test('the end hint is used when a block really ends there and ignored when not', async (t) => {
  const { device, cleanup } = await tempDevice();
  t.after(cleanup);
  await writeSession(device, 'V', 1, [attributesRecord(1, '/x'), dataRecord(1, 0, patternBytes(4000, 3))]);
  const plain = await device.openForAppend('V');
  const end = plain.endAddress();
  const blocks = plain.volBlocks();
  await plain.close();
  for (const hint of [end, end - 1, 7, end + 100]) {
    const vol = await device.openForAppend('V', { endHint: hint });
    assert.equal(vol.endAddress(), end, `hint ${hint}`);
    assert.equal(vol.volBlocks(), blocks);
    await vol.close();
  }
});

test('max volume bytes refuses a data block that does not fit, but never the first one', async (t) => {
  const { device, cleanup } = await tempDevice();
  t.after(cleanup);
  await device.label('V', {});
  const vol = await device.openForAppend('V', { maxVolumeBytes: 300 });
  t.after(() => vol.close());
  const block = (n: number) => ({ flags: 0, sessionId: 1, sessionBlockNumber: n, block: withHeaderRoom(Buffer.alloc(400)) });
  await vol.writeBlock(block(0));
  await assert.rejects(vol.writeBlock(block(1)), isCode('VOLUME_FULL'));
  assert.equal(vol.isFull(), true);
  await vol.writeBlock({ flags: 1, sessionId: 1, sessionBlockNumber: 1, block: withHeaderRoom(Buffer.alloc(10)) });
});
