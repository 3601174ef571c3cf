import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { withHeaderRoom } from '../volume/block.js';
import { patternBytes } from '../volume/testing.js';
import { DROP_BEHIND_BYTES, FileAppendState, FileReadVolume } from './file-volumes.js';
import { MemoryStore } from './memory-store.js';
import type { ByteHandle } from './volume-store.js';

const dataBlock = (n: number) => ({ flags: 0, sessionId: 1, sessionBlockNumber: n, block: withHeaderRoom(patternBytes(1000, n)) });

/** A real in-memory volume whose syncs are held until released, or fail as a write-back error would. */
async function volume(syncOutcome: 'ok' | 'EIO') {
  const fh: ByteHandle = await new MemoryStore().create('Vol1');
  const syncs: Array<() => void> = [];
  const dropped: Array<[number, number]> = [];
  let closed = false;
  const held: ByteHandle = {
    read: (...a) => fh.read(...a),
    write: (...a) => fh.write(...a),
    truncate: (n) => fh.truncate(n),
    sync: () => new Promise<void>((resolve, reject) => {
      syncs.push(() => (syncOutcome === 'ok' ? resolve() : reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }))));
    }),
    close: async () => { closed = true; await fh.close(); },
    dropCached: (position, length) => { dropped.push([position, length]); },
  };
  const state = new FileAppendState({
    volumeName: 'Vol1', label: burrow.VolumeLabel.create({ volumeName: 'Vol1' }), fh: held, position: { end: 0, nextBlockNumber: 0, hasData: false },
    maxVolumeBytes: 0, syncEveryBytes: 2500, onClosed: () => undefined,
  });
  return { state, syncs, dropped, isClosed: () => closed };
}

describe('file volume write-behind', () => {
  it('starts a sync in the background every so many bytes, drops what it wrote back, and the last close waits for it before its own', async () => {
    const { state, syncs, dropped, isClosed } = await volume('ok');
    const h = state.handle();
    await h.writeBlock(dataBlock(0));
    await h.writeBlock(dataBlock(1));
    assert.equal(syncs.length, 0, 'two blocks are under the interval');
    await h.writeBlock(dataBlock(2));
    assert.equal(syncs.length, 1, 'the third block starts a sync');
    await h.writeBlock(dataBlock(3)); // writing goes on while it runs
    await h.writeBlock(dataBlock(4));
    await h.writeBlock(dataBlock(5));
    assert.equal(syncs.length, 1, 'one background sync at a time');
    const closing = h.close();
    await new Promise((r) => setImmediate(r));
    assert.equal(syncs.length, 1, 'the final sync waits for the background one');
    assert.deepEqual(dropped, [], 'nothing dropped before it is written back');
    syncs[0]?.();
    await new Promise((r) => setImmediate(r));
    const wroteBack = dropped[0]?.[1] ?? 0;
    assert.ok(wroteBack > 2500, `the three blocks the sync wrote back are dropped from the cache (${wroteBack} bytes)`);
    assert.deepEqual(dropped, [[0, wroteBack]]);
    assert.equal(syncs.length, 2, 'then the final sync');
    syncs[1]?.();
    await closing;
    assert.ok(isClosed());
  });

  it('a failed background sync fails the next write and the close: the data it lost is not reported again', async () => {
    const { state, syncs, isClosed } = await volume('EIO');
    const h = state.handle();
    for (let n = 0; n < 3; n++) await h.writeBlock(dataBlock(n));
    syncs[0]?.();
    await new Promise((r) => setImmediate(r));
    await assert.rejects(h.writeBlock(dataBlock(3)), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE' && /Vol1: writing to the disk failed/.test(e.message));
    await assert.rejects(h.close(), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE');
    assert.equal(syncs.length, 1, 'no final sync reports success over the lost data');
    assert.ok(isClosed(), 'the file is closed all the same');
  });
});

describe('file volume reads', () => {
  it('drop the cached pages behind them every DROP_BEHIND_BYTES, and start counting again after a read further back', async () => {
    const fh: ByteHandle = await new MemoryStore().create('Vol1');
    const dropped: Array<[number, number]> = [];
    const state = new FileAppendState({
      volumeName: 'Vol1', label: burrow.VolumeLabel.create({ volumeName: 'Vol1' }), fh, position: { end: 0, nextBlockNumber: 0, hasData: false },
      maxVolumeBytes: 0, onClosed: () => undefined,
    });
    const h = state.handle();
    const blockBytes = 1024 * 1024;
    const addrs: number[] = [];
    const blocks = DROP_BEHIND_BYTES / blockBytes + 2;
    for (let n = 0; n < blocks; n++) addrs.push((await h.writeBlock({ flags: 0, sessionId: 1, sessionBlockNumber: n, block: withHeaderRoom(patternBytes(blockBytes - 64, n)) })).addr);
    const watched: ByteHandle = {
      read: (...a) => fh.read(...a), write: (...a) => fh.write(...a), truncate: (n) => fh.truncate(n), sync: () => fh.sync(), close: () => fh.close(),
      dropCached: (position, length) => { dropped.push([position, length]); },
    };
    const reader = new FileReadVolume('Vol1', state.label, watched);
    for (const addr of addrs) assert.equal((await reader.readBlock(addr)).kind, 'block');
    const at = addrs.find((a) => a >= DROP_BEHIND_BYTES)!;
    assert.deepEqual(dropped, [[0, at]], 'one stretch dropped, behind the block being read');
    await reader.readBlock(addrs[1]!); // back near the start: nothing more to drop yet
    assert.equal(dropped.length, 1);
  });
});
