import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { compileFileSet } from '../fileset/index.js';
import { tempDir } from '../restore/testing.js';
import { backupFileSet, type FileIssue, type FileRecord, type RecordSink } from './index.js';
import { Hashers } from '../digest/hashers.js';

it('a file that vanishes after the directory was listed is a warning naming it; the walk goes on', async () => {
  await using d = await tempDir('vanish');
  await mkdir(`${d.path}/dir`);
  for (const name of ['a', 'b', 'c']) await writeFile(`${d.path}/dir/${name}`, name);
  // Whichever file is saved first, the sink deletes the other two: they were listed
  // already and vanish before the walker opens them.
  let deleted = false;
  const saved: string[] = [];
  const sink: RecordSink = {
    write: async (rec: FileRecord) => {
      if (rec.stream !== burrow.Stream.STREAM_ATTRIBUTES) return;
      const path = Buffer.from(burrow.FileAttributes.decode(rec.data).path).toString();
      saved.push(path);
      if (!deleted && path.startsWith(`${d.path}/dir/`)) {
        deleted = true;
        for (const name of ['a', 'b', 'c']) if (`${d.path}/dir/${name}` !== path) await rm(`${d.path}/dir/${name}`);
      }
    },
  };
  const issues: FileIssue[] = [];
  const totals = await backupFileSet({
    fileset: compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [Buffer.from(d.path)] }] })),
    sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create(),
  });
  const vanished = issues.filter((i) => i.severity === 'warning' && /vanished/.test(i.message));
  assert.equal(vanished.length, 2, JSON.stringify(issues));
  for (const v of vanished) assert.match(Buffer.from(v.path).toString(), new RegExp(`^${d.path}/dir/[abc]$`));
  assert.ok(saved.includes(`${d.path}/dir`) && saved.includes(d.path), 'the directories are still saved');
  assert.equal(totals.issues, 2);
});
