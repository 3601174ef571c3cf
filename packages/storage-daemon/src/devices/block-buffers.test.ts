import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockBuffers, LENT_BLOCK_LIMIT } from './block-buffers.js';
import { readVolumes } from '../volume/multi-volume-reader.js';
import { DEFAULT_BLOCK_PAYLOAD } from '../volume/session-writer.js';
import { BLOCK_HEADER_SIZE } from '../volume/block.js';
import { mixedRecords, openForRead, tempDrive, writeSession } from '../volume/testing.js';

/** A whole 1 MiB block: the size of the buffers its reads are lent. */
const BLOCK_BYTES = BLOCK_HEADER_SIZE + DEFAULT_BLOCK_PAYLOAD;

test('a lent buffer serves again only once its taker and every holder let go, each once', () => {
  const buffers = new BlockBuffers(2);
  const a = buffers.take(1000);
  assert.ok(a.lent !== undefined);
  const first = a.lent.hold();
  const second = a.lent.hold();
  a.lent.letGo();
  first();
  first(); // a second call must not count twice
  assert.equal(buffers.spare, 0, 'still held by the second holder');
  assert.notEqual(buffers.take(1000).buffer.buffer, a.buffer.buffer, 'a held buffer is not lent again');
  second();
  assert.equal(buffers.spare, 1);
  assert.equal(buffers.take(1000).buffer.buffer, a.buffer.buffer, 'given back: lent again');
  assert.throws(() => a.lent?.hold(), /given back/, 'no hold after the last let go');
});

test('block buffers: larger reads replace the smaller spares, reads past the limit get their own buffer, spares are bounded', () => {
  const buffers = new BlockBuffers(2);
  const small = buffers.take(100);
  small.lent?.letGo();
  assert.equal(buffers.spare, 1);
  const big = buffers.take(5000);
  assert.equal(buffers.spare, 0, 'the small spare is dropped');
  assert.equal(big.buffer.length, 5000);
  assert.equal(buffers.take(LENT_BLOCK_LIMIT + 1).lent, undefined, 'past the limit: not lent');
  const lent = [big, buffers.take(10), buffers.take(5000), buffers.take(4000)];
  for (const l of lent) l.lent?.letGo();
  assert.equal(buffers.spare, 2, 'at most `keep` spares');
  assert.equal(buffers.take(10).buffer.length, 10, 'a shorter read gets a view of a spare');
});

test('records read from a file volume hold their block: it serves another block only once they were released', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const records = mixedRecords(60);
  await writeSession(drive, 'V', 1, records, { blockSize: DEFAULT_BLOCK_PAYLOAD });
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const kept: Array<{ data: Buffer; want: Buffer }> = [];
  const memories = new Set<ArrayBufferLike>();
  let n = 0;
  let blocks = 0;
  for await (const item of readVolumes({ openVolume: async () => vol, volumes: [{ volumeName: 'V' }], sessionId: 1, reportBlocks: true })) {
    if (item.kind === 'block') blocks++;
    if (item.kind !== 'record') continue;
    const want = records[n++]!;
    assert.equal(item.fileIndex, want.fileIndex);
    assert.ok(item.data.equals(want.data), `record ${n} read intact`);
    if (item.data.buffer.byteLength === BLOCK_BYTES) memories.add(item.data.buffer);
    // The records of every fifth file are kept unreleased until the end; the rest are released at once.
    if (item.fileIndex % 5 === 0) kept.push({ data: item.data, want: want.data });
    else item.release?.();
  }
  assert.equal(n, records.length);
  for (const { data, want } of kept) assert.ok(data.equals(want), `a kept record (${want.length} bytes) was not overwritten by a later block`);
  assert.ok(kept.length > 0 && memories.size > 0);
  assert.ok(memories.size < blocks, `block buffers served more than one block (${memories.size} for ${blocks} blocks)`);
});
