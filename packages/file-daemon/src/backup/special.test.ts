import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { link, readFile, stat, writeFile } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { BurrowError } from '@burrow/common/errors/index';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { backupFileSet, DEFAULT_CHUNK_SIZE, type FileIssue } from './index.js';
import { compileFileSet } from '../fileset/index.js';
import { RestoreWriter } from '../restore/index.js';
import { MemorySink, tempDir } from '../restore/testing.js';
import { makeDev, parseMountInfo } from './fstype.js';
import { Hashers } from '../digest/hashers.js';

const ALLOW = async (): Promise<undefined> => undefined;

interface Run { sink: MemorySink; issues: FileIssue[] }

async function run(files: string[], settings: Record<string, string>, extra: { plugins?: string[]; fifoWaitMs?: number; refuse?: boolean } = {}): Promise<Run> {
  const fileset = compileFileSet(asReceived(burrow.FileSetSpec, { name: 'sp', includes: [{ files: files.map((f) => Buffer.from(f)), options: [{ settings }], plugins: extra.plugins ?? [] }] }));
  const sink = new MemorySink();
  const issues: FileIssue[] = [];
  await backupFileSet({
    fileset, sink, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), fifoWaitMs: extra.fifoWaitMs,
    commandRefusal: extra.refuse ? async () => 'not allowed here' : ALLOW, hashers: await Hashers.create(),
  });
  return { sink, issues };
}

async function restore(sink: MemorySink, where: string): Promise<FileIssue[]> {
  const issues: FileIssue[] = [];
  const w = new RestoreWriter({ where: Buffer.from(where), replace: 'always', signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), commandRefusal: ALLOW, hashers: await Hashers.create() });
  for (const r of sink.records) await w.accept(r);
  await w.finish();
  return issues;
}

const attrsOf = (s: MemorySink): burrow.FileAttributes[] =>
  s.records.filter((r) => r.stream === burrow.Stream.STREAM_ATTRIBUTES).map((r) => burrow.FileAttributes.decode(r.data));
const errors = (issues: FileIssue[]): FileIssue[] => issues.filter((i) => i.severity !== 'info');

function sh(t: TestContext, cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    t.skip(`cannot run "${cmd}" here`);
    return false;
  }
}

describe('special sources and options', () => {
  for (const [name, stream] of [['LZ4', burrow.Stream.STREAM_LZ4_DATA], ['ZSTD', burrow.Stream.STREAM_ZSTD_DATA]] as const) {
    it(`compression = ${name} writes ${burrow.Stream[stream]} chunks that restore exactly`, async () => {
      await using src = await tempDir('cmp');
      await using dst = await tempDir('cmp-r');
      const data = Buffer.concat([randomBytes(70_000), Buffer.alloc(2 * DEFAULT_CHUNK_SIZE + 300_000, 'x')]);
      await writeFile(`${src.path}/f`, data);
      const { sink, issues } = await run([src.path], { compression: name, signature: 'SHA256' });
      const chunks = sink.records.filter((r) => r.stream === stream);
      assert.equal(chunks.length, Math.ceil(data.length / DEFAULT_CHUNK_SIZE), 'one record per chunk');
      assert.ok(chunks.reduce((n, r) => n + r.data.length, 0) < data.length / 2, 'the repetitive part compresses');
      assert.deepEqual(errors([...issues, ...(await restore(sink, dst.path))]), []);
      assert.ok((await readFile(`${dst.path}${src.path}/f`)).equals(data));
    });
  }

  it('hardlinks = no saves every name with its own data', async () => {
    await using src = await tempDir('hl');
    await writeFile(`${src.path}/a`, 'same inode');
    await link(`${src.path}/a`, `${src.path}/b`);
    const linked = attrsOf((await run([src.path], {})).sink).map((a) => a.type);
    assert.ok(linked.includes(burrow.FileType.FT_HARDLINK));
    const { sink } = await run([src.path], { hardlinks: 'no' });
    assert.ok(!attrsOf(sink).some((a) => a.type === burrow.FileType.FT_HARDLINK));
    assert.equal(sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DATA).length, 2);
  });

  it('fstype saves only file systems of the listed types (mountinfo by st_dev)', async () => {
    await using src = await tempDir('fst');
    await writeFile(`${src.path}/f`, 'x');
    const here = execFileSync('findmnt', ['-no', 'FSTYPE', '-T', src.path]).toString().trim();
    assert.equal(attrsOf((await run([src.path], { fstype: here })).sink).length, 2);
    const other = await run([src.path], { fstype: here === 'xfs' ? 'btrfs' : 'xfs' });
    assert.equal(attrsOf(other.sink).length, 0);
    assert.match(other.issues[0]?.message ?? '', new RegExp(`is on a ${here} file system`));
    const types = parseMountInfo('36 35 98:0 / /mnt rw - ext3 /dev/root rw\n37 35 259:65536 / /b rw shared:1 - xfs /dev/x rw\n');
    assert.equal(types.get(makeDev(98, 0)), 'ext3');
    assert.equal(types.get(makeDev(259, 65536)), 'xfs');
  });

  it('readfifo saves what a writer sends, and times out when nobody writes', async () => {
    await using src = await tempDir('fifo');
    await using dst = await tempDir('fifo-r');
    execFileSync('mkfifo', [`${src.path}/p`]);
    const writer = spawn('sh', ['-c', `sleep 0.3; printf 'through the pipe' > ${src.path}/p`]);
    const writerDone = new Promise((r) => writer.on('exit', r));
    const { sink, issues } = await run([src.path], { readfifo: 'yes', signature: 'MD5' }, { fifoWaitMs: 5000 });
    await writerDone;
    assert.deepEqual(errors(issues), []);
    const fifo = attrsOf(sink).find((a) => a.type === burrow.FileType.FT_FIFO);
    assert.ok(fifo?.withData && fifo.streamed);
    assert.deepEqual(errors(await restore(sink, dst.path)), []);
    assert.equal(await readFile(`${dst.path}${src.path}/p`, 'utf8'), 'through the pipe', 'restored elsewhere as a plain file');
    const started = Date.now();
    const idle = await run([src.path], { readfifo: 'yes' }, { fifoWaitMs: 300 });
    assert.ok(Date.now() - started < 3000);
    assert.match(errors(idle.issues)[0]?.message ?? '', /nobody opened it for writing within 0.3 s/);
    const plain = await run([src.path], {});
    assert.equal(plain.sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DATA).length, 0, 'without readfifo a FIFO is a node');
  });

  it('bpipe saves a command\'s output, restores it as a file with where= or into the writer', async () => {
    await using dst = await tempDir('bp');
    const plugin = `bpipe:file=/DB/dump.sql:reader=sh -c "echo CREATE TABLE t; echo warning >&2":writer=sh -c "cat > ${dst.path}/piped"`;
    const { sink, issues } = await run([], { compression: 'ZSTD', signature: 'SHA1' }, { plugins: [plugin] });
    assert.deepEqual(errors(issues), []);
    assert.ok(issues.some((i) => i.message === 'reader: warning'));
    assert.equal(attrsOf(sink)[0]?.restoreCommand, `sh -c "cat > ${dst.path}/piped"`);
    assert.deepEqual(errors(await restore(sink, `${dst.path}/files`)), []);
    assert.equal(await readFile(`${dst.path}/files/DB/dump.sql`, 'utf8'), 'CREATE TABLE t\n');
    assert.deepEqual(errors(await restore(sink, '')), []);
    assert.equal(await readFile(`${dst.path}/piped`, 'utf8'), 'CREATE TABLE t\n');
  });

  it('a failing or refused bpipe reader is a COMMAND_FAILED error', async () => {
    const failing = await run([], {}, { plugins: ['bpipe:file=/x/dump:reader=sh -c "echo partial; exit 3":writer='] });
    assert.equal(errors(failing.issues)[0]?.code, 'COMMAND_FAILED');
    assert.match(errors(failing.issues)[0]?.message ?? '', /FileSet "sp" Include #1 Plugin bpipe: reader "sh -c .*" failed: exit status 3/);
    const refused = await run([], {}, { plugins: ['bpipe:file=/x/dump:reader=/bin/true:writer='], refuse: true });
    assert.match(errors(refused.issues)[0]?.message ?? '', /refused by the client: not allowed here/);
    assert.equal(attrsOf(refused.sink).length, 0, 'a refused reader saves nothing');
  });

  it('|command and <file lists give the names to save; a refused command fails the backup', async () => {
    await using src = await tempDir('lists');
    await writeFile(`${src.path}/one`, '1');
    await writeFile(`${src.path}/two`, '2');
    await writeFile(`${src.path}/list`, `${src.path}/two\n\n`);
    const { sink } = await run([`|sh -c "echo ${src.path}/one"`, `<${src.path}/list`], {});
    assert.deepEqual(attrsOf(sink).map((a) => Buffer.from(a.path).toString()), [`${src.path}/one`, `${src.path}/two`]);
    await assert.rejects(run(['|/bin/echo /etc'], {}, { refuse: true }),
      (e: unknown) => e instanceof BurrowError && e.code === 'COMMAND_FAILED' && /Include #1 File = "\|\/bin\/echo \/etc": refused by the client/.test(e.message));
    await assert.rejects(run(['|sh -c "exit 4"'], {}), /exit status 4/);
    await assert.rejects(run(['|/bin/echo relative'], {}), /gave "relative", not an absolute path/);
  });

  it('noatime = no reads plainly; keepatime puts the atime back', async (t) => {
    await using src = await tempDir('atime');
    const f = `${src.path}/f`;
    await writeFile(f, 'read me');
    const old = (): void => { execFileSync('touch', ['-a', '-d', '2001-01-01', f]); };
    old();
    const before = (await stat(f)).atimeMs;
    await run([f], { noatime: 'no' });
    if ((await stat(f)).atimeMs === before) return t.skip('reads do not update atime on this mount');
    old();
    await run([f], { noatime: 'no', keepatime: 'yes' });
    assert.equal((await stat(f)).atimeMs, before);
    await run([f], {});
    assert.equal((await stat(f)).atimeMs, before, 'O_NOATIME by default');
  });

  it('honornodumpflag leaves out files with chattr +d', async (t) => {
    await using src = await tempDir('nodump');
    await writeFile(`${src.path}/keep`, 'k');
    await writeFile(`${src.path}/skip`, 's');
    if (!sh(t, `chattr +d ${src.path}/skip`)) return;
    const names = (r: Run): string[] => attrsOf(r.sink).map((a) => Buffer.from(a.path).toString().slice(src.path.length));
    assert.deepEqual(names(await run([src.path], { honornodumpflag: 'yes' })), ['/keep', '']);
    assert.deepEqual(names(await run([src.path], {})), ['/keep', '/skip', '']);
  });

  it('a block device named as a File is saved as its contents, sparse, and restored into a device or a file', async (t) => {
    await using tmp = await tempDir('raw');
    const img = `${tmp.path}/disk.img`;
    const content = Buffer.alloc(4 * 1024 * 1024);
    randomBytes(100_000).copy(content, 1_000_000);
    await writeFile(img, content);
    let dev = '';
    try {
      dev = execFileSync('losetup', ['-f', '--show', img], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return t.skip('no loop devices here');
    }
    try {
      const { sink, issues } = await run([dev], { sparse: 'yes', signature: 'SHA256' });
      assert.deepEqual(errors(issues), []);
      const a = attrsOf(sink)[0];
      assert.ok(a?.withData && a.sparse && a.type === burrow.FileType.FT_BLOCK_DEVICE);
      assert.equal(Number(a.size), content.length);
      const sent = sink.records.filter((r) => r.stream === burrow.Stream.STREAM_DATA).length;
      assert.ok(sent <= 3, `only the chunks holding data are sent (${sent})`);
      assert.deepEqual(errors(await restore(sink, `${tmp.path}/out`)), []);
      assert.ok((await readFile(`${tmp.path}/out${dev}`)).equals(content), 'restored as a plain file');
      await writeFile(img, Buffer.alloc(content.length, 0xaa)); // scribble over the device
      execFileSync('blockdev', ['--flushbufs', dev]);
      assert.deepEqual(errors(await restore(sink, '')), []);
      execFileSync('blockdev', ['--flushbufs', dev]);
      assert.ok((await readFile(dev)).equals(content), 'restored into the device, holes written as zeros');
    } finally {
      execFileSync('losetup', ['-d', dev]);
    }
  });
});
