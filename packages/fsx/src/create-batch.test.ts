/** fsx's CreateBatch: small files made on libuv's pool, exactly, never over or through what is there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCreateBatch } from './index.js';

const isRoot = process.getuid?.() === 0;

function openDir(path: string): number {
  return openSync(path, fsc.O_RDONLY | fsc.O_DIRECTORY);
}

test('CreateBatch: files in several directories, with their bytes, mode, owner and times to the nanosecond', async () => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-fsx-batch-'));
  try {
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    const batch = newCreateBatch(64 * 1024, 8);
    const a = openDir(join(root, 'a'));
    const da = batch.addDirectory(a);
    closeSync(a); // the batch holds its own
    // The number just freed goes to the next directory opened: the batch must still tell them apart.
    const b = openDir(join(root, 'b'));
    const db = batch.addDirectory(b);
    closeSync(b);
    const name = Buffer.from([0x66, 0xff, 0x0a, 0x20]); // not UTF-8, with a newline
    const times = { atime: { sec: -86_400, nsec: 1 }, mtime: { sec: 1_700_000_000, nsec: 123_456_789 } };
    assert.equal(batch.add(da, name, [Buffer.from('one '), Buffer.from('two')], { mode: 0o4751, uid: 1234, gid: 5678, ...times }), 0);
    assert.equal(batch.add(db, Buffer.from('empty'), [], { mode: 0o600, uid: 0, gid: 0, ...times }), 1);
    const results = await batch.run(isRoot);
    assert.deepEqual(results, [null, null]);
    const path = Buffer.concat([Buffer.from(join(root, 'a') + '/'), name]);
    const st = lstatSync(path, { bigint: true }); // before reading it moves the atime
    assert.equal(readFileSync(path, 'latin1'), 'one two');
    assert.equal(Number(st.mode) & 0o7777, 0o4751);
    if (isRoot) assert.deepEqual([Number(st.uid), Number(st.gid)], [1234, 5678]);
    assert.equal(st.mtimeNs, 1_700_000_000_123_456_789n);
    assert.equal(st.atimeNs, -86_400_000_000_000n + 1n);
    assert.equal(readFileSync(join(root, 'b', 'empty')).length, 0);
    assert.deepEqual(readdirSync(join(root, 'b')), ['empty']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('CreateBatch: an existing file or planted symlink is left alone and reported (EEXIST); the rest of the batch is made', async () => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-fsx-batch-'));
  try {
    writeFileSync(join(root, 'taken'), 'keep me');
    writeFileSync(join(root, 'victim'), 'untouched');
    symlinkSync(join(root, 'victim'), join(root, 'link'));
    const batch = newCreateBatch(4096, 4);
    const fd = openDir(root);
    const d = batch.addDirectory(fd);
    closeSync(fd);
    const attrs = { mode: 0o644, uid: 0, gid: 0, atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 } };
    batch.add(d, Buffer.from('taken'), [Buffer.from('new')], attrs);
    batch.add(d, Buffer.from('link'), [Buffer.from('new')], attrs);
    batch.add(d, Buffer.from('fresh'), [Buffer.from('new')], attrs);
    const [taken, link, fresh] = await batch.run(false);
    assert.equal(taken?.code, 'EEXIST');
    assert.equal(taken?.syscall, 'openat');
    assert.match(taken?.message ?? '', /^openat: File exists/);
    assert.equal(link?.code, 'EEXIST');
    assert.equal(fresh, null);
    assert.equal(batch.dataOf(0).toString(), 'new'); // for the caller's other way
    assert.equal(readFileSync(join(root, 'taken'), 'utf8'), 'keep me');
    assert.equal(readFileSync(join(root, 'victim'), 'utf8'), 'untouched');
    assert.equal(readFileSync(join(root, 'fresh'), 'utf8'), 'new');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('CreateBatch: what does not fit is refused before anything is made; a batch runs once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-fsx-batch-'));
  try {
    const batch = newCreateBatch(16, 1);
    const fd = openDir(root);
    const d = batch.addDirectory(fd);
    closeSync(fd);
    const attrs = { mode: 0o644, uid: 0, gid: 0, atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 } };
    assert.equal(batch.fits(Buffer.from('x'), 16), false);
    assert.throws(() => batch.add(d, Buffer.from('x'), [Buffer.alloc(16)], attrs), RangeError);
    assert.throws(() => batch.add(d + 1, Buffer.from('x'), [], attrs), RangeError);
    batch.add(d, Buffer.from('x'), [Buffer.from('12')], attrs);
    assert.equal(batch.fits(Buffer.from('y'), 0), false); // maxFiles
    assert.deepEqual(await batch.run(false), [null]);
    await assert.rejects(batch.run(false), /already run/);
    assert.deepEqual(readdirSync(root), ['x']);
    // Emptied for the next files, it runs again with what is added then.
    batch.reuse();
    assert.equal(batch.count, 0);
    const again = openDir(root);
    batch.add(batch.addDirectory(again), Buffer.from('y'), [Buffer.from('345')], attrs);
    closeSync(again);
    assert.deepEqual(await batch.run(false), [null]);
    assert.equal(readFileSync(join(root, 'y'), 'utf8'), '345');
    assert.throws(() => { batch.reuse(); batch.reuse(); }, /still open/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
