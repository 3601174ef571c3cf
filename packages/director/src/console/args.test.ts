import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { keywordInput, parseCommand, tokenize } from './args.js';

const badRequest = (pattern: RegExp) => (err: unknown): boolean =>
  err instanceof BurrowError && err.code === 'BAD_REQUEST' && pattern.test(err.message);

test('tokens are split on any run of blanks; leading and trailing blanks vanish', () => {
  assert.deepEqual(tokenize('  run \t job=a   yes  '), ['run', 'job=a', 'yes']);
  assert.deepEqual(tokenize(''), []);
  assert.deepEqual(tokenize(' \t '), []);
});

test('double quotes hold blanks and "=" and may start mid-token; backslash escapes inside quotes', () => {
  assert.deepEqual(tokenize('restore where="/tmp/with space" file="/a b/c=d"'), ['restore', 'where=/tmp/with space', 'file=/a b/c=d']);
  assert.deepEqual(tokenize('"quoted command" x'), ['quoted command', 'x']);
  assert.deepEqual(tokenize('a="say \\"hi\\"" b="back\\\\slash"'), ['a=say "hi"', 'b=back\\slash']);
  // Outside quotes a backslash is an ordinary character.
  assert.deepEqual(tokenize('file=/a\\b'), ['file=/a\\b']);
  // An empty quoted string is still a token.
  assert.deepEqual(tokenize('label volume=""'), ['label', 'volume=']);
  assert.deepEqual(tokenize('x "" y'), ['x', '', 'y']);
  // Quotes join with the unquoted text around them.
  assert.deepEqual(tokenize('job=ab"c d"ef'), ['job=abc def']);
});

test('an unterminated quote is a BAD_REQUEST', () => {
  assert.throws(() => tokenize('run job="nope'), badRequest(/unterminated quoted string/));
  assert.throws(() => parseCommand('restore where="/tmp'), badRequest(/unterminated/));
});

test('the command word and keywords are case-insensitive; values keep their case', () => {
  const parsed = parseCommand('RUN Job=BackupCatalog Level=Full YES');
  assert.equal(parsed.name, 'run');
  assert.deepEqual(parsed.args, [
    { key: 'job', value: 'BackupCatalog' },
    { key: 'level', value: 'Full' },
    { key: 'yes', value: undefined, word: 'YES' },
  ]);
});

test('key=value splits at the first "="; an empty value differs from a bare keyword', () => {
  const { args } = parseCommand('x a=b=c d= e');
  assert.deepEqual(args, [{ key: 'a', value: 'b=c' }, { key: 'd', value: '' }, { key: 'e', value: undefined, word: 'e' }]);
  assert.throws(() => parseCommand('   '), badRequest(/empty command/));
});

test('keywordInput: bare keywords are true, values stay text, a repeated keyword holds a list', () => {
  const input = keywordInput(parseCommand('restore file=/a File=/b all where=/x all').args);
  assert.deepEqual({ ...input }, { file: ['/a', '/b'], all: true, where: '/x' });
  assert.equal(Object.getPrototypeOf(input), null, 'no prototype: __proto__= is an ordinary (unknown) keyword');
  const hostile = keywordInput(parseCommand('x __proto__=1').args);
  assert.deepEqual(Object.keys(hostile), ['__proto__']);
  assert.equal(Object.getPrototypeOf(hostile), null);
});

test('keywordInput: a bare first word fills the positional field, keeping its case, unless the field is a keyword', () => {
  assert.deepEqual({ ...keywordInput(parseCommand('list jobs limit=3').args, 'what') }, { what: 'jobs', limit: '3' });
  assert.deepEqual({ ...keywordInput(parseCommand('run MyJob yes').args, 'job') }, { job: 'MyJob', yes: true });
  assert.deepEqual({ ...keywordInput(parseCommand('run yes job=MyJob').args, 'job') }, { yes: true, job: 'MyJob' });
  assert.deepEqual({ ...keywordInput(parseCommand('list jobid=3').args, 'what') }, { jobid: '3' });
  assert.deepEqual({ ...keywordInput([], 'what') }, {});
});
