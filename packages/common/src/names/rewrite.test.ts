import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRegexWhere, parseRegexWhere, rewritePath, rewrittenPathProblem } from './rewrite.js';

const rw = (re: string, path: string | Buffer): string => rewritePath(parseRegexWhere(re), typeof path === 'string' ? Buffer.from(path) : path).toString('latin1');

test('regexwhere: Bareos expressions, groups, options, several in order', () => {
  assert.equal(rw('!/prod!/rect!', '/prod/a/prod'), '/rect/a/prod');
  assert.equal(rw('!/prod!/rect!g', '/prod/a/prod'), '/rect/a/rect');
  assert.equal(rw('!([a-z]+)\\.pdf$!$1.old.pdf!', '/d/doc.pdf'), '/d/doc.old.pdf');
  assert.equal(rw('!([a-z]+)\\.pdf$!\\1.bak!', '/d/doc.pdf'), '/d/doc.bak');
  assert.equal(rw('!A!b!i', '/a'), '/b');
  assert.equal(rw('#/x#/y#,!y!z!', '/x'), '/z');
  assert.equal(rw('!a\\!b!c!', '/a!b'), '/c');
  // Bytes that are not UTF-8 survive a rewrite untouched.
  assert.deepEqual(rewritePath(parseRegexWhere('!^/d!/e!'), Buffer.from([0x2f, 0x64, 0x2f, 0xff])), Buffer.from([0x2f, 0x65, 0x2f, 0xff]));
});

test('regexwhere that does not compile is a clear error', () => {
  assert.throws(() => parseRegexWhere('!([a!b!'), /regexwhere "!\(\[a!b!" is not valid/);
  assert.throws(() => parseRegexWhere('!a!b'), /missing closing "!"/);
  assert.throws(() => parseRegexWhere('!a!b!x'), /unknown options "x"/);
  assert.throws(() => parseRegexWhere('abc'), /must start with its separator/);
});

test('strip_prefix, add_prefix and add_suffix become one regexwhere', () => {
  const re = buildRegexWhere({ stripPrefix: '/home', addPrefix: '/restored', addSuffix: '.old' }) as string;
  assert.equal(rw(re, '/home/u/f.txt'), '/restored/u/f.txt.old');
  assert.equal(buildRegexWhere({}), undefined);
  assert.equal(rw(buildRegexWhere({ stripPrefix: '/a.b' }) as string, '/axb/c'), '/axb/c', 'the prefix is literal');
});

test("a rewrite replaces where, so its result must be an absolute path without '..' (Bareos's strip/add prefix example)", () => {
  const re = buildRegexWhere({ stripPrefix: '/home', addPrefix: '/mnt/home' }) as string;
  assert.equal(rw(re, '/home/ann/notes.txt'), '/mnt/home/ann/notes.txt');
  const problem = (re: string, path: string): string | undefined => rewrittenPathProblem(rewritePath(parseRegexWhere(re), Buffer.from(path)));
  assert.equal(problem(re, '/home/ann/notes.txt'), undefined);
  assert.equal(problem(buildRegexWhere({ stripPrefix: '/' }) as string, '/etc/passwd'), 'it is not an absolute path');
  assert.equal(problem('!^/!/tmp/../!', '/etc/passwd'), 'it has a ".." component');
  assert.equal(problem('!^/a!/a\0!', '/a/b'), 'it contains a NUL byte');
  assert.equal(problem('!x!y!', '/srv/..data/x'), undefined, 'a name that merely starts with dots is fine');
});
