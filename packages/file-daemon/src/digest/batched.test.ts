import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/index';
import { DigestThread } from './thread.js';
import { Hashers } from './hashers.js';

const MD5 = burrow.DigestAlgorithm.DIGEST_MD5;
const SHA256 = burrow.DigestAlgorithm.DIGEST_SHA256;
const thread = new DigestThread();
after(() => thread.close());

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe('small files hashed in batches on the digest thread', () => {
  it('gives every file its own digest, whatever the algorithm, across many batches', async () => {
    const hashers = await Hashers.create(thread);
    const files = Array.from({ length: 600 }, (_, i) => randomBytes((i * 997) % 9000));
    const digests: Array<Promise<Buffer>> = [];
    for (const [i, bytes] of files.entries()) {
      const h = hashers.streamDeferred(i % 3 === 0 ? SHA256 : MD5, bytes.length)!;
      assert.equal('deferred' in h, true);
      // In two pieces, as two records would bring them.
      await h.update(bytes.subarray(0, 100));
      await h.update(bytes.subarray(100));
      digests.push(h.digest());
    }
    hashers.flushDeferred();
    const got = await Promise.all(digests);
    got.forEach((d, i) => assert.equal(d.toString('hex'), createHash(i % 3 === 0 ? 'sha256' : 'md5').update(files[i]!).digest('hex'), `file ${i}`));
  });

  it('hashes XXH128 files on a thread that had not loaded it before, as the hashers here do', async () => {
    const own = new DigestThread();
    const hashers = await Hashers.create(own);
    const files = [randomBytes(10), randomBytes(5000), Buffer.alloc(0)];
    const digests = [];
    for (const bytes of files) {
      const h = hashers.streamDeferred(burrow.DigestAlgorithm.DIGEST_XXH128, bytes.length)!;
      await h.update(bytes);
      digests.push(h.digest());
    }
    hashers.flushDeferred();
    const got = await Promise.all(digests);
    files.forEach((bytes, i) => {
      const here = hashers.open(burrow.DigestAlgorithm.DIGEST_XXH128)!;
      here.update(bytes);
      assert.ok(got[i]!.equals(here.digest()), `file ${i}`);
    });
    await own.close();
  });

  it('hashes here, with the same result, a file larger than it said, one with holes, and one still open when its batch goes', async () => {
    const hashers = await Hashers.create(thread);
    const big = randomBytes(2 * 1024 * 1024);
    const grows = hashers.streamDeferred(MD5, 10)!;
    await grows.update(big.subarray(0, 10));
    await grows.update(big.subarray(10)); // more than a batch holds
    const sparse = hashers.streamDeferred(MD5, 300)!;
    await sparse.update(Buffer.from('head'));
    await sparse.zeros(296);
    const open = hashers.streamDeferred(MD5, 50)!;
    await open.update(Buffer.alloc(20, 1));
    hashers.flushDeferred(); // `open` has not asked for its digest yet
    await open.update(Buffer.alloc(30, 2));
    assert.equal((await grows.digest()).toString('hex'), md5(big));
    assert.equal((await sparse.digest()).toString('hex'), md5(Buffer.concat([Buffer.from('head'), Buffer.alloc(296)])));
    assert.equal((await open.digest()).toString('hex'), md5(Buffer.concat([Buffer.alloc(20, 1), Buffer.alloc(30, 2)])));
  });

  it('sends a batch of many empty files on its own before it grows past its bound, and a dropped file is left out', async () => {
    const hashers = await Hashers.create(thread);
    const dropped = hashers.streamDeferred(MD5, 3)!;
    await dropped.update(Buffer.from('abc'));
    dropped.drop();
    const empties = Array.from({ length: 10_000 }, () => hashers.streamDeferred(MD5, 0)!.digest());
    // The first 4,096 went when the 4,097th came, without a flush.
    assert.equal((await empties[0]!).toString('hex'), md5(Buffer.alloc(0)));
    hashers.flushDeferred();
    for (const d of await Promise.all(empties)) assert.equal(d.toString('hex'), md5(Buffer.alloc(0)));
  });

  it('fails the digests of a batch whose thread stopped, and the next batch gets a new thread', async () => {
    const own = new DigestThread();
    const hashers = await Hashers.create(own);
    const h = hashers.streamDeferred(MD5, 5)!;
    await h.update(Buffer.from('hello'));
    const failed = assert.rejects(h.digest(), /digest thread closed/);
    hashers.flushDeferred();
    await own.close();
    await failed;
    const again = hashers.streamDeferred(MD5, 5)!;
    await again.update(Buffer.from('hello'));
    const d = again.digest();
    hashers.flushDeferred();
    assert.equal((await d).toString('hex'), md5(Buffer.from('hello')));
    await own.close();
  });
});
