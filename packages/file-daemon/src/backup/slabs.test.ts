import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { SLICED_UP_TO, SlabPool } from './slabs.js';
import { backupFileSet, readDataPayload, type FileRecord, type RecordSink } from './index.js';
import { compileFileSet } from '../fileset/index.js';
import { Hashers } from '../digest/hashers.js';
import { tempDir } from '../restore/testing.js';

describe('slab slices for small chunks', () => {
  it('cuts slices that do not overlap, and serves a slab again only once every slice came back', () => {
    const pool = new SlabPool(2);
    const a = pool.take(10_000);
    const b = pool.take(20_000);
    assert.equal(a.buffer, b.buffer, 'one slab');
    assert.ok(b.byteOffset >= a.byteOffset + a.length, 'slices do not overlap');
    a.fill(1);
    b.fill(2);
    // Fill the slab: the next slices come from a new one while `a` and `b` are out.
    const rest: Buffer[] = [];
    for (let i = 0; i < 20; i++) rest.push(pool.take(60_000));
    assert.ok(rest.some((r) => r.buffer !== a.buffer), 'a second slab once the first is full');
    pool.give(a);
    pool.give(a); // a second give is ignored
    for (const r of rest) if (r.buffer === a.buffer) pool.give(r);
    // `b` is still out: its slab is not cut again.
    const later: Buffer[] = [];
    for (let i = 0; i < 40; i++) later.push(pool.take(60_000));
    assert.ok(later.every((l) => l.buffer !== b.buffer), 'a slab with a slice out is never cut again');
    assert.ok(b.equals(Buffer.alloc(20_000, 2)), 'nothing overwrote a slice still out');
    pool.give(b);
    for (const l of later) pool.give(l);
    let again = false;
    for (let i = 0; i < 40 && !again; i++) again = pool.take(60_000).buffer === b.buffer;
    assert.ok(again, 'the slab serves again once all its slices came back');
  });

  it('ignores a stale view given back after its slab serves again, and buffers it did not cut', () => {
    const pool = new SlabPool(1);
    const first = pool.take(1000);
    pool.give(first);
    const second = pool.take(1000); // the same place of the same slab, cut again
    assert.equal(second.buffer, first.buffer);
    assert.equal(second.byteOffset, first.byteOffset);
    pool.give(first); // stale: must not free `second`
    const third = pool.take(1000);
    assert.ok(third.byteOffset >= second.byteOffset + second.length, '`second` is still out');
    pool.give(Buffer.alloc(100));
    pool.give(Buffer.from(second.buffer, second.byteOffset, second.length)); // another view of it
    assert.ok(pool.take(1000).byteOffset > third.byteOffset, '`second` is still out');
    assert.throws(() => pool.take(SLICED_UP_TO + 1), RangeError);
  });

  it('a backup of small files sends each file\'s own bytes, whether its records are held or given back at once', async () => {
    await using src = await tempDir('slabs');
    const contents = new Map<string, Buffer>();
    await mkdir(`${src.path}/d`);
    for (let i = 0; i < 300; i++) {
      const bytes = randomBytes(1 + ((i * 7919) % 120_000));
      contents.set(`${src.path}/d/f${String(i).padStart(3, '0')}`, bytes);
      await writeFile(`${src.path}/d/f${String(i).padStart(3, '0')}`, bytes);
    }
    const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { name: 'fs', includes: [{ files: [Buffer.from(src.path)], options: [{ settings: {} }] }] }));
    for (const hold of [true, false]) {
      // A sink that holds every record until the end (released then), or releases each at once.
      const records: FileRecord[] = [];
      const memories = new Set<ArrayBufferLike>();
      const sink: RecordSink = {
        write: async (rec) => {
          if (rec.stream === burrow.Stream.STREAM_DATA) memories.add(rec.data.buffer);
          records.push(hold || rec.stream !== burrow.Stream.STREAM_DATA ? rec : { ...rec, data: Buffer.from(rec.data) });
          if (!hold) rec.release?.();
        },
      };
      await backupFileSet({ fileset, sink, signal: new AbortController().signal, hashers: await Hashers.create(), onFileIssue: (i) => assert.fail(i.message) });
      const byIndex = new Map<number, string>();
      for (const r of records) if (r.stream === burrow.Stream.STREAM_ATTRIBUTES) byIndex.set(r.fileIndex, Buffer.from(burrow.FileAttributes.decode(r.data).path ?? []).toString());
      let checked = 0;
      for (const r of records) {
        if (r.stream !== burrow.Stream.STREAM_DATA) continue;
        const want = contents.get(byIndex.get(r.fileIndex) ?? '');
        assert.ok(want, `record of file ${r.fileIndex}`);
        assert.ok(readDataPayload(r.data).body.equals(want), `file ${byIndex.get(r.fileIndex)} holds its own bytes (records held: ${hold})`);
        checked++;
      }
      assert.equal(checked, contents.size);
      if (hold) assert.ok(memories.size >= 10, 'held records keep their slabs: each new slice came from a new slab');
      else assert.ok(memories.size <= 3, `records given back at once: a few slabs serve every file (${memories.size})`);
      for (const r of records) r.release?.();
    }
  });
});
