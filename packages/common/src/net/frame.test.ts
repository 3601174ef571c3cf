import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME_HEADER_SIZE, FrameDecoder, sealFrame } from './frame.js';
import { BurrowError } from '../errors/index.js';
import { decodeMessage, encodeMessage } from '../proto/index.js';

/** A frame of `payload`, built as the channel builds one: payload behind room for its length. */
function frameOf(payload: Buffer, maxFrame?: number): Buffer {
  return sealFrame(Buffer.concat([Buffer.alloc(FRAME_HEADER_SIZE), payload]), maxFrame);
}

test('frames survive being split at every byte boundary', () => {
  const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(70_000, 7)];
  const wire = Buffer.concat(payloads.map((p) => frameOf(p)));
  for (const step of [1, 3, 4, 5, 1000, wire.length]) {
    const dec = new FrameDecoder();
    const got: Buffer[] = [];
    for (let i = 0; i < wire.length; i += step) got.push(...dec.push(wire.subarray(i, i + step)));
    assert.equal(got.length, 3, `step ${step}`);
    got.forEach((g, i) => assert.deepEqual(g, payloads[i]));
    assert.equal(dec.pending, 0);
  }
});

test('an announced frame over the limit is refused before it arrives', () => {
  const dec = new FrameDecoder(1024);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(1025, 0);
  assert.throws(() => dec.push(head), (e: unknown) => e instanceof BurrowError && e.code === 'FRAME_TOO_LARGE');
  assert.throws(() => frameOf(Buffer.alloc(2000), 1024), /exceeds the limit/);
});

test('messages round-trip and garbage is a protocol error', () => {
  const bytes = encodeMessage('consoleCommand', { text: 'status dir' });
  const msg = decodeMessage(bytes);
  assert.equal(msg.kind, 'consoleCommand');
  if (msg.kind === 'consoleCommand') assert.equal(msg.body.text, 'status dir');
  assert.throws(() => decodeMessage(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])), (e: unknown) => e instanceof BurrowError && e.code === 'PROTOCOL');
  assert.throws(() => decodeMessage(Buffer.alloc(0)), /no known body/);
});
