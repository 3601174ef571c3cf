import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import {
  BLOCK_FLAG_LABEL, BLOCK_HEADER_SIZE, decodeBlock, encodeBlock, parseBlockHeader, verifyBlock,
} from './block.js';

const content = {
  flags: BLOCK_FLAG_LABEL, blockNumber: 7, sessionId: 0xfffffffe, sessionBlockNumber: 3,
  payload: Buffer.from('some records would go here'),
};

test('a block round-trips through encode and decode', () => {
  const buf = encodeBlock(content);
  assert.equal(buf.length, BLOCK_HEADER_SIZE + content.payload.length);
  assert.equal(buf.subarray(0, 4).toString('latin1'), 'BRWB');
  assert.equal(buf.readUInt16BE(4), 1);
  assert.equal(buf.readUInt32BE(28), 0, 'reserved word is zero');
  const block = decodeBlock(buf);
  assert.deepEqual(block.payload, content.payload);
  assert.equal(block.header.flags, BLOCK_FLAG_LABEL);
  assert.equal(block.header.blockNumber, 7);
  assert.equal(block.header.sessionId, 0xfffffffe);
  assert.equal(block.header.sessionBlockNumber, 3);
  assert.equal(block.header.payloadLength, content.payload.length);
});

test('an empty payload is a valid block', () => {
  const block = decodeBlock(encodeBlock({ ...content, payload: Buffer.alloc(0) }));
  assert.equal(block.payload.length, 0);
});

test('a flipped bit anywhere in header or payload fails the CRC', () => {
  const good = encodeBlock(content);
  for (const at of [6, 8, 12, 20, BLOCK_HEADER_SIZE, good.length - 1]) {
    const bad = Buffer.from(good);
    bad[at] = (bad[at] ?? 0) ^ 0x01;
    assert.throws(() => decodeBlock(bad), (e: unknown) => e instanceof BurrowError && e.code === 'VOLUME_FORMAT', `byte ${at}`);
  }
  const bad = Buffer.from(good);
  bad[good.length - 1] = (bad[good.length - 1] ?? 0) ^ 0x80;
  assert.equal(verifyBlock(bad.subarray(0, BLOCK_HEADER_SIZE), bad.subarray(BLOCK_HEADER_SIZE)), false);
});

test('wrong magic, unknown version, short and oversized headers are refused', () => {
  const good = encodeBlock(content);
  const magic = Buffer.from(good); magic[0] = 0x58;
  assert.deepEqual(parseBlockHeader(magic), { ok: false, problem: 'no block magic' });
  const version = Buffer.from(good); version.writeUInt16BE(2, 4);
  assert.equal(parseBlockHeader(version).ok, false);
  assert.equal(parseBlockHeader(good.subarray(0, 20)).ok, false);
  const huge = Buffer.from(good); huge.writeUInt32BE(0x7fffffff, 16);
  assert.equal(parseBlockHeader(huge).ok, false);
  assert.throws(() => decodeBlock(good.subarray(0, good.length - 1)), /cut short/);
});
