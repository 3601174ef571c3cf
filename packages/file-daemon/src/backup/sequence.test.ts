import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/index';
import { BurrowError } from '@burrow/common/errors/index';
import { gunzipSync } from 'node:zlib';
import { RecordSequence } from './sequence.js';
import { CompressThread, COMPRESS_THREAD_MAX_CHUNK } from './compress-thread.js';
import { readLz4Frame } from './lz4-frame.js';
import type { FileRecord, RecordSink } from './record.js';

function rec(fileIndex: number, text: string): FileRecord {
  return { fileIndex, stream: burrow.Stream.STREAM_DATA, data: Buffer.from(text) };
}

/** Resolves when the test says so. */
function later<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('the record sequence', () => {
  it('sends records in the order given, also those made later, and finishes when all went', async () => {
    const got: string[] = [];
    const seq = new RecordSequence({ write: async (r) => void got.push(r.data.toString()) });
    await seq.write(rec(1, 'a'));
    assert.deepEqual(got, ['a'], 'nothing waiting: straight through');
    const b = later<FileRecord>();
    const d = later<FileRecord>();
    await seq.later(b.promise, 1);
    await seq.write(rec(2, 'c'));
    await seq.later(d.promise, 1);
    await seq.write(rec(3, 'e'));
    d.resolve(rec(2, 'd'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['a'], 'c, d and e wait for b');
    b.resolve(rec(1, 'b'));
    await seq.finish();
    assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e']);
    await seq.write(rec(4, 'f'));
    assert.deepEqual(got.at(-1), 'f');
  });

  it('makes the producer wait when many records wait, instead of queueing without bound', async () => {
    const gate = later<void>();
    let written = 0;
    const seq = new RecordSequence({ write: async () => { await gate.promise; written++; } });
    const first = later<FileRecord>();
    await seq.later(first.promise, 1);
    let given = 1;
    let waited = false;
    for (let i = 0; i < 10_000 && !waited; i++) {
      const room = seq.write(rec(i, 'x'));
      given++;
      waited = await Promise.race([room.then(() => false), new Promise<boolean>((r) => setImmediate(() => r(true)))]);
    }
    assert.ok(waited, 'write() stopped resolving at once');
    assert.ok(given <= 1024, `${given} records given before the producer had to wait`);
    first.resolve(rec(0, 'first'));
    gate.resolve();
    await seq.finish();
    assert.equal(written, given);
  });

  it('ends at the first failure, of the sink or of a record being made: every later write and finish reject', async () => {
    const failing: RecordSink = { write: async (r) => { if (r.data.toString() === 'bad') throw new BurrowError('CONNECTION', 'sink gone'); } };
    const seq = new RecordSequence(failing);
    const made = later<FileRecord>();
    await seq.later(made.promise, 1);
    await seq.write(rec(1, 'bad'));
    made.resolve(rec(1, 'ok'));
    await assert.rejects(seq.finish(), /sink gone/);
    await assert.rejects(seq.write(rec(2, 'ok')), /sink gone/);
    const other = new RecordSequence({ write: async () => undefined });
    await other.later(Promise.reject(new BurrowError('INTERNAL', 'compression failed')), 1);
    await assert.rejects(other.finish(), /compression failed/);
  });
});

describe('the compression thread', () => {
  it('compresses batches of chunks, each on its own, behind the room asked for, and closes without harm', async () => {
    const thread = new CompressThread(20);
    try {
      const chunks = Array.from({ length: 200 }, (_, i) => Buffer.from(`chunk ${i} `.repeat(i * 7 + 1)));
      const gz = chunks.map((c, i) => thread.compress(c, { algorithm: 'GZIP', level: 1 + (i % 9) }));
      const framed = await Promise.all(gz);
      for (const [i, f] of framed.entries()) {
        const body = f.subarray(20);
        assert.deepEqual(gunzipSync(body), chunks[i], `chunk ${i}`);
      }
      assert.equal(thread.takes({ algorithm: 'ZSTD', level: 3 }, 10), false);
      assert.equal(thread.takes({ algorithm: 'GZIP', level: 6 }, COMPRESS_THREAD_MAX_CHUNK + 1), false);
      assert.throws(() => thread.compress(Buffer.alloc(COMPRESS_THREAD_MAX_CHUNK + 1), { algorithm: 'GZIP', level: 6 }), /takes no GZIP chunk/);
      assert.equal(thread.takes({ algorithm: 'LZ4', level: 1 }, 16 * 1024 * 1024 + 1), false);
    } finally {
      await thread.close();
    }
  });

  it('compresses LZ4 chunks, small ones batched beside gzip ones and large ones alone, into frames', async () => {
    const thread = new CompressThread(20);
    try {
      const lz4 = { algorithm: 'LZ4', level: 1 } as const;
      const sizes = [1, 5_000, COMPRESS_THREAD_MAX_CHUNK, COMPRESS_THREAD_MAX_CHUNK + 1, 1024 * 1024, 3 * 1024 * 1024, 10, 1024 * 1024];
      const chunks = sizes.map((n, i) => Buffer.from(`chunk ${i} of ${n} bytes; `.repeat(Math.ceil(n / 20))).subarray(0, n));
      const gzipped = Buffer.from('and a gzip one between them');
      const compressing = chunks.map((c) => thread.compress(c, lz4));
      const gz = thread.compress(gzipped, { algorithm: 'GZIP', level: 6 });
      const framed = await Promise.all(compressing);
      for (const [i, f] of framed.entries()) assert.deepEqual(await readLz4Frame(f.subarray(20), 16 * 1024 * 1024), chunks[i], `chunk ${i}`);
      assert.deepEqual(gunzipSync((await gz).subarray(20)), gzipped);
      // Large chunks' buffers come back for the next ones (inputs always, answers once given
      // back); small chunks' answers share a buffer and are never written again.
      for (const f of framed) thread.giveBack(f);
      const again = await Promise.all(chunks.map((c) => thread.compress(c, lz4)));
      for (const [i, f] of again.entries()) assert.deepEqual(await readLz4Frame(f.subarray(20), 16 * 1024 * 1024), chunks[i], `chunk ${i} again`);
      // A buffer written again went back to the thread: here it is detached (empty).
      const reused = framed.flatMap((f, i) => (f.buffer.byteLength === 0 ? [i] : []));
      assert.ok(reused.length >= 2, 'large answers written again');
      for (const i of reused) assert.ok((chunks[i]?.length ?? 0) > COMPRESS_THREAD_MAX_CHUNK, `chunk ${i}: only large ones`);
    } finally {
      await thread.close();
    }
  });
});
