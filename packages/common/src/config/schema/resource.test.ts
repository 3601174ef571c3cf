import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseTokens } from '../syntax/parser.js';
import { tokenize } from '../syntax/lexer.js';
import { integer, many, name, one } from './fields.js';
import { Problems } from './problems.js';
import { collectResource, defineResource, validateResource } from './resource.js';

const spec = defineResource({
  type: 'Thing',
  // Tags is a list directive: every occurrence adds to it.
  fields: { name: one(name()), size: one(integer().default(1)), tags: many(z.array(z.string()).default([])) },
});

function load(text: string): { value: Record<string, unknown> | undefined; problems: Problems } {
  const [node] = parseTokens(tokenize(text, 't.conf', () => []));
  const problems = new Problems();
  const raw = collectResource(spec, node!, problems);
  return { value: validateResource(raw, problems), problems };
}

test('a directive set twice keeps the last value and warns, naming both lines', () => {
  const { value, problems } = load('Thing {\n  Name = a\n  Size = 3\n  Size = 7\n}\n');
  assert.equal(value?.['size'], 7);
  assert.deepEqual(problems.errors, []);
  assert.equal(problems.warnings.length, 1);
  const w = problems.warnings[0]!;
  assert.deepEqual([w.file, w.line, w.resource, w.directive], ['t.conf', 4, 'Thing "a"', 'Size']);
  assert.match(w.message, /set twice \(first at t\.conf:3, again at t\.conf:4\); the last value is used/);
});

test('a bad value in the repeated directive is reported at the line whose value is used', () => {
  const { value, problems } = load('Thing {\n  Name = a\n  Size = 3\n  Size = lots\n}\n');
  assert.equal(value, undefined);
  assert.equal(problems.errors.length, 1);
  assert.equal(problems.errors[0]!.line, 4);
});

test('list directives add up instead', () => {
  const { value, problems } = load('Thing {\n  Name = a\n  Tags = x, y\n  Tags = z\n}\n');
  assert.deepEqual(value?.['tags'], ['x', 'y', 'z']);
  assert.deepEqual(problems.warnings, []);
});
