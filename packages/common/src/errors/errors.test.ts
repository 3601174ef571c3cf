import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BurrowError, ERROR_CODES, isBurrowErrorCode, toBurrowError } from './index.js';

// This file runs from packages/common/dist/errors/; the docs are at the repository root.
const DOC = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'docs', 'errors.md');

/** The doc's table rows as [code, meaning]. */
function documentedCodes(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\|\s*`([A-Z_]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (m) rows.push([m[1] as string, m[2] as string]);
  }
  return rows;
}

test('docs/errors.md lists every error code, in order, with its meaning from ERROR_CODES', () => {
  const documented = documentedCodes();
  assert.deepEqual(documented.map(([code]) => code), Object.keys(ERROR_CODES), 'the codes in docs/errors.md and ERROR_CODES differ');
  for (const [code, meaning] of documented) {
    assert.equal(meaning, ERROR_CODES[code as keyof typeof ERROR_CODES], `docs/errors.md gives ${code} another meaning`);
  }
});

test('codes are UPPER_SNAKE and the guard knows exactly them', () => {
  for (const code of Object.keys(ERROR_CODES)) {
    assert.match(code, /^[A-Z]+(_[A-Z]+)*$/);
    assert.equal(isBurrowErrorCode(code), true);
  }
  assert.equal(isBurrowErrorCode('toString'), false);
  assert.equal(isBurrowErrorCode('not_found'), false);
});

test('toBurrowError keeps BurrowErrors and wraps anything else with a cause', () => {
  const own = new BurrowError('NOT_FOUND', 'gone');
  assert.equal(toBurrowError(own), own);
  const plain = new Error('boom');
  const wrapped = toBurrowError(plain, 'DEVICE');
  assert.equal(wrapped.code, 'DEVICE');
  assert.equal(wrapped.message, 'boom');
  assert.equal(wrapped.cause, plain);
  assert.equal(toBurrowError('text').code, 'INTERNAL');
});
