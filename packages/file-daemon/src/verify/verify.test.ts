import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { VolumeDigester, verifySpec } from './index.js';
import { Hashers } from '../digest/hashers.js';

const T = burrow.Stream;
const data = (offset: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.alloc(8).fill(0).map((_, i) => (i === 7 ? offset : 0)), bytes]);
const attrs = (path: string, size: number, sparse = false): Buffer => Buffer.from(burrow.FileAttributes.encode({ path: Buffer.from(path), type: 1, size, sparse }).finish());

describe('verify on the client', () => {
  it('computes the Signature the verify= letters 5 or 1 ask to compare, and drops compression', () => {
    const blocks: Record<string, string>[] = [
      { verify: 'pins5', signature: 'XXH128', compression: 'GZIP6' },
      { signature: 'MD5' },
      { verify: 'pins5' },
      { verify: 'pins1' },
    ];
    const spec = verifySpec(asReceived(burrow.FileSetSpec, { includes: [{ files: [Buffer.from('/x')], options: blocks.map((settings) => ({ settings })) }] }));
    const got = spec.includes[0]?.options.map((o) => o.settings);
    assert.deepEqual(got, [
      { verify: 'pins5', signature: 'XXH128' },
      {},
      { verify: 'pins5', signature: 'MD5' },
      { verify: 'pins1', signature: 'SHA1' },
    ], 'the backup\'s Signature, as in Bareos; without one 5 is MD5 and 1 SHA1; no letters: no digest, the data is not read');
  });

  it('hashes each file from its records, holes as zeros, beside the saved digest', async () => {
    const got: burrow.IVerifyEntry[] = [];
    const d = new VolumeDigester([burrow.DigestAlgorithm.DIGEST_MD5], await Hashers.create(), async (e) => { got.push(e); });
    const whole = Buffer.concat([Buffer.from('ab'), Buffer.alloc(3), Buffer.from('cd'), Buffer.alloc(2)]);
    const md5 = createHash('md5').update(whole).digest();
    await d.accept({ fileIndex: 1, stream: T.STREAM_ATTRIBUTES, data: attrs('/s', 9, true) });
    await d.accept({ fileIndex: 1, stream: T.STREAM_DATA, data: data(0, Buffer.from('ab')) });
    await d.accept({ fileIndex: 1, stream: T.STREAM_DATA, data: data(5, Buffer.from('cd')) });
    await d.accept({ fileIndex: 1, stream: T.STREAM_DIGEST, data: Buffer.from(burrow.FileDigest.encode({ algorithm: 1, value: md5 }).finish()) });
    await d.accept({ fileIndex: 2, stream: T.STREAM_ATTRIBUTES, data: attrs('/bad', 4) });
    await d.accept({ fileIndex: 2, stream: T.STREAM_GZIP_DATA, data: data(0, Buffer.from('not gzip')) });
    await d.finish();
    assert.equal(got.length, 2);
    assert.deepEqual(Buffer.from(got[0]?.digest?.value ?? []), md5);
    assert.deepEqual(Buffer.from(got[0]?.savedDigest?.value ?? []), md5);
    assert.equal(got[0]?.problem, '');
    assert.match(got[1]?.problem ?? '', /does not decompress/);
  });
});
