/** One flipped bit found from the CRC alone, and undone by checkBlock; more damage is not "repaired". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { BLOCK_HEADER_SIZE, checkBlock, encodeBlock, parseBlockHeader, type BlockCheck } from './block.js';

/** Deterministic bytes (AES-CTR of zeros), so a failure replays. */
function bytesOf(n: number, seed: number): Buffer {
  const key = Buffer.alloc(16, seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

function block(payloadBytes: number, seed: number): Buffer {
  return encodeBlock({ flags: 0, blockNumber: 7, sessionId: 42, sessionBlockNumber: 3, payload: bytesOf(payloadBytes, seed) });
}

/** As a reader takes a block: the header parsed first (a header that does not parse never gets here). */
function check(b: Buffer, payloadEnd = b.length): BlockCheck {
  const head = b.subarray(0, BLOCK_HEADER_SIZE);
  const parsed = parseBlockHeader(head);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  return checkBlock(head, b.subarray(BLOCK_HEADER_SIZE, payloadEnd), parsed.header);
}

test('every single bit of a small block, covered bytes and CRC alike, is found and undone', () => {
  const good = block(100, 1);
  const clean = check(Buffer.from(good));
  assert.ok(clean.ok && clean.repaired === undefined, 'an intact block is not "repaired"');
  // Magic, version and length are checked by parsing too; the rest only by the CRC. Bytes 28-31 are reserved: not covered, and nothing reads them.
  for (let byte = 0; byte < good.length; byte++) {
    if (byte >= 28 && byte < BLOCK_HEADER_SIZE) continue;
    for (let bit = 0; bit < 8; bit++) {
      const damaged = Buffer.from(good);
      damaged[byte] = damaged[byte]! ^ (1 << bit);
      const r = check(damaged);
      if (!r.ok && r.problem !== 'CRC mismatch') continue; // a header that no longer parses (magic, version, a length over the limit): the reader's business
      assert.ok(r.ok, `byte ${byte} bit ${bit}: ${r.ok ? '' : r.problem}`);
      assert.ok(r.repaired !== undefined, `byte ${byte} bit ${bit}: not said`);
      assert.ok(damaged.equals(good), `byte ${byte} bit ${bit}: not undone`);
      assert.equal(r.header.payloadLength, 100);
      assert.equal(r.header.sessionId, 42);
    }
  }
});

test('a flipped bit in a 1 MiB block is undone in tens of milliseconds', (t) => {
  const good = block(1024 * 1024 - BLOCK_HEADER_SIZE, 2);
  const positions = [BLOCK_HEADER_SIZE, BLOCK_HEADER_SIZE + 1, 500_000, good.length - 1];
  const started = process.hrtime.bigint();
  for (const at of positions) {
    const damaged = Buffer.from(good);
    damaged[at] = damaged[at]! ^ 0x40;
    const r = check(damaged);
    assert.ok(r.ok && r.repaired !== undefined, `byte ${at}`);
    assert.match(r.repaired, new RegExp(`bit 6 of payload byte ${at - BLOCK_HEADER_SIZE}\\)`));
    assert.ok(damaged.equals(good), `byte ${at}: not undone`);
  }
  t.diagnostic(`${(Number(process.hrtime.bigint() - started) / 1e6 / positions.length).toFixed(1)} ms a repair`);
});

test('two flipped bits, a zeroed run or a cut payload stay a CRC mismatch', () => {
  const good = block(64 * 1024, 3);
  const two = Buffer.from(good);
  two[1000] = two[1000]! ^ 1;
  two[40_000] = two[40_000]! ^ 0x80;
  assert.deepEqual(check(two), { ok: false, problem: 'CRC mismatch' });
  const zeroed = Buffer.from(good);
  zeroed.fill(0, 2000, 2300);
  assert.deepEqual(check(zeroed), { ok: false, problem: 'CRC mismatch' });
  assert.deepEqual(check(Buffer.from(good), good.length - 10), { ok: false, problem: 'CRC mismatch' });
  // What was not repaired is left as it was read.
  assert.equal(two[1000], good[1000]! ^ 1);
  assert.equal(two[40_000], good[40_000]! ^ 0x80);
  assert.equal(two.compare(good, 0, 1000, 0, 1000), 0);
});
