import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/index';
import { Hashers, type Hasher } from './hashers.js';

function hex(h: Hasher, ...pieces: Uint8Array[]): string {
  for (const p of pieces) h.update(p);
  return h.digest().toString('hex');
}

describe('file digests', () => {
  it('gives node:crypto\'s digests and nothing for NONE or an unknown number', async () => {
    const hashers = await Hashers.create();
    const data = Buffer.from('burrow');
    for (const [alg, name] of [[1, 'md5'], [2, 'sha1'], [3, 'sha256'], [4, 'sha512']] as const) {
      assert.equal(hex(hashers.open(alg)!, data), createHash(name).update(data).digest('hex'));
    }
    assert.equal(hashers.open(burrow.DigestAlgorithm.DIGEST_NONE), undefined);
    assert.equal(hashers.open(99 as burrow.DigestAlgorithm), undefined, 'a number from a newer Burrow');
  });
});
