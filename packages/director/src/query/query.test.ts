import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindAnswers } from './bind.js';
import { parseQueryFile } from './file.js';
import { openSqliteCatalog } from '../catalog/index.js';

test("a query file in Bareos's format: titles, prompts, statements, ! for vertical lists", () => {
  const text = [
    '# comment before any query',
    'ignored text',
    ':First query',
    '*Enter Client name:',
    '# a comment inside',
    'SELECT Name',
    '  FROM Client',
    " WHERE Name='%1';",
    ':Second query',
    '*Enter JobId:',
    '*Enter limit:',
    '!SELECT 1;',
    'SELECT JobId FROM Job WHERE JobId=%1 LIMIT %2',
    '',
  ].join('\n');
  assert.deepEqual(parseQueryFile(text, 'q.sql'), [
    { title: 'First query', prompts: ['Enter Client name:'], statements: [{ sql: "SELECT Name   FROM Client  WHERE Name='%1'", vertical: false }] },
    { title: 'Second query', prompts: ['Enter JobId:', 'Enter limit:'], statements: [
      { sql: 'SELECT 1', vertical: true },
      { sql: 'SELECT JobId FROM Job WHERE JobId=%1 LIMIT %2', vertical: false },
    ] },
  ]);
  assert.throws(() => parseQueryFile(':Empty\n*Prompt:\n', 'q.sql'), /q\.sql:1: query "Empty" has no SQL statement/);
  assert.throws(() => parseQueryFile(`:Many\n${'*p\n'.repeat(10)}SELECT 1;`, 'q.sql'), /more than 9 prompts/);
});

test('answers are bound as parameters, never pasted into the SQL', () => {
  assert.deepEqual(bindAnswers("SELECT * FROM Client WHERE Name='%1'", ["x' OR '1'='1"]),
    { sql: 'SELECT * FROM Client WHERE Name=?', params: ["x' OR '1'='1"] });
  assert.deepEqual(bindAnswers('SELECT * FROM Job WHERE JobId=%1 LIMIT %2', ['7', '1 OR 1=1']),
    { sql: 'SELECT * FROM Job WHERE JobId=? LIMIT ?', params: [7, '1 OR 1=1'] });
  assert.deepEqual(bindAnswers("SELECT Path FROM Path WHERE Path LIKE '/home/%1/%%' AND x='it''s %2'", ['ann', 'b']),
    { sql: "SELECT Path FROM Path WHERE Path LIKE ('/home/' || ? || '/%') AND x=('it''s ' || ?)", params: ['ann', 'b'] });
  assert.deepEqual(bindAnswers("SELECT 1 WHERE 'a%' = '%'", []), { sql: "SELECT 1 WHERE 'a%' = '%'", params: [] });
  assert.throws(() => bindAnswers('SELECT %2', ['a']), /uses %2, but it has only 1 prompt/);
  assert.throws(() => bindAnswers("SELECT 'open", []), /unterminated/);
});

test("Burrow's own query file parses: every query has a title and SQL", () => {
  const file = join(fileURLToPath(import.meta.url), '..', '..', '..', 'scripts', 'query.sql');
  const queries = parseQueryFile(readFileSync(file, 'utf8'), file);
  assert.ok(queries.length >= 15, `${queries.length} queries`);
  for (const q of queries) {
    assert.ok(q.title.length > 0);
    for (const s of q.statements) assert.match(s.sql, /^(SELECT|WITH)\b/i, q.title);
    const used = new Set([...q.statements.map((s) => s.sql).join(' ').matchAll(/%([1-9])/g)].map((m) => Number(m[1])));
    assert.deepEqual([...used].sort(), q.prompts.map((_, i) => i + 1), `${q.title}: each prompt is used`);
  }
});

test("every statement of Burrow's query file runs on the catalog schema", async () => {
  const file = join(fileURLToPath(import.meta.url), '..', '..', '..', 'scripts', 'query.sql');
  const dir = mkdtempSync(join(tmpdir(), 'burrow-queries-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    await catalog.ensureClient('c1');
    for (const q of parseQueryFile(readFileSync(file, 'utf8'), file)) {
      const answers = q.prompts.map((p) => (/time/i.test(p) ? '2026-01-01 00:00:00' : /JobId|MediaId|how many|number/i.test(p) ? '3' : 'c1'));
      for (const s of q.statements) {
        const bound = bindAnswers(s.sql, answers);
        await assert.doesNotReject(catalog.readOnlyQuery(bound.sql, bound.params, 10), q.title);
      }
    }
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
