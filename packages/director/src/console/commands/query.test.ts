/**
 * The query command on the real catalog and the real query files (no daemons): the
 * menu, prompts, a stock query answered, a query file of one's own with a failing
 * statement, bad choices asked again, and consoles that may not read the whole catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';
import { queryCommand, type QueryResult } from './query.js';

const kind = (r: unknown): string => (r as QueryResult).kind;

test('query: the shipped file by default; choose, answer the prompt, read the answer', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  const menu = await execute(ctx, 'query');
  assert.equal(kind(menu.result), 'menu');
  assert.match(menu.text(), /^Available queries:\n {5}1: List up to 20 places where a file is saved/);
  const titles = (menu.result as { queries: string[] }).queries;
  const pool = titles.indexOf('List the attributes of a pool') + 1;
  assert.ok(pool > 0, titles.join('\n'));
  assert.equal(menu.next?.prompt, `Choose a query (1-${titles.length}): `);

  const wrong = await execute(ctx, String(titles.length + 1));
  assert.equal(wrong.ok, false);
  assert.equal(wrong.text(), `Please enter a number between 1 and ${titles.length}`);
  assert.equal(ctx.session.dialog?.prompt, menu.next?.prompt, 'asked again');

  const prompt = await execute(ctx, String(pool));
  assert.equal(prompt.text(), '');
  assert.equal(ctx.session.dialog?.prompt, 'Enter the pool name: ');
  const answer = await execute(ctx, 'Full');
  assert.equal(answer.ok, true, answer.text());
  assert.equal(ctx.session.dialog, undefined, 'the conversation is over');
  assert.match(answer.text(), /^ +Name: Full\n +PoolType: Backup\n +LabelFormat: Vol-\n/);
  const result = answer.result as Extract<QueryResult, { kind: 'answer' }>;
  assert.equal(result.title, 'List the attributes of a pool');
  assert.equal(result.tables[0]?.vertical, true);
  assert.equal(result.tables[0]?.rows[0]?.[0], 'Full');
});

test("query: a QueryFile of one's own; answers never change the SQL; a failing statement ends the query", async (t) => {
  const tc = await openTestConsole('', { director: 'QueryFile = "queries.sql"' });
  t.after(() => tc.close());
  // Relative to the configuration's root, as every path of the configuration.
  writeFileSync(join(tc.dir, 'queries.sql'), [
    ':Clients by name',
    '*Enter a Client name:',
    "SELECT Name FROM Client WHERE Name = '%1';",
    ':Two statements, the second broken',
    'SELECT COUNT(*) AS Pools FROM Pool;',
    'SELECT Name FROM NoSuchTable;',
    ':Writes',
    'DELETE FROM Client;',
  ].join('\n'));
  const ctx = { ...tc.context(), resolvePath: (p: string) => join(tc.dir, p) };
  await execute(ctx, 'query');
  await execute(ctx, '1');
  const injected = await execute(ctx, "x' OR '1'='1");
  assert.equal(injected.ok, true);
  assert.equal(injected.text(), 'No results to list.');
  await execute(ctx, 'query');
  await execute(ctx, '1');
  assert.match((await execute(ctx, 'test-fd')).text(), /\| Name +\|\n\+-+\+\n\| test-fd \|/);

  await execute(ctx, 'query');
  const broken = await execute(ctx, '2');
  assert.equal(broken.ok, false);
  assert.match(broken.text(), /\| Pools \|[\s\S]*\| 1 +\|[\s\S]*\nthe query does not compile: .*no such table: NoSuchTable/);
  assert.equal(ctx.session.dialog, undefined, 'a failed query has nothing left to ask');

  await execute(ctx, 'query');
  const writes = await execute(ctx, '3');
  assert.equal(writes.ok, false);
  assert.match(writes.text(), /may only read the catalog/);
  assert.ok(await tc.catalog.getClient('test-fd'), 'nothing deleted');
});

test('query: only a console that sees the whole catalog; a missing file is said', async (t) => {
  const tc = await openTestConsole(`
Console { Name = alice; Password = "a"; CommandACL = query; JobACL = backup-test; ClientACL = *all*; StorageACL = *all*; PoolACL = *all*; FileSetACL = *all*; CatalogACL = *all* }
Console { Name = admin; Password = "b"; CommandACL = query; Profile = all-seeing }
Profile { Name = all-seeing; JobACL = *all*; ClientACL = *all*; StorageACL = *all*; PoolACL = *all*; FileSetACL = *all*; CatalogACL = *all* }`,
  { director: 'QueryFile = "/nonexistent/query.sql"' });
  t.after(() => tc.close());
  const alice = await execute(tc.context('alice'), 'query');
  assert.equal(alice.ok, false);
  assert.match(alice.text(), /^query: the queries read the whole catalog; this console may not/);
  const admin = await execute(tc.context('admin'), 'query');
  assert.equal(admin.ok, false);
  assert.match(admin.text(), /^Could not open \/nonexistent\/query\.sql: ERR=/, 'past the ACLs, to the file');
});

test('query renders each kind of result', () => {
  const render = queryCommand.spec.render;
  assert.equal(render({ kind: 'menu', queries: ['One', 'Two'] }), 'Available queries:\n     1: One\n     2: Two');
  assert.equal(render({ kind: 'question' }), '');
  const tables = [{ columns: ['A', 'B'], rows: [[1, 'x'], [2, null]], vertical: false, truncated: true }];
  assert.equal(render({ kind: 'answer', title: 't', tables }),
    '+---+---+\n| A | B |\n+---+---+\n| 1 | x |\n| 2 |   |\n+---+---+\n(only the first 10000 rows are listed)');
  assert.equal(render({ kind: 'answer', title: 't', tables: [{ columns: ['Name', 'N'], rows: [['a', 1]], vertical: true, truncated: false }], error: 'boom' }),
    'Name: a\n   N: 1\nboom');
});
