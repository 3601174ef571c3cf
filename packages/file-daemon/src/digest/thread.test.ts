import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { DIGESTS } from '@burrow/common/fileset/digests';
import type { SignatureName } from '@burrow/common/fileset/options';
import { Hashers, THREAD_FROM_BYTES } from './hashers.js';
import { DigestThread } from './thread.js';
import { backupFileSet } from '../backup/index.js';
import { compileFileSet } from '../fileset/index.js';
import { MemorySink, tempDir } from '../restore/testing.js';

const A = burrow.DigestAlgorithm;
const thread = new DigestThread();
after(() => thread.close());

/** The same bytes hashed here, in one piece. */
async function inlineDigest(algorithm: burrow.DigestAlgorithm, data: Buffer): Promise<string> {
  const h = (await Hashers.create()).open(algorithm);
  assert.ok(h);
  h.update(data);
  return h.digest().toString('hex');
}

describe('the digest thread', () => {
  it('computes every algorithm as the main thread does, from chunks of any size and holes', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5);
    const withHole = Buffer.concat([data.subarray(0, 1000), Buffer.alloc(70_000), data.subarray(0, 500)]);
    for (const { algorithm, name } of DIGESTS) {
      // Two files at once, their chunks interleaved: each keeps its own state.
      const a = thread.open(name);
      const b = thread.open(name);
      // a in 1 MiB chunks (pooled buffers), b in chunks larger than a pooled buffer, and an empty one.
      for (let at = 0, bt = 0; at < data.length || bt < data.length; at += 1024 * 1024, bt += 1_300_000) {
        if (at < data.length) await a.update(data.subarray(at, at + 1024 * 1024));
        if (bt < data.length) await b.update(data.subarray(bt, bt + 1_300_000));
        await b.update(Buffer.alloc(0));
      }
      const c = thread.open(name);
      await c.update(withHole.subarray(0, 1000));
      await c.zeros(70_000);
      await c.update(withHole.subarray(71_000));
      const want = await inlineDigest(algorithm, data);
      assert.equal((await a.digest()).toString('hex'), want, `algorithm ${algorithm}`);
      assert.equal((await b.digest()).toString('hex'), want, `algorithm ${algorithm}, large chunks`);
      assert.equal((await c.digest()).toString('hex'), await inlineDigest(algorithm, withHole), `algorithm ${algorithm}, a hole`);
    }
  });

  it('makes a fast producer wait instead of queueing without bound, and forgets a dropped file', async () => {
    const h = thread.open('SHA256');
    const chunk = Buffer.alloc(1024 * 1024);
    let waited = false;
    for (let i = 0; i < 40; i++) {
      const room = h.update(chunk);
      let settled = false;
      void room.then(() => { settled = true; });
      await Promise.resolve();
      if (!settled) waited = true;
      await room;
    }
    assert.ok(waited, '40 MiB posted at once would have queued them all');
    h.drop();
    const next = thread.open('MD5');
    await next.update(Buffer.from('abc'));
    assert.equal((await next.digest()).toString('hex'), '900150983cd24fb0d6963f7d28e17f72');
  });

  it('an unknown algorithm fails the digest, not the thread', async () => {
    const bad = thread.open('MD4' as SignatureName); // a name from a newer Director
    await bad.update(Buffer.from('x'));
    await assert.rejects(bad.digest(), /digest algorithm MD4 is not known/);
    const good = thread.open('MD5');
    assert.equal((await good.digest()).toString('hex'), 'd41d8cd98f00b204e9800998ecf8427e');
  });

  it('a backup hashes large files there and small ones here, with the same digests', async () => {
    await using src = await tempDir('dt');
    const large = randomBytes(THREAD_FROM_BYTES * 3 + 11);
    const small = randomBytes(5000);
    await writeFile(`${src.path}/large`, large);
    await writeFile(`${src.path}/small`, small);
    const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { name: 'fs', includes: [{ files: [Buffer.from(src.path)], options: [{ settings: { signature: 'SHA1' } }] }] }));
    const sink = new MemorySink();
    await backupFileSet({ fileset, sink, signal: new AbortController().signal, hashers: await Hashers.create(thread), onFileIssue: () => undefined });
    const digests = sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DIGEST).map((r) => Buffer.from(burrow.FileDigest.decode(r.data).value).toString('hex'));
    assert.deepEqual(digests.sort(), [await inlineDigest(A.DIGEST_SHA1, large), await inlineDigest(A.DIGEST_SHA1, small)].sort());
  });
});
