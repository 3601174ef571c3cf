import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BurrowError } from '@burrow/common/errors/index';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { compileFileSet, DEFAULT_FILE_OPTIONS, type IncludeSelector } from './index.js';

const K = burrow.PatternKind;
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

type Block = { settings?: Record<string, string>; patterns?: [burrow.PatternKind, string][] };

function selector(blocks: Block[], excludeFiles: string[] = []): IncludeSelector {
  const fs = compileFileSet(asReceived(burrow.FileSetSpec, {
    name: 't',
    includes: [
      {
        files: [b('/data')],
        options: blocks.map((o) => ({
          settings: o.settings ?? {},
          patterns: (o.patterns ?? []).map(([kind, pattern]) => ({ kind, pattern })),
        })),
      },
    ],
    excludeFiles: excludeFiles.map(b),
  }));
  const inc = fs.includes[0];
  assert.ok(inc);
  return inc;
}

const saved = (s: IncludeSelector, path: string, dir = false): boolean => s.select(b(path), dir) !== null;

describe('FileSet matcher', () => {
  it('wild matches files and directories, and * crosses /', () => {
    const s = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD, '*.o']] }]);
    assert.equal(saved(s, '/data/a/b/x.o'), false);
    assert.equal(saved(s, '/data/dir.o', true), false);
    assert.equal(saved(s, '/data/x.c'), true);
  });

  it('wilddir only matches directories, wildfile only other entries', () => {
    const dirs = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD_DIR, '*/tmp']] }]);
    assert.equal(saved(dirs, '/data/tmp', true), false);
    assert.equal(saved(dirs, '/data/tmp', false), true);
    const files = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD_FILE, '*/tmp']] }]);
    assert.equal(saved(files, '/data/tmp', true), true);
    assert.equal(saved(files, '/data/tmp', false), false);
  });

  it('? and [...] work on single bytes, with ranges, negation and POSIX classes', () => {
    const s = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD, '/data/f?[0-9][!a][[:alpha:]]']] }]);
    assert.equal(saved(s, '/data/fx1bZ'), false);
    assert.equal(saved(s, '/data/fx1aZ'), true);
    assert.equal(saved(s, '/data/fxx b'), true);
  });

  it('regex patterns search (unanchored) and honour ignore case', () => {
    const s = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_REGEX, '\\.(jpe?g|png)$']] }]);
    assert.equal(saved(s, '/data/a.jpg'), false);
    assert.equal(saved(s, '/data/a.JPG'), true);
    const ci = selector([{ settings: { exclude: 'yes', ignorecase: 'yes' }, patterns: [[K.PATTERN_REGEX_FILE, '\\.jpg$']] }]);
    assert.equal(saved(ci, '/data/a.JPG'), false);
    assert.equal(saved(ci, '/data/a.JPG', true), true, 'regexfile does not apply to directories');
  });

  it('the first block with a matching pattern decides', () => {
    const s = selector([
      { settings: { signature: 'SHA256' }, patterns: [[K.PATTERN_WILD, '*.c']] },
      { settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD, '/data/src/*']] },
    ]);
    assert.equal(s.select(b('/data/src/main.c'), false)?.signature, 'SHA256');
    assert.equal(saved(s, '/data/src/main.h'), false);
    assert.equal(s.select(b('/data/other.h'), false)?.signature, null);
  });

  it('pattern-less blocks give defaults; their exclude keeps only what a pattern accepts', () => {
    const s = selector([
      { settings: { compression: 'GZIP', signature: 'MD5' } },
      { settings: { signature: 'SHA1' }, patterns: [[K.PATTERN_WILD_FILE, '*.txt']] },
      { settings: { exclude: 'yes', onefs: 'no' } },
    ]);
    const txt = s.select(b('/data/a.txt'), false);
    assert.deepEqual(txt, { ...DEFAULT_FILE_OPTIONS, signature: 'SHA1', compression: { algorithm: 'GZIP', level: 6 }, onefs: false });
    assert.equal(saved(s, '/data/a.bin'), false);
  });

  it('matches raw bytes: non-UTF-8 names match byte for byte', () => {
    const latin1 = '/data/caf\xe9'; // one byte 0xE9: not UTF-8
    const s = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD, '/data/caf?']] }]);
    assert.equal(saved(s, latin1), false);
    assert.equal(saved(s, Buffer.from('/data/café', 'utf8').toString('latin1')), true, 'é in UTF-8 is two bytes');
    const utf8 = selector([{ settings: { exclude: 'yes' }, patterns: [[K.PATTERN_WILD, '/data/café']] }]);
    assert.equal(utf8.select(Buffer.from('/data/café', 'utf8'), false), null);
    assert.notEqual(utf8.select(b(latin1), false), null);
    // 'ã' is C3 A3 in UTF-8. Case folding is ASCII only: byte 0xE3 must not match 0xC3
    // (latin1 'Ã'/'ã' would fold), while ASCII letters still fold.
    const ci = selector([{ settings: { exclude: 'yes', ignorecase: 'yes' }, patterns: [[K.PATTERN_WILD, '*ã*X']] }]);
    assert.notEqual(ci.select(Buffer.from([0x2f, 0xe3, 0xa3, 0x78]), false), null);
    assert.equal(ci.select(Buffer.from([0x2f, 0xc3, 0xa3, 0x78]), false), null);
  });

  it('Exclude File removes a path and its subtree, plain or with wildcards', () => {
    const s = selector([], ['/data/cache/', '/data/*/logs']);
    assert.equal(saved(s, '/data/cache', true), false);
    assert.equal(saved(s, '/data/cache/x'), false);
    assert.equal(saved(s, '/data/cachex'), true);
    assert.equal(saved(s, '/data/app/logs/today'), false);
    assert.equal(saved(s, '/data/app/log'), true);
  });

  it('rejects invalid settings, unknown settings and bad regexes', () => {
    const bad = (blocks: Block[]): void => {
      assert.throws(() => selector(blocks), (e: unknown) => e instanceof BurrowError && e.code === 'CONFIG_INVALID');
    };
    bad([{ settings: { signature: 'CRC' } }]);
    bad([{ settings: { compression: 'GZIP10' } }]);
    bad([{ settings: { onefs: 'maybe' } }]);
    bad([{ settings: { bogus: 'yes' } }]);
    bad([{ patterns: [[K.PATTERN_REGEX, '(']] }]);
    bad([{ settings: { compression: 'ZSTD19' } }]);
    bad([{ settings: { fstype: 'ext4, bad type' } }]);
    bad([{ settings: { readfifo: 'perhaps' } }]);
    assert.doesNotThrow(() => selector([{ settings: { sparse: 'yes', signature: 'sha512', compression: 'gzip9' } }]));
    const opts = selector([{ settings: { compression: 'zstd', fstype: 'ext4,XFS', readfifo: 'yes', hardlinks: 'no', noatime: 'no', keepatime: 'yes', honornodumpflag: 'yes' } }]).select(b('/data/x'), false);
    assert.deepEqual(opts?.compression, { algorithm: 'ZSTD', level: 3 });
    assert.deepEqual(opts?.fsTypes, ['ext4', 'xfs']);
    assert.deepEqual([opts?.readFifo, opts?.hardLinks, opts?.noAtime, opts?.keepAtime, opts?.honorNoDump], [true, false, false, true, true]);
    assert.deepEqual(selector([{ settings: { compression: 'LZ4' } }]).select(b('/data/x'), false)?.compression, { algorithm: 'LZ4', level: 1 });
  });

  it('rejects relative include files and Exclude Dir Containing with a slash', () => {
    assert.throws(() => compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [b('rel')] }] })), /absolute/);
    assert.throws(() => compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [b('/x')], excludeDirContaining: ['a/b'] }] })), /plain file name/);
    const fs = compileFileSet(asReceived(burrow.FileSetSpec, { includes: [{ files: [b('/x///')], excludeDirContaining: ['.nobackup'] }] }));
    assert.deepEqual(fs.includes[0]?.roots, [b('/x')]);
    assert.deepEqual(fs.includes[0]?.excludeDirContaining, [b('.nobackup')]);
  });
});
