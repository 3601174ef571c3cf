import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/index';
import { Hashers, type Hasher } from './hashers.js';

const XXH128 = burrow.DigestAlgorithm.DIGEST_XXH128;

function hex(h: Hasher, ...pieces: Uint8Array[]): string {
  for (const p of pieces) h.update(p);
  return h.digest().toString('hex');
}

describe('file digests', () => {
  it('XXH128 gives xxHash\'s published XXH3-128 vectors (seed 0, canonical big-endian bytes)', async () => {
    const hashers = await Hashers.create();
    const bytes0to255 = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.equal(hex(hashers.open(XXH128)!), '99aa06d3014798d86001c324468d497f');
    assert.equal(hex(hashers.open(XXH128)!, Buffer.from('abc')), '06b05ab6733a618578af5f94892f3950');
    assert.equal(hex(hashers.open(XXH128)!, Buffer.from('123456789')), '33119477ede5dcd5e9716427681d5860');
    assert.equal(hex(hashers.open(XXH128)!, bytes0to255), 'f1f8a93f50849ac39408a4433b952d71');
  });

  it('XXH128 streamed in chunks of any size equals the one-shot digest', async () => {
    const hashers = await Hashers.create();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const whole = hex(hashers.open(XXH128)!, data);
    for (const size of [1, 7, 240, 241, 1024, 65536, 1_000_003]) {
      const h = hashers.open(XXH128)!;
      for (let at = 0; at < data.length; at += size) h.update(data.subarray(at, at + size));
      assert.equal(h.digest().toString('hex'), whole, `chunks of ${size}`);
    }
  });

  it('keeps files apart: hashers of one job interleave on the one XXH128 instance', async () => {
    const hashers = await Hashers.create();
    const a = randomBytes(100_000);
    const b = randomBytes(70_001);
    const oneShot = [hex(hashers.open(XXH128)!, a), hex(hashers.open(XXH128)!, b)];
    const ha = hashers.open(XXH128)!;
    const hb = hashers.open(XXH128)!;
    const abandoned = hashers.open(XXH128)!;
    for (let at = 0; at < a.length; at += 4096) {
      ha.update(a.subarray(at, at + 4096));
      abandoned.update(b.subarray(0, 10));
      if (at < b.length) hb.update(b.subarray(at, at + 4096));
    }
    assert.equal(hb.digest().toString('hex'), oneShot[1]);
    assert.equal(ha.digest().toString('hex'), oneShot[0]);
  });

  it('gives node:crypto\'s digests for the others and nothing for NONE or an unknown number', async () => {
    const hashers = await Hashers.create();
    const data = Buffer.from('burrow');
    for (const [alg, name] of [[1, 'md5'], [2, 'sha1'], [3, 'sha256'], [4, 'sha512']] as const) {
      assert.equal(hex(hashers.open(alg)!, data), createHash(name).update(data).digest('hex'));
    }
    assert.equal(hashers.open(burrow.DigestAlgorithm.DIGEST_NONE), undefined);
    assert.equal(hashers.open(99 as burrow.DigestAlgorithm), undefined, 'a number from a newer Burrow');
  });
});
