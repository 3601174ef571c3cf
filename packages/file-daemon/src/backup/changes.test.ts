import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { compileFileSet } from '../fileset/index.js';
import { tempDir } from '../restore/testing.js';
import { backupFileSet, type FileIssue, type FileRecord, type RecordSink } from './index.js';
import { Hashers } from '../digest/hashers.js';

/** Backs up `dir` with these Options settings; the sink appends to `grow` as its attributes pass, before its data is read. */
async function backUp(dir: string, settings: Record<string, string>): Promise<{ issues: FileIssue[]; saved: string[] }> {
  const saved: string[] = [];
  const sink: RecordSink = {
    write: async (rec: FileRecord) => {
      if (rec.stream !== burrow.Stream.STREAM_ATTRIBUTES) return;
      const path = Buffer.from(burrow.FileAttributes.decode(rec.data).path).toString();
      saved.push(path);
      if (path.endsWith('/grow')) await appendFile(path, 'more while it is read\n');
    },
  };
  const issues: FileIssue[] = [];
  await backupFileSet({
    fileset: compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [Buffer.from(dir)], options: [{ settings }] }] })),
    sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create(),
  });
  return { issues, saved };
}

describe('CheckFileChanges and Size', () => {
  it('names a file that changed while it was read only when CheckFileChanges asks for it', async () => {
    await using d = await tempDir('changes');
    await writeFile(`${d.path}/grow`, 'x'.repeat(100_000));
    await writeFile(`${d.path}/calm`, 'calm');
    const off = await backUp(d.path, {});
    assert.deepEqual(off.issues, [], 'off by default, as in Bareos');
    const on = await backUp(d.path, { checkfilechanges: 'yes' });
    assert.equal(on.issues.length, 1, JSON.stringify(on.issues));
    assert.equal(Buffer.from(on.issues[0]!.path).toString(), `${d.path}/grow`);
    assert.equal(on.issues[0]!.severity, 'warning');
    // The listing and the append can fall in one clock tick of the file system: then the size tells.
    assert.match(on.issues[0]!.message, /^(mtime|size) changed during backup$/);
  });

  it('saves only the regular files whose size matches; directories whatever theirs', async () => {
    await using d = await tempDir('size');
    await writeFile(`${d.path}/small`, 'x'.repeat(10));
    await writeFile(`${d.path}/big`, 'x'.repeat(5000));
    const { saved } = await backUp(d.path, { size: '<1k' });
    assert.deepEqual(saved.map((p) => p.slice(d.path.length)).sort(), ['', '/small']);
  });
});
