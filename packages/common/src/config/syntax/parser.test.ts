import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '../../errors/index.js';
import type { BlockNode, DirectiveNode } from './ast.js';
import { tokenize } from './lexer.js';
import { parseTokens } from './parser.js';

const noIncludes = (): never => { throw new Error('no includes here'); };
const parse = (text: string): BlockNode[] => parseTokens(tokenize(text, 'test.conf', noIncludes));
const directive = (b: BlockNode, i: number): DirectiveNode => b.body[i] as DirectiveNode;

function syntaxError(text: string, pattern: RegExp): void {
  assert.throws(() => parse(text), (err: unknown) => err instanceof BurrowError && err.code === 'CONFIG_SYNTAX' && pattern.test(err.message));
}

test('directives, optional semicolons, comments, and lines', () => {
  const [r] = parse('# head\nPool {\n  Name = Full; Label Format = "Full-" # tail\n  Maximum Volume Bytes = 10 GB\n}\n');
  assert.ok(r);
  assert.equal(r.name, 'Pool');
  assert.equal(r.line, 2);
  assert.deepEqual(r.body.map((d) => [(d as DirectiveNode).name, (d as DirectiveNode).parts[0]?.[0]?.text, d.line]), [
    ['Name', 'Full', 3], ['Label Format', 'Full-', 3], ['Maximum Volume Bytes', '10 GB', 4],
  ]);
});

test('quoted strings: escapes, # inside, continuation, multiple values', () => {
  const [r] = parse('X {\n a = "say \\"hi\\" \\\\ # not a comment"\n b = "one" "two"\n c = "x",  y z , "w"\n d = "abc"\n     "def"\n}');
  assert.ok(r);
  assert.equal(directive(r, 0).parts[0]![0]!.text, 'say "hi" \\ # not a comment');
  assert.equal(directive(r, 1).parts[0]![0]!.text, 'onetwo');
  assert.deepEqual(directive(r, 2).parts[0]!.map((v) => v.text), ['x', 'y z', 'w']);
  assert.equal(directive(r, 3).parts[0]![0]!.text, 'abcdef');
  assert.equal(directive(r, 3).line, 5);
});

test('nested blocks and a } ending a directive', () => {
  const [r] = parse('FileSet { Name = fs; Include { Options { Signature = MD5 }\n File = / } }');
  assert.ok(r);
  const include = r.body[1] as BlockNode;
  assert.equal(include.key, 'include');
  const options = include.body[0] as BlockNode;
  assert.equal(directive(options, 0).parts[0]![0]!.text, 'MD5');
  assert.equal(directive(include, 1).parts[0]![0]!.text, '/');
});

test('messages-style second = and raw text', () => {
  const [r] = parse('Messages {\n Append = "/var/log/b.log" = all, !skipped\n}\nSchedule { Run = Level=Full 1st sun at 23:05 }');
  const append = directive(r!, 0);
  assert.deepEqual(append.parts.map((p) => p.map((v) => v.text)), [['/var/log/b.log'], ['all', '!skipped']]);
  assert.equal(directive(parse('Schedule { Run = Level=Full 1st sun at 23:05 }')[0]!, 0).raw, 'Level=Full 1st sun at 23:05');
});

test('names keep case and spaces; keys are normalized', () => {
  const [r] = parse('Job Defs { Max Run Time = 1 }');
  assert.equal(r!.key, 'jobdefs');
  assert.equal(directive(r!, 0).key, 'maxruntime');
});

test('syntax errors name file and line', () => {
  syntaxError('Pool {\n Name = "open\n', /^test\.conf:2: unterminated quoted string in the value of "Name"$/);
  syntaxError('Pool {\n Name = Full\n', /^test\.conf:1: "\{" opened here is never closed/);
  syntaxError('Pool {\n Name =\n}', /^test\.conf:2: missing value after "Name ="/);
  syntaxError('Pool {\n Name Full\n}', /^test\.conf:2: expected "=" or "\{" after "Name Full"/);
  syntaxError('}', /^test\.conf:1: unexpected "\}"/);
  syntaxError('Name = x', /^test\.conf:1: directive "Name" outside a resource/);
  syntaxError('Pool {\n\n a = b c, , d }', /^test\.conf:3: expected a value for "a"/);
});
