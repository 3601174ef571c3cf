import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { BurrowError } from '@burrow/common/errors/index';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { compileFileSet } from '../fileset/index.js';
import { MemorySink, tempDir } from '../restore/testing.js';
import { backupFileSet, type FileIssue } from './index.js';
import { Hashers } from '../digest/hashers.js';

const K = burrow.PatternKind;

function savedPaths(sink: MemorySink, root: string): string[] {
  return sink.records
    .filter((r) => r.stream === burrow.Stream.STREAM_ATTRIBUTES)
    .map((r) => Buffer.from(burrow.FileAttributes.decode(r.data).path).toString().slice(root.length) || '/');
}

async function run(spec: burrow.FileSetSpec.$Properties, signal = new AbortController().signal, chunkSize?: number) {
  const sink = new MemorySink();
  const issues: FileIssue[] = [];
  const totals = await backupFileSet({ fileset: compileFileSet(asReceived(burrow.FileSetSpec, spec)), sink, signal, onFileIssue: (i) => issues.push(i), chunkSize, hashers: await Hashers.create() });
  return { sink, issues, totals };
}

describe('backup walker', () => {
  it('applies Options patterns and Exclude File while walking', async () => {
    await using d = await tempDir('walk');
    await mkdir(`${d.path}/src/deep`, { recursive: true });
    await mkdir(`${d.path}/cache`);
    for (const f of ['src/a.c', 'src/a.o', 'src/deep/b.c', 'cache/c.c', 'notes.txt']) await writeFile(`${d.path}/${f}`, f);
    const { sink, totals } = await run({
      includes: [
        {
          files: [Buffer.from(d.path)],
          options: [
            { settings: { signature: 'MD5' }, patterns: [{ kind: K.PATTERN_WILD_FILE, pattern: '*.c' }] },
            { settings: { exclude: 'yes' }, patterns: [{ kind: K.PATTERN_REGEX_FILE, pattern: '.*' }] },
          ],
        },
      ],
      excludeFiles: [Buffer.from(`${d.path}/cache`)],
    });
    assert.deepEqual(savedPaths(sink, d.path), ['/src/a.c', '/src/deep/b.c', '/src/deep', '/src', '/']);
    assert.equal(sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DIGEST).length, 2);
    assert.equal(totals.files, 5);
    assert.equal(totals.bytes, 'src/a.c'.length + 'src/deep/b.c'.length);
  });

  it('cuts data into chunks with ascending offsets', async () => {
    await using d = await tempDir('chunks');
    await writeFile(`${d.path}/f`, Buffer.alloc(2500, 7));
    const { sink } = await run({ includes: [{ files: [Buffer.from(`${d.path}/f`)] }] }, undefined, 1000);
    const chunks = sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DATA);
    assert.deepEqual(chunks.map((c) => [Number(c.data.readBigUInt64BE(0)), c.data.length - 8]), [[0, 1000], [1000, 1000], [2000, 500]]);
  });

  it('skips sockets with a note and reports a missing top-level file as an error', async () => {
    await using d = await tempDir('sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(`${d.path}/s.sock`, resolve));
    try {
      const { issues, totals } = await run({ includes: [{ files: [Buffer.from(d.path), Buffer.from(`${d.path}/missing`)] }] });
      assert.deepEqual(
        issues.map((i) => [Buffer.from(i.path).toString().slice(d.path.length), i.severity]),
        [['/s.sock', 'info'], ['/missing', 'error']],
      );
      assert.equal(totals.issues, 1);
      assert.equal(totals.files, 1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('onefs: saves a mount point but does not descend into it, unless onefs=no', async (t) => {
    await using d = await tempDir('onefs');
    await mkdir(`${d.path}/mnt`);
    try {
      execFileSync('mount', ['-t', 'tmpfs', 'none', `${d.path}/mnt`], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a tmpfs here');
      return;
    }
    try {
      await writeFile(`${d.path}/mnt/inside`, 'x');
      const spec = (onefs: string) => ({ includes: [{ files: [Buffer.from(d.path)], options: [{ settings: { onefs } }] }] });
      const stay = await run(spec('yes'));
      assert.deepEqual(savedPaths(stay.sink, d.path), ['/mnt', '/']);
      assert.equal(stay.issues[0]?.severity, 'info');
      assert.match(stay.issues[0]?.message ?? '', /different file system/);
      const cross = await run(spec('no'));
      assert.deepEqual(savedPaths(cross.sink, d.path), ['/mnt/inside', '/mnt', '/']);
    } finally {
      execFileSync('umount', [`${d.path}/mnt`]);
    }
  });

  it('stops with JOB_CANCELED when the signal aborts', async () => {
    await using d = await tempDir('abort');
    await writeFile(`${d.path}/f`, 'x');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      run({ includes: [{ files: [Buffer.from(d.path)] }] }, ac.signal),
      (e: unknown) => e instanceof BurrowError && e.code === 'JOB_CANCELED',
    );
  });

  it('propagates a failing sink instead of treating it as a file problem', async () => {
    await using d = await tempDir('sink');
    await writeFile(`${d.path}/f`, 'x');
    const sink = { write: async (): Promise<void> => Promise.reject(new BurrowError('CONNECTION', 'gone')) };
    const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [Buffer.from(d.path)] }] }));
    await assert.rejects(
      backupFileSet({ fileset, sink, signal: new AbortController().signal, onFileIssue: () => undefined, hashers: await Hashers.create() }),
      /gone/,
    );
  });
});
