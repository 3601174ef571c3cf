import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { backupFileSet, readDataPayload, type FileRecord, type RecordSink } from './index.js';
import { compileFileSet } from '../fileset/index.js';
import { Hashers } from '../digest/hashers.js';
import { tempDir } from '../restore/testing.js';

describe('a backup\'s chunk buffers', () => {
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
