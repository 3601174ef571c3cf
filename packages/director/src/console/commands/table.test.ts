/** The command table as data: every entry is complete, and its schema refuses what it does not know. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { TypedCommand } from '../command.js';
import { COMMANDS } from './index.js';

const entries = [...COMMANDS.values()] as Array<TypedCommand<z.ZodType, unknown>>;

test('every command has help, usage, an argument schema and a renderer', () => {
  assert.ok(entries.length >= 20, `only ${entries.length} commands`);
  for (const c of entries) {
    assert.ok(c.help.length > 5, `${c.name}: help`);
    assert.ok(c.usage.startsWith(c.name), `${c.name}: usage should start with the command: ${c.usage}`);
    assert.ok(c.args instanceof z.ZodType, `${c.name}: no zod schema`);
    assert.equal(typeof c.spec.run, 'function', `${c.name}: handler`);
    assert.equal(typeof c.spec.render, 'function', `${c.name}: renderer`);
    if (c.positional !== undefined) assert.ok(c.positional in (c.args as z.ZodObject).shape, `${c.name}: positional ${c.positional} is not a field`);
  }
});

test('every schema refuses an unknown keyword, and each is an object of keywords', () => {
  for (const c of entries) {
    assert.ok(c.args instanceof z.ZodObject, `${c.name}: arguments are keywords, so an object`);
    const parsed = c.args.safeParse({ no_such_keyword: true });
    assert.equal(parsed.success, false, `${c.name} accepted an unknown keyword`);
    assert.ok(parsed.error?.issues.some((i) => i.code === 'unrecognized_keys'), `${c.name}: ${JSON.stringify(parsed.error?.issues)}`);
  }
});

test('a console line is read into the schema\'s input', () => {
  const read = (name: string, words: Array<{ key: string; value?: string; word?: string }>): unknown =>
    COMMANDS.get(name)?.readLine(words.map((w) => ({ key: w.key, value: w.value, word: w.word })));
  assert.deepEqual({ ...read('list', [{ key: 'jobs', word: 'Jobs' }, { key: 'limit', value: '2' }]) as object }, { what: 'Jobs', limit: '2' });
  assert.deepEqual(read('show', [{ key: 'job', value: 'Backup-Test' }]), { verbose: false, kind: 'job', name: 'Backup-Test' });
  assert.deepEqual(read('show', [{ key: 'pools', word: 'pools' }, { key: 'verbose' }]), { verbose: true, kind: 'pools' });
  assert.deepEqual(read('show', [{ key: 'disabled' }, { key: 'jobs' }]), { verbose: false, disabled: 'jobs' });
});
