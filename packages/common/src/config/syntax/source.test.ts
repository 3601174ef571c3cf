import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BurrowError } from '../../errors/index.js';
import { withConfigDir } from '../testing.js';
import type { DirectiveNode } from './ast.js';
import { readConfigNodes } from './source.js';

const names = (path: string, daemon = 'burrow-dir'): string[] =>
  readConfigNodes(path, daemon).map((r) => `${r.name}:${((r.body[0] as DirectiveNode).parts[0]![0]!.text)}`);

test('@ includes: relative to the including file, absolute, quoted, and inside a resource', () =>
  withConfigDir({
    'main.conf': 'Pool { Name = A }\n@sub/one.conf\n@"sub/two words.conf"\nPool {\n @sub/name.inc\n}\n',
    'sub/one.conf': 'Pool { Name = B }\n@three.conf',
    'sub/two words.conf': 'Pool { Name = C }',
    'sub/three.conf': 'Pool { Name = D }',
    'sub/name.inc': 'Name = E',
  }, (dir) => {
    assert.deepEqual(names(join(dir, 'main.conf')), ['Pool:A', 'Pool:B', 'Pool:D', 'Pool:C', 'Pool:E']);
    const nodes = readConfigNodes(join(dir, 'main.conf'), 'burrow-dir');
    assert.equal(nodes[2]!.file, join(dir, 'sub/three.conf'));
    assert.equal((nodes[4]!.body[0] as DirectiveNode).file, join(dir, 'sub/name.inc'));
  }));

test('@ glob includes load in name order; an empty glob is skipped', () =>
  withConfigDir({
    'main.conf': `@${'conf.d'}/*.conf\n@nothing/*.conf\n`,
    'conf.d/b.conf': 'Pool { Name = B }',
    'conf.d/a.conf': 'Pool { Name = A }',
    'conf.d/skip.txt': 'Pool { Name = X }',
  }, (dir) => {
    assert.deepEqual(names(join(dir, 'main.conf')), ['Pool:A', 'Pool:B']);
  }));

test('a missing include or a loop is a CONFIG_INCLUDE error naming the line', () =>
  withConfigDir({ 'main.conf': 'Pool { Name = A }\n@missing.conf\n', 'loop.conf': '\n@loop.conf\n' }, (dir) => {
    assert.throws(() => readConfigNodes(join(dir, 'main.conf'), 'burrow-dir'),
      (e: unknown) => e instanceof BurrowError && e.code === 'CONFIG_INCLUDE' && e.message.startsWith(`${join(dir, 'main.conf')}:2: `));
    assert.throws(() => readConfigNodes(join(dir, 'loop.conf'), 'burrow-dir'),
      (e: unknown) => e instanceof BurrowError && e.code === 'CONFIG_INCLUDE' && /:2: .*includes itself/.test(e.message));
  }));

test('directory layouts: <daemon>.d/<type>/*.conf, the .d directory itself, and a main file that includes it', async () => {
  const tree = {
    'burrow-dir.d/pool/b.conf': 'Pool { Name = B }',
    'burrow-dir.d/pool/a.conf': 'Pool { Name = A }',
    'burrow-dir.d/job/j.conf': 'Job { Name = J }',
    'burrow-dir.d/job/notes.txt': 'not config',
  };
  await withConfigDir(tree, (dir) => {
    assert.deepEqual(names(dir), ['Job:J', 'Pool:A', 'Pool:B']);
    assert.deepEqual(names(join(dir, 'burrow-dir.d')), ['Job:J', 'Pool:A', 'Pool:B']);
  });
  await withConfigDir({ ...tree, 'burrow-dir.conf': 'Pool { Name = Main }\n@burrow-dir.d/*/*.conf\n' }, (dir) => {
    assert.deepEqual(names(dir), ['Pool:Main', 'Job:J', 'Pool:A', 'Pool:B']);
  });
});
