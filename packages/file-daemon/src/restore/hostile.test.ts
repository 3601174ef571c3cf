import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/generated';
import { asBuffer, type FileIssue, type FileRecord } from '../backup/index.js';
import { RestoreWriter, type ReplaceMode } from './index.js';
import { tempDir } from './testing.js';
import { Hashers } from '../digest/hashers.js';
import { buildRegexWhere, parseRegexWhere, type Rewrite } from '@burrow/common/names/rewrite';

const T = burrow.FileType;
const MTIME = { sec: 1_600_000_000, nsec: 0 };

function attrs(index: number, path: string | Buffer, more: burrow.FileAttributes.$Properties = {}): FileRecord {
  const a = { path: Buffer.isBuffer(path) ? path : Buffer.from(path), type: T.FT_REGULAR, mode: 0o644, mtime: MTIME, ...more };
  return { fileIndex: index, stream: burrow.Stream.STREAM_ATTRIBUTES, data: asBuffer(burrow.FileAttributes.encode(a).finish()) };
}

function data(index: number, text: string): FileRecord {
  const d = Buffer.alloc(8 + Buffer.byteLength(text));
  d.write(text, 8);
  return { fileIndex: index, stream: burrow.Stream.STREAM_DATA, data: d };
}

/** Gives each regular file's attributes the size its data records add up to, as a real backup would. */
function withSizes(records: FileRecord[]): FileRecord[] {
  const sizes = new Map<number, number>();
  for (const r of records) if (r.stream === burrow.Stream.STREAM_DATA) sizes.set(r.fileIndex, (sizes.get(r.fileIndex) ?? 0) + r.data.length - 8);
  return records.map((r) => {
    if (r.stream !== burrow.Stream.STREAM_ATTRIBUTES || !sizes.has(r.fileIndex)) return r;
    const a = burrow.FileAttributes.decode(r.data);
    a.size = sizes.get(r.fileIndex) ?? 0;
    return { ...r, data: asBuffer(burrow.FileAttributes.encode(a).finish()) };
  });
}

async function run(records: FileRecord[], where: Buffer, replace: ReplaceMode = 'always', rewrites?: Rewrite[]) {
  const issues: FileIssue[] = [];
  const w = new RestoreWriter({ where, replace, rewrites, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create() });
  for (const r of withSizes(records)) await w.accept(r);
  return { totals: await w.finish(), issues };
}

describe('restore refuses hostile paths', () => {
  const cases: [string, string | Buffer][] = [
    ['.. at the start', '/../escape'],
    ['.. in the middle', '/a/../../escape'],
    ['a NUL byte', Buffer.from('/a\0b')],
  ];
  for (const [what, path] of cases) {
    it(`refuses a path with ${what} and writes nothing`, async () => {
      await using box = await tempDir('hostile');
      const where = Buffer.from(`${box.path}/where`);
      const { totals, issues } = await run([attrs(1, path), data(1, 'pwned'), attrs(2, '/ok'), data(2, 'fine')], where);
      assert.equal(totals.errors, 1);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.code, 'HOSTILE_PATH');
      assert.equal(totals.files, 1);
      assert.deepEqual((await readdir(box.path)).sort(), ['where']);
      assert.deepEqual(await readdir(where), ['ok']);
      assert.equal(await readFile(`${where}/ok`, 'utf8'), 'fine');
    });
  }

  it('never writes through a symlink the restore itself created', async () => {
    await using box = await tempDir('viaLink');
    const outside = `${box.path}/outside`;
    await mkdir(outside);
    const where = Buffer.from(`${box.path}/where`);
    const recs = [attrs(1, '/evil', { type: T.FT_SYMLINK, linkTarget: Buffer.from(outside) }), attrs(2, '/evil/pwned'), data(2, 'x')];
    const { totals, issues } = await run(recs, where);
    assert.equal(totals.files, 1);
    assert.equal(issues[0]?.code, 'HOSTILE_PATH');
    assert.deepEqual(await readdir(outside), []);
    assert.ok((await lstat(`${where}/evil`)).isSymbolicLink(), 'the symlink itself is restored');
  });

  it('never writes through a symlink already planted under where', async () => {
    await using box = await tempDir('planted');
    const outside = `${box.path}/outside`;
    await mkdir(outside);
    await mkdir(`${box.path}/where/d`, { recursive: true });
    await symlink(outside, `${box.path}/where/d/pre`);
    const { issues } = await run([attrs(1, '/d/pre/sub/x'), data(1, 'x')], Buffer.from(`${box.path}/where`));
    assert.equal(issues[0]?.code, 'HOSTILE_PATH');
    assert.deepEqual(await readdir(outside), []);
  });

  it('replaces a symlink at the target name instead of writing through it', async () => {
    await using box = await tempDir('final');
    await writeFile(`${box.path}/victim`, 'keep me');
    await mkdir(`${box.path}/where`);
    await symlink(`${box.path}/victim`, `${box.path}/where/f`);
    const { totals } = await run([attrs(1, '/f'), data(1, 'new')], Buffer.from(`${box.path}/where`));
    assert.equal(totals.errors, 0);
    assert.equal(await readFile(`${box.path}/victim`, 'utf8'), 'keep me');
    assert.equal(await readFile(`${box.path}/where/f`, 'utf8'), 'new');
    assert.ok((await lstat(`${box.path}/where/f`)).isFile());
  });

  it('refuses a relative path when restoring to the original place', async () => {
    const { totals, issues } = await run([attrs(1, 'relative/x'), data(1, 'x')], Buffer.alloc(0));
    assert.equal(totals.errors, 1);
    assert.equal(issues[0]?.code, 'HOSTILE_PATH');
  });

  it('refuses a hard link to a file this restore did not write', async () => {
    await using box = await tempDir('hl');
    await writeFile(`${box.path}/secret`, 's');
    const rec = attrs(1, '/l', { type: T.FT_HARDLINK, hardlinkTarget: Buffer.from(`${box.path}/secret`), hardlinkFileIndex: 7 });
    const { totals, issues } = await run([rec], Buffer.from(`${box.path}/where`));
    assert.equal(totals.errors, 1);
    assert.equal(issues[0]?.code, 'NOT_FOUND');
    assert.deepEqual(await readdir(`${box.path}/where`), []);
  });
});

describe('replace modes', () => {
  const older = { sec: 1_500_000_000, nsec: 0 };
  const newer = { sec: 1_700_000_000, nsec: 0 };
  const expectations: [ReplaceMode, boolean, boolean][] = [
    // mode, replaced when the saved copy is newer, replaced when it is older
    ['always', true, true],
    ['ifnewer', true, false],
    ['ifolder', false, true],
    ['never', false, false],
  ];
  for (const [mode, whenNewer, whenOlder] of expectations) {
    it(`replace=${mode}`, async () => {
      await using box = await tempDir(`rep-${mode}`);
      const where = Buffer.from(box.path);
      await run([attrs(1, '/f')], where); // existing file, mtime 1.6e9
      const first = await run([attrs(1, '/f', { mtime: newer }), data(1, 'newer')], where, mode);
      assert.equal(await readFile(`${box.path}/f`, 'utf8'), whenNewer ? 'newer' : '');
      assert.equal(first.totals.errors, 0);
      await run([attrs(1, '/f')], where); // reset
      const second = await run([attrs(1, '/f', { mtime: older }), data(1, 'older')], where, mode);
      assert.equal(await readFile(`${box.path}/f`, 'utf8'), whenOlder ? 'older' : '');
      assert.equal(second.totals.files, whenOlder ? 1 : 0);
      assert.deepEqual((await readdir(box.path)).filter((n) => n.startsWith('.burrow')), [], 'no temp files left');
    });
  }
});

describe('a RegexWhere rewrite replaces where: its result is the place written', () => {
  it("restores to the rewritten absolute path and refuses relative or '..' results", async () => {
    await using box = await tempDir('rewrite');
    const moved = parseRegexWhere(buildRegexWhere({ stripPrefix: '/home', addPrefix: `${box.path}/mnt/home` }) as string);
    const good = await run([attrs(1, '/home/ann/notes.txt'), data(1, 'notes')], Buffer.alloc(0), 'always', moved);
    assert.deepEqual(good.issues, []);
    assert.equal(await readFile(`${box.path}/mnt/home/ann/notes.txt`, 'utf8'), 'notes');

    const relative = parseRegexWhere(buildRegexWhere({ stripPrefix: '/' }) as string);
    const up = parseRegexWhere(`!^/home!${box.path}/mnt/../../escape!`);
    for (const [rewrites, why] of [[relative, /not an absolute path/], [up, /has a "\.\." component/]] as const) {
      const { totals, issues } = await run([attrs(1, '/home/ann/x'), data(1, 'x')], Buffer.alloc(0), 'always', [...rewrites]);
      assert.equal(totals.files, 0);
      assert.equal(issues[0]?.code, 'HOSTILE_PATH');
      assert.match(issues[0]?.message ?? '', why);
      assert.match(issues[0]?.message ?? '', /regexwhere's rewrite of \/home\/ann\/x/);
    }
    assert.deepEqual((await readdir(box.path)).sort(), ['mnt']);
  });
});

describe('records whose attributes were lost on the volume', () => {
  it('reports the file once, by its session and index (the Director names it), and writes nothing for it', async () => {
    await using box = await tempDir('orphan');
    const where = Buffer.from(`${box.path}/where`);
    const issues: FileIssue[] = [];
    const w = new RestoreWriter({ where, replace: 'always', signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create() });
    await w.startSession(7);
    for (const r of withSizes([attrs(1, '/a'), data(1, 'alpha')])) await w.accept(r);
    // File 2's attributes went with a damaged block; two of its records came through.
    await w.accept(data(2, 'lost start'));
    await w.accept(data(2, 'more'));
    for (const r of withSizes([attrs(3, '/c'), data(3, 'charlie')])) await w.accept(r);
    const totals = await w.finish();
    assert.equal(totals.files, 2);
    assert.equal(totals.errors, 1);
    assert.deepEqual(issues.map((i) => [i.path.length, i.severity, i.byNumber]), [[0, 'error', { sessionId: 7, fileIndex: 2 }]]);
    assert.match(issues[0]?.message ?? '', /not restored: its records came without its attributes record/);
    assert.deepEqual((await readdir(where)).sort(), ['a', 'c']);
  });
});
