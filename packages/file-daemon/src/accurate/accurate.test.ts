import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { backupFileSet, type FileIssue } from '../backup/index.js';
import { Hashers } from '../digest/hashers.js';
import { compileFileSet } from '../fileset/index.js';
import { MemorySink, tempDir } from '../restore/testing.js';
import { AccurateTable } from './table.js';

const T = burrow.Stream;
/** A round mtime, set again after a change so that only the contents tell. */
const MTIME = new Date('2020-02-02T02:02:02Z');

async function backUp(dir: string, settings: Record<string, string>, accurate: AccurateTable | null) {
  const sink = new MemorySink();
  const issues: FileIssue[] = [];
  const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [Buffer.from(dir)], options: [{ settings }] }] }));
  await backupFileSet({ fileset, sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), accurate, hashers: await Hashers.create() });
  const saved = sink.records.filter((r) => r.stream === T.STREAM_ATTRIBUTES).map((r) => Buffer.from(burrow.FileAttributes.decode(r.data).path).toString().slice(dir.length));
  return { sink, issues, saved };
}

/** The state the Director would send after `full`: each entry's attributes and, when asked, its digest. */
function stateOf(full: MemorySink, withDigests: boolean): AccurateTable {
  const entries: { attrs: burrow.FileAttributes; digest: burrow.FileDigest | null }[] = [];
  for (const r of full.records) {
    if (r.stream === T.STREAM_ATTRIBUTES) entries.push({ attrs: burrow.FileAttributes.decode(r.data), digest: null });
    else if (r.stream === T.STREAM_DIGEST) entries[entries.length - 1]!.digest = burrow.FileDigest.decode(r.data);
  }
  const table = new AccurateTable(entries.length, { atime: false });
  for (const e of entries) table.add(e.attrs, withDigests ? e.digest : undefined);
  return table;
}

describe('accurate mode compares contents when the letters ask (5, 1)', () => {
  it('saves a file whose contents changed under the same mtime and size only with a digest letter', async () => {
    await using d = await tempDir('acc5');
    const f = `${d.path}/f`;
    await writeFile(f, 'version one');
    await writeFile(`${d.path}/calm`, 'never changes');
    for (const p of [f, `${d.path}/calm`]) await utimes(p, MTIME, MTIME);
    const settings = { signature: 'XXH128' };
    const full = await backUp(d.path, settings, null);
    await writeFile(f, 'version two'); // the same size
    await utimes(f, MTIME, MTIME); // the same mtime; ctime moves, and ms does not compare it

    const plain = await backUp(d.path, { ...settings, accurate: 'ms' }, stateOf(full.sink, false));
    assert.deepEqual(plain.saved, [''], 'm and s alone see no change (the directory is always saved)');
    const digest = await backUp(d.path, { ...settings, accurate: 'ms5' }, stateOf(full.sink, true));
    assert.deepEqual(digest.saved.sort(), ['', '/f'], 'the digest tells f changed; calm is read and left out');
    assert.deepEqual(digest.issues, []);
  });

  it('compares with the catalog\'s own algorithm, and saves with a warning when the catalog has no digest', async () => {
    await using d = await tempDir('acc1');
    await writeFile(`${d.path}/f`, 'same as ever');
    const full = await backUp(d.path, { signature: 'MD5' }, null);
    // The FileSet's Signature changed since: the MD5 the catalog holds is still what is compared.
    const same = await backUp(d.path, { signature: 'SHA256', accurate: 'mcs1' }, stateOf(full.sink, true));
    assert.deepEqual(same.saved, ['']);
    const none = await backUp(d.path, { signature: 'SHA256', accurate: 'mcs1' }, stateOf(full.sink, false));
    assert.deepEqual(none.saved.sort(), ['', '/f']);
    assert.match(none.issues[0]?.message ?? '', /^Cannot verify checksum: the catalog holds no digest of it/);
    assert.equal(none.issues[0]?.severity, 'warning');
  });

  it('compares no contents without a Signature, as Bareos; A always saves; d saves a file that shrank', async () => {
    await using d = await tempDir('accA');
    await writeFile(`${d.path}/f`, 'twelve bytes');
    await utimes(`${d.path}/f`, MTIME, MTIME);
    const full = await backUp(d.path, {}, null);
    assert.deepEqual((await backUp(d.path, { accurate: 'm5' }, stateOf(full.sink, true))).saved, ['']);
    assert.deepEqual((await backUp(d.path, { accurate: 'A' }, stateOf(full.sink, false))).saved.sort(), ['', '/f']);
    await writeFile(`${d.path}/f`, 'short');
    await utimes(`${d.path}/f`, MTIME, MTIME);
    assert.deepEqual((await backUp(d.path, { accurate: 'md' }, stateOf(full.sink, false))).saved.sort(), ['', '/f']);
  });
});
