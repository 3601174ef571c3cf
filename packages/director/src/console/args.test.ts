import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { Args, parseCommand, tokenize } from './args.js';

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
    { key: 'yes', value: undefined },
  ]);
});

test('key=value splits at the first "="; an empty value differs from a bare keyword', () => {
  const { args } = parseCommand('x a=b=c d= e');
  assert.deepEqual(args, [{ key: 'a', value: 'b=c' }, { key: 'd', value: '' }, { key: 'e', value: undefined }]);
  assert.throws(() => parseCommand('   '), badRequest(/empty command/));
});

test('Args: get, has, all, firstWord', () => {
  const a = new Args(parseCommand('restore file=/a File=/b all where=/x').args);
  assert.equal(a.has('all'), true);
  assert.equal(a.has('yes'), false);
  assert.equal(a.get('where'), '/x');
  assert.equal(a.get('missing'), undefined);
  assert.deepEqual(a.all('file'), ['/a', '/b']);
  assert.equal(new Args(parseCommand('list jobs').args).firstWord(), 'jobs');
  assert.equal(new Args(parseCommand('list jobid=3').args).firstWord(), undefined);
  assert.equal(new Args([]).firstWord(), undefined);
});

test('Args: numbers and id lists are checked', () => {
  const a = new Args(parseCommand('x limit=10 bad=1x ids=4,x').args);
  assert.equal(a.int('limit'), 10);
  assert.equal(a.int('absent'), undefined);
  assert.throws(() => a.int('bad'), badRequest(/bad= must be a number, not "1x"/));
  assert.deepEqual(new Args(parseCommand('x jobid=1,2,3').args).ids('jobid'), [1, 2, 3]);
  assert.deepEqual(new Args(parseCommand('x jobid=" 4 , 5 "').args).ids('jobid'), [4, 5]);
  assert.throws(() => a.ids('ids'), badRequest(/ids= must be numbers separated by commas/));
  assert.throws(() => new Args(parseCommand('x jobid=-1').args).int('jobid'), badRequest(/must be a number/));
  assert.deepEqual(a.ids('none'), []);
});

test('Args.require names the command and the missing keyword', () => {
  const a = new Args(parseCommand('label volume= pool=Full').args);
  assert.equal(a.require('pool', 'label'), 'Full');
  assert.throws(() => a.require('volume', 'label'), badRequest(/^label: missing volume=$/));
  assert.throws(() => a.require('storage', 'label'), badRequest(/^label: missing storage=$/));
});
