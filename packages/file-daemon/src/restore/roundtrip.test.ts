import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, link, mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { backupFileSet, DEFAULT_CHUNK_SIZE, readDataPayload, type FileIssue } from '../backup/index.js';
import { CompressThread } from '../backup/compress-thread.js';
import { CHUNK_ROOM } from '../backup/record.js';
import { compileFileSet } from '../fileset/index.js';
import { RestoreWriter } from './index.js';
import type { ReplaceMode } from './replace.js';
import { SMALL_FILE_BYTES } from './small.js';
import { DigestThread } from '../digest/thread.js';
import { MemorySink, snapshotTree, tempDir } from './testing.js';
import { Hashers, THREAD_FROM_BYTES } from '../digest/hashers.js';
import { digestName } from '@burrow/common/fileset/digests';

const NON_UTF8 = Buffer.from([0x6e, 0xe9, 0xff]);
const TIME = '@1600000000.123456789';

function touch(path: string): void {
  execFileSync('touch', ['-h', '-d', TIME, path]);
}

/** Builds the source tree; returns whether a device node could be made (not in every container). */
async function buildSource(root: string): Promise<boolean> {
  await writeFile(`${root}/a.txt`, 'hello');
  await chown(`${root}/a.txt`, 1234, 5678);
  await chmod(`${root}/a.txt`, 0o640);
  await writeFile(`${root}/empty`, '');
  await writeFile(`${root}/big.bin`, randomBytes(200_000));
  await writeFile(`${root}/suid`, '#!/bin/sh\n');
  await chown(`${root}/suid`, 1000, 1000);
  await chmod(`${root}/suid`, 0o6755);
  await symlink('a.txt', `${root}/rel-link`);
  await symlink('/etc/passwd', `${root}/abs-link`);
  await symlink(Buffer.from([0x78, 0xff]), `${root}/odd-link`);
  await mkdir(`${root}/sub`);
  await writeFile(`${root}/h1`, 'linked');
  await link(`${root}/h1`, `${root}/sub/h2`);
  await writeFile(Buffer.concat([Buffer.from(`${root}/sub/`), NON_UTF8]), 'latin');
  await mkdir(`${root}/ro`);
  await writeFile(`${root}/ro/inner.txt`, 'inside a 0555 directory');
  await mkdir(`${root}/skip`);
  await writeFile(`${root}/skip/.nobackup`, '');
  await writeFile(`${root}/skip/secret`, 'not saved');
  execFileSync('mkfifo', [`${root}/fifo`]);
  let device = true;
  try {
    execFileSync('mknod', [`${root}/null`, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    device = false;
  }
  for (const p of ['a.txt', 'empty', 'big.bin', 'suid', 'rel-link', 'abs-link', 'h1', 'ro/inner.txt', 'fifo', 'sub', 'ro']) {
    touch(`${root}/${p}`);
  }
  if (device) touch(`${root}/null`);
  await chmod(`${root}/ro`, 0o555);
  touch(`${root}/ro`);
  return device;
}

async function backup(src: string, settings: Record<string, string>, thread: DigestThread | null = null, compressThread: CompressThread | null = null) {
  const fileset = compileFileSet(asReceived(burrow.FileSetSpec, {
    name: 'rt',
    includes: [{ files: [Buffer.from(src)], options: [{ settings }], excludeDirContaining: ['.nobackup'] }],
  }));
  const sink = new MemorySink();
  const issues: FileIssue[] = [];
  const totals = await backupFileSet({ fileset, sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create(thread), compressThread });
  return { sink, issues, totals };
}

async function restore(records: MemorySink['records'], where: Buffer, thread: DigestThread | null = null, replace: ReplaceMode = 'always') {
  const issues: FileIssue[] = [];
  const w = new RestoreWriter({ where, replace, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create(thread) });
  for (const r of records) await w.accept(r);
  return { totals: await w.finish(), issues };
}

const digestThread = new DigestThread();
after(() => digestThread.close());
const compressThread = new CompressThread(CHUNK_ROOM);
after(() => compressThread.close());

describe('backup then restore', () => {
  it('recreates the tree: content, types, modes, owners, times, links, byte names', async () => {
    await using src = await tempDir('src');
    await using dst = await tempDir('dst');
    const device = await buildSource(src.path);
    const { sink, issues, totals } = await backup(src.path, { signature: 'SHA256' });
    assert.deepEqual(issues, []);
    // Indexes ascend from 1 and every file opens with its attributes.
    let last = 0;
    for (const r of sink.records) {
      if (r.stream === burrow.Stream.STREAM_ATTRIBUTES) assert.equal(r.fileIndex, ++last);
      else assert.equal(r.fileIndex, last);
    }
    assert.equal(totals.files, last);
    assert.equal(totals.bytes, 5 + 200_000 + 10 + 6 + 5 + 23);
    // Directories come after their contents.
    const order = sink.records
      .filter((r) => r.stream === burrow.Stream.STREAM_ATTRIBUTES)
      .map((r) => burrow.FileAttributes.decode(r.data));
    const pos = (p: string): number => order.findIndex((a) => Buffer.from(a.path).equals(Buffer.from(p)));
    assert.ok(pos(`${src.path}/ro/inner.txt`) < pos(`${src.path}/ro`));
    assert.equal(pos(src.path), order.length - 1);
    assert.equal(pos(`${src.path}/skip`), -1, 'directory holding .nobackup is skipped');
    const h2 = order[pos(`${src.path}/sub/h2`)];
    assert.equal(h2?.type, burrow.FileType.FT_HARDLINK);
    assert.equal(Buffer.from(h2?.hardlinkTarget ?? []).toString(), `${src.path}/h1`);

    const { totals: rt, issues: rIssues } = await restore(sink.records, dst.buf);
    assert.deepEqual(rIssues, []);
    assert.equal(rt.errors, 0);
    assert.equal(rt.files, totals.files);
    const want = await snapshotTree(src.buf);
    for (const k of [...want.keys()]) if (Buffer.from(k, 'hex').toString().startsWith('/skip')) want.delete(k);
    const got = await snapshotTree(Buffer.concat([dst.buf, src.buf]));
    assert.deepEqual(got, want);
    const suid = got.get(Buffer.from('/suid').toString('hex'));
    assert.equal(suid?.mode, 0o6755, 'setuid/setgid survive the chown');
    assert.equal(suid?.uid, 1000);
    assert.equal(got.get(Buffer.from('/a.txt').toString('hex'))?.mtimeUs, 1600000000123456n);
    assert.ok(got.has(Buffer.concat([Buffer.from('/sub/'), NON_UTF8]).toString('hex')));
    assert.equal(got.get(Buffer.from('/ro').toString('hex'))?.mode, 0o555);
    if (device) assert.equal(got.get(Buffer.from('/null').toString('hex'))?.type, 'chardev');
  });

  for (const [compression, stream] of [['GZIP9', burrow.Stream.STREAM_GZIP_DATA], ['LZ4', burrow.Stream.STREAM_LZ4_DATA]] as const) {
    for (const thread of [null, compressThread]) {
      it(`round-trips ${compression} chunks, each decodable on its own, large and small (${thread ? 'with the compression thread' : 'compressed inline'})`, async () => {
        await using src = await tempDir('gz');
        await using dst = await tempDir('gzdst');
        const text = Buffer.from('compressible '.repeat(Math.ceil((2.5 * DEFAULT_CHUNK_SIZE) / 13)));
        const small = Buffer.from('small and compressible '.repeat(200)); // one chunk under 16 KiB
        await writeFile(`${src.path}/t.txt`, text);
        await writeFile(`${src.path}/s.txt`, small);
        // Enough small files of all sizes (some over a batch's share) for several batches in flight.
        const many = Array.from({ length: 120 }, (_, i) => Buffer.concat([Buffer.from(`file ${i} `), randomBytes((i * 613) % 3000), Buffer.from('text '.repeat((i * 97) % 9000))]));
        await mkdir(`${src.path}/many`);
        for (const [i, b] of many.entries()) await writeFile(`${src.path}/many/f${i}`, b);
        const { sink, issues } = await backup(src.path, { compression, signature: 'MD5' }, null, thread);
        assert.deepEqual(issues, []);
        // Every file's records in order: ATTRIBUTES, its data (offsets ascending), DIGEST; indexes ascend.
        let index = 0;
        let offset = -1;
        for (const r of sink.records) {
          if (r.stream === burrow.Stream.STREAM_ATTRIBUTES) {
            assert.equal(r.fileIndex, ++index);
            offset = -1;
            continue;
          }
          assert.equal(r.fileIndex, index);
          if (r.stream === stream) {
            assert.ok(readDataPayload(r.data).offset > offset, 'data offsets ascend');
            offset = readDataPayload(r.data).offset;
          }
        }
        const data = sink.records.filter((r) => r.stream === stream);
        assert.equal(data.length, Math.ceil(text.length / DEFAULT_CHUNK_SIZE) + 1 + many.length);
        assert.ok(data.slice(0, 4).every((r) => r.data.length < DEFAULT_CHUNK_SIZE / 4), 'chunks are compressed');
        assert.equal(sink.records.some((r) => r.stream === burrow.Stream.STREAM_DATA), false);
        const { totals, issues: rIssues } = await restore(sink.records, dst.buf);
        assert.deepEqual(rIssues, [], 'every digest checks');
        assert.equal(totals.errors, 0);
        const got = await snapshotTree(Buffer.concat([dst.buf, src.buf]));
        assert.equal(got.get(Buffer.from('/t.txt').toString('hex'))?.content, text.toString('hex'));
        assert.equal(got.get(Buffer.from('/s.txt').toString('hex'))?.content, small.toString('hex'));
        for (const [i, b] of many.entries()) assert.equal(got.get(Buffer.from(`/many/f${i}`).toString('hex'))?.content, b.toString('hex'), `many/f${i}`);
      });
    }
  }

  it('gives large chunks\' buffers back only through the sink, and a buffer served again carries the right bytes', async () => {
    await using src = await tempDir('pool');
    await using dst = await tempDir('pooldst');
    const files = [randomBytes(3 * DEFAULT_CHUNK_SIZE + 777), randomBytes(2 * DEFAULT_CHUNK_SIZE), Buffer.from('text '.repeat(300_000))];
    for (const [i, b] of files.entries()) await writeFile(`${src.path}/f${i}`, b);
    for (const settings of [{ signature: 'MD5' }, { signature: 'MD5', compression: 'GZIP1' }] as Array<Record<string, string>>) {
      // Like the socket: takes a copy, then gives the buffer back at once for the next chunk.
      const records: MemorySink['records'] = [];
      let released = 0;
      const sink = {
        write: async (r: MemorySink['records'][number]) => {
          records.push({ fileIndex: r.fileIndex, stream: r.stream, data: Buffer.from(r.data) });
          if (r.release) {
            released++;
            r.release();
          }
        },
      };
      const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { name: 'pool', includes: [{ files: [Buffer.from(src.path)], options: [{ settings }] }] }));
      const issues: FileIssue[] = [];
      await backupFileSet({ fileset, sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create(digestThread) });
      assert.deepEqual(issues, []);
      // Uncompressed, every chunk goes out in the buffer it was read into, given back by the sink; compressed, none.
      assert.equal(released, settings.compression === undefined ? records.filter((r) => r.stream === burrow.Stream.STREAM_DATA).length : 0);
      assert.equal(records.filter((r) => r.stream === burrow.Stream.STREAM_DATA).length, settings.compression === undefined ? 4 + 2 + 2 : 0);
      const where = Buffer.from(`${dst.path}/${settings.compression ?? 'none'}`);
      await mkdir(where);
      const { totals, issues: rIssues } = await restore(records, where, digestThread);
      assert.deepEqual(rIssues, [], 'every digest checks');
      assert.equal(totals.errors, 0);
      const got = await snapshotTree(Buffer.concat([where, src.buf]));
      for (const [i, b] of files.entries()) assert.equal(got.get(Buffer.from(`/f${i}`).toString('hex'))?.content, b.toString('hex'), `f${i} ${settings.compression ?? ''}`);
    }
  });

  // With the digest thread, the large file is hashed there on both sides; the small one here.
  for (const [signature, thread] of [['SHA512', null], ['XXH128', null], ['MD5', digestThread], ['XXH128', digestThread]] as const) {
    it(`checks each file's ${signature} digest${thread ? ' (digest thread)' : ''}: a sound restore passes, a damaged byte is an error`, async () => {
      await using src = await tempDir('dg');
      await using dst = await tempDir('dgdst');
      await using ok = await tempDir('dgok');
      await writeFile(`${src.path}/f`, 'original content');
      await writeFile(`${src.path}/g`, 'x'.repeat(THREAD_FROM_BYTES + 200_000));
      const { sink } = await backup(src.path, { signature }, thread);
      const digests = sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DIGEST).map((r) => burrow.FileDigest.decode(r.data));
      assert.equal(digests.length, 2, 'one digest per regular file');
      assert.ok(digests.every((d) => digestName(d.algorithm) === signature));
      assert.deepEqual((await restore(sink.records, ok.buf, thread)).issues, []);
      const recs = sink.records.map((r) => {
        if (r.stream !== burrow.Stream.STREAM_DATA) return r;
        const data = Buffer.from(r.data);
        data.writeUInt8((data.at(-1) ?? 0) ^ 0xff, data.length - 1); // flip the last content byte
        return { ...r, data };
      });
      const { totals, issues } = await restore(recs, dst.buf, thread);
      assert.equal(totals.errors, 2);
      assert.ok(issues.every((i) => /digest mismatch/.test(i.message) && i.severity === 'error'), JSON.stringify(issues));
    });
  }
});

describe('small files, made in batches on the pool', () => {
  /** `count` small files of varied sizes in `dirs` directories (every file and directory timed), backed up. */
  async function manySmall(src: string, count: number, dirs: number) {
    for (let d = 0; d < dirs; d++) await mkdir(`${src}/d${d}`);
    for (let i = 0; i < count; i++) {
      const path = `${src}/d${i % dirs}/f${i}`;
      await writeFile(path, randomBytes((i * 211) % 5000));
      await chmod(path, [0o600, 0o644, 0o4755, 0o400][i % 4] as number);
      touch(path);
    }
    for (let d = 0; d < dirs; d++) touch(`${src}/d${d}`);
    return backup(src, { signature: 'MD5' }, digestThread);
  }

  it('restores several batches\' worth in several directories exactly, directory times last', async () => {
    await using src = await tempDir('many');
    await using dst = await tempDir('manydst');
    const { sink, totals } = await manySmall(src.path, 700, 7);
    const { totals: rt, issues } = await restore(sink.records, dst.buf, digestThread);
    assert.deepEqual(issues, []);
    assert.deepEqual({ files: rt.files, errors: rt.errors }, { files: totals.files, errors: 0 });
    assert.deepEqual(await snapshotTree(Buffer.concat([dst.buf, src.buf])), await snapshotTree(src.buf));
  });

  it('leaves what is there to the replace rules: kept with replace=never, replaced with replace=always', async () => {
    await using src = await tempDir('taken');
    await using dst = await tempDir('takendst');
    const { sink } = await manySmall(src.path, 300, 3);
    await restore(sink.records, dst.buf, digestThread);
    const victim = Buffer.concat([dst.buf, src.buf, Buffer.from('/d1/f7')]);
    await writeFile(victim, 'changed since');
    await utimes(victim, 1_000_000, 1_000_000);
    const kept = await restore(sink.records, dst.buf, digestThread, 'never');
    assert.equal(kept.totals.errors, 0);
    assert.equal(kept.issues.filter((i) => /exists; not replaced \(replace=never\)/.test(i.message)).length, 300);
    assert.equal(await readFile(victim, 'utf8'), 'changed since');
    const replaced = await restore(sink.records, dst.buf, digestThread, 'always');
    assert.deepEqual(replaced.issues, []);
    assert.equal(replaced.totals.errors, 0);
    assert.deepEqual(await snapshotTree(Buffer.concat([dst.buf, src.buf])), await snapshotTree(src.buf));
  });

  it('reports a file that cannot be made under its name, and makes the others of its batch', async () => {
    await using src = await tempDir('fail');
    await using dst = await tempDir('faildst');
    const { sink, totals } = await manySmall(src.path, 20, 2);
    const long = Buffer.from('n'.repeat(300)); // over NAME_MAX: the kernel refuses it
    let renamed = '';
    const records = sink.records.map((r) => {
      if (r.stream !== burrow.Stream.STREAM_ATTRIBUTES || renamed !== '') return r;
      const attrs = burrow.FileAttributes.decode(r.data);
      if (attrs.type !== burrow.FileType.FT_REGULAR) return r;
      renamed = Buffer.from(attrs.path).toString();
      attrs.path = Buffer.concat([Buffer.from(renamed.slice(0, renamed.lastIndexOf('/') + 1)), long]);
      return { ...r, data: Buffer.from(burrow.FileAttributes.encode(attrs).finish()) };
    });
    const { totals: rt, issues } = await restore(records, dst.buf, digestThread);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]?.severity, 'error');
    assert.match(issues[0]?.message ?? '', /openat: File name too long/);
    assert.ok(Buffer.from(issues[0]?.path ?? []).toString().endsWith(long.toString()));
    assert.deepEqual({ files: rt.files, errors: rt.errors }, { files: totals.files - 1, errors: 1 });
    const want = await snapshotTree(src.buf);
    want.delete(Buffer.from(renamed.slice(src.path.length)).toString('hex'));
    const got = await snapshotTree(Buffer.concat([dst.buf, src.buf]));
    assert.deepEqual(got, want);
  });

  it('writes a file whose data outgrows what its attributes said the usual way, whole, and says it is not the size saved', async () => {
    await using src = await tempDir('grown');
    await using dst = await tempDir('growndst');
    const content = randomBytes(3 * SMALL_FILE_BYTES);
    await writeFile(`${src.path}/grown`, content);
    const { sink } = await backup(src.path, { signature: 'MD5' }, digestThread);
    const records = sink.records.map((r) => {
      if (r.stream !== burrow.Stream.STREAM_ATTRIBUTES) return r;
      const attrs = burrow.FileAttributes.decode(r.data);
      if (attrs.type !== burrow.FileType.FT_REGULAR) return r;
      attrs.size = 100; // as if it grew while it was read
      return { ...r, data: Buffer.from(burrow.FileAttributes.encode(attrs).finish()) };
    });
    const { issues } = await restore(records, dst.buf, digestThread);
    assert.deepEqual(issues.map((i) => i.message), [`restored ${content.length} of 100 bytes: the rest is missing from the volume`]);
    assert.ok((await readFile(`${dst.path}${src.path}/grown`)).equals(content));
  });
});
