import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GzipMembers } from './gzip-members.js';

const text = (n: number): Buffer => Buffer.from('the volume is full; label a new one in the pool '.repeat(Math.ceil(n / 48) + 1)).subarray(0, n);

describe('gzip members written into a given buffer', () => {
  it('writes, member after member and level after level, the bytes gzipSync writes', () => {
    const gzip = new GzipMembers();
    const out = Buffer.alloc(256 * 1024, 0xee);
    const sizes = [0, 1, 100, 4096, 16 * 1024 + 3, 65536];
    for (const level of [6, 1, 9, 6])
      for (const n of sizes)
        for (const bytes of [text(n), randomBytes(n)]) {
          const at = 1 + (n % 37);
          out.fill(0xee);
          const length = gzip.write(bytes, level, out, at);
          assert.deepEqual(out.subarray(at, at + length), gzipSync(bytes, { level }), `${n} bytes at level ${level}`);
          assert.equal(out[at - 1], 0xee, 'nothing written before the member');
          assert.equal(out[at + length], 0xee, 'nor after it');
          assert.deepEqual(gunzipSync(out.subarray(at, at + length)), bytes);
        }
    gzip.close();
  });

  it('refuses a member larger than the room left, and writes the next one as before', () => {
    const gzip = new GzipMembers();
    const noise = randomBytes(8192);
    assert.throws(() => gzip.write(noise, 6, Buffer.alloc(4096), 0), /a gzip member of \d+ bytes is larger than its bound/);
    const out = Buffer.alloc(16384);
    const length = gzip.write(noise, 6, out, 10);
    assert.deepEqual(out.subarray(10, 10 + length), gzipSync(noise, { level: 6 }));
    gzip.close();
  });
});
