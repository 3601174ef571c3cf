import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import type { AppendVolume, BlockToWrite, WrittenBlock } from '../devices/drive.js';
import { behindGate, WriteGate } from './write-gate.js';

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((res) => setImmediate(res));

/** A volume that records which job wrote each block, and is full after `room` data blocks. */
function volume(room = Infinity): { handle: AppendVolume; blocks: number[] } {
  const blocks: number[] = [];
  let full = false;
  const handle = {
    volumeName: 'TAPE-0001',
    isFull: () => full,
    writeBlock: async (b: BlockToWrite): Promise<WrittenBlock> => {
      if (full || blocks.length >= room) {
        full = true;
        throw new BurrowError('VOLUME_FULL', 'Volume "TAPE-0001" is full');
      }
      blocks.push(b.sessionId);
      return { addr: blocks.length, blockNumber: blocks.length, endAddr: blocks.length + 1, volBytes: 0 };
    },
  } as unknown as AppendVolume;
  return { handle, blocks };
}

const block = (sessionId: number): BlockToWrite => ({ flags: 0, sessionId, sessionBlockNumber: 0, block: Buffer.alloc(0) });

test('while a job holds the gate, the blocks of the others wait until it lets go', async () => {
  const gate = new WriteGate();
  const { handle, blocks } = volume();
  const one = behindGate(handle, gate, 1, undefined);
  const two = behindGate(handle, gate, 2, undefined);
  await two.writeBlock(block(2));
  const release = await gate.hold(1);
  assert.equal(gate.heldBy(), 1);
  const waiting = two.writeBlock(block(2));
  for (let i = 0; i < 3; i++) {
    await one.writeBlock(block(1));
    await settle();
  }
  assert.deepEqual(blocks, [2, 1, 1, 1], 'job 2 waits while job 1 despools');
  release();
  release(); // twice does nothing
  await waiting;
  assert.deepEqual(blocks, [2, 1, 1, 1, 2]);
  assert.equal(gate.heldBy(), null);
});

test('holders take the gate one at a time, and a cancel ends a wait at it', async () => {
  const gate = new WriteGate();
  const { handle, blocks } = volume();
  const first = await gate.hold(1);
  const second = gate.hold(2);
  const cancel = new AbortController();
  const waiting = behindGate(handle, gate, 3, cancel.signal).writeBlock(block(3));
  await settle();
  cancel.abort(new Error('JobId 3 canceled'));
  await assert.rejects(waiting, /JobId 3 canceled/);
  first();
  const release = await second;
  assert.equal(gate.heldBy(), 2);
  release();
  assert.deepEqual(blocks, [], 'the canceled block never reached the volume');
});

test('a full volume lets the waiting writers through, to meet its end and leave it', async () => {
  const gate = new WriteGate();
  const { handle, blocks } = volume(2);
  const holder = behindGate(handle, gate, 1, undefined);
  const other = behindGate(handle, gate, 2, undefined);
  const release = await gate.hold(1);
  const waiting = other.writeBlock(block(2));
  await holder.writeBlock(block(1));
  await holder.writeBlock(block(1));
  await settle();
  await assert.rejects(holder.writeBlock(block(1)), /full/);
  await assert.rejects(waiting, /full/, 'the other writer is not held back by a holder that waits for it');
  assert.deepEqual(blocks, [1, 1]);
  release();
});

test('a holder waiting for the other writers to leave their volume lets them write meanwhile', async () => {
  const gate = new WriteGate();
  const { handle, blocks } = volume();
  const release = await gate.hold(1);
  let othersDone!: () => void;
  const holderWait = gate.whileWaitingOnOthers(1, () => new Promise<void>((res) => { othersDone = res; }));
  await behindGate(handle, gate, 2, undefined).writeBlock(block(2));
  othersDone();
  await holderWait;
  const held = behindGate(handle, gate, 2, undefined).writeBlock(block(2));
  await settle();
  assert.deepEqual(blocks, [2], 'closed again once the holder has the drive');
  release();
  await held;
  // A job that does not hold the gate just waits.
  assert.equal(await gate.whileWaitingOnOthers(5, async () => 'waited'), 'waited');
});
