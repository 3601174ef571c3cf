/**
 * The session over the real command table, catalog and configuration (no daemons):
 * text and `.api json` answers, CommandACL refused in one place, the arguments a
 * console line and JSON give reaching the same handler, a conversation, and a line
 * run as the Director's own console.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, execute, runAsDirector } from './session.js';
import { openTestConsole } from './test-console.js';

const ALICE = `Console { Name = alice; Password = "alice-secret"; CommandACL = list, restore; JobACL = backup-test; ClientACL = test-fd
  StorageACL = File; PoolACL = Full; FileSetACL = TestSet; CatalogACL = MyCatalog; WhereACL = /tmp }`;

test('a command answers text, or its typed result as one JSON document in .api mode', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  const version = await execute(ctx, 'version');
  assert.equal(version.ok, true);
  assert.match(version.text(), /^test-dir Version: \S+ \(Burrow\)$/);
  assert.deepEqual(version.result, { name: 'test-dir', version: (version.result as { version: string }).version });
  const api = await execute(ctx, '.api json');
  assert.deepEqual(api.result, { api: 2 });
  assert.equal(ctx.session.api, true);
  const pools = await execute(ctx, 'list pools');
  assert.deepEqual(pools.result, { pools: [{
    poolid: 1, name: 'Full', numvols: 0, maxvols: 0, pooltype: 'Backup', labelformat: 'Vol-', maxvolbytes: 0, maxvoljobs: 0, maxvolfiles: 0,
    volretention: 31536000, voluseduration: 0, autoprune: 1, recycle: 1, actiononpurge: 0, recyclepool: '', scratchpool: '',
  }] });
  assert.match(pools.text(), /\| PoolId \| Name \| NumVols \| MaxVols \| PoolType \| LabelFormat \|/);
});

test('a line and JSON arguments reach the same handler with the same result', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  const list = ctx.commands.get('list');
  assert.ok(list);
  const fromLine = await execute(ctx, 'list clients');
  const fromJson = await dispatch(ctx, list, { what: 'clients' }, 'list clients');
  assert.deepEqual(fromJson.result, fromLine.result);
  await assert.rejects(dispatch(ctx, list, { what: 'clients', limit: 'many' }, 'list clients limit=many'), /list: limit= must be a number, not "many"/);
});

test('bad arguments are refused with their keyword; the session goes on', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  const bad = await execute(ctx, 'list jobs color=red');
  assert.equal(bad.ok, false);
  assert.match(bad.text(), /^list: unknown keyword "color"; usage: list jobs/);
  assert.deepEqual(bad.result, { error: { code: 'BAD_REQUEST', message: bad.text() } });
  assert.match((await execute(ctx, 'label pool=Full')).text(), /^label: missing volume=$/);
  assert.match((await execute(ctx, 'frobnicate')).text(), /^frobnicate: is an invalid command\. Type "help" for the list\.$/);
  assert.equal((await execute(ctx, 'list clients')).ok, true);
});

test('a refused restore is audited, bad arguments included', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  await execute(ctx, 'restore client=test-fd comment=x');
  await execute(ctx, 'restore client=nosuch-fd current');
  const log = (await tc.catalog.listLogsSince(0, 10)).map((l) => l.text);
  assert.ok(log.includes('Console "*UserAgent*": restore refused: restore: unknown keyword "comment"; usage: ' + ctx.commands.get('restore')?.usage), log.join('\n'));
  assert.ok(log.includes('Console "*UserAgent*": restore refused: Client "nosuch-fd" is not defined'), log.join('\n'));
});

test('CommandACL is enforced in one place, logged, and answered as if the command did not exist', async (t) => {
  const tc = await openTestConsole(ALICE);
  t.after(() => tc.close());
  const alice = tc.context('alice');
  const refused = await execute(alice, 'status dir');
  assert.equal(refused.ok, false);
  assert.equal(refused.text(), 'status: is an invalid command or not permitted for this console.');
  assert.deepEqual(refused.result, { error: { code: 'NOT_ALLOWED', message: refused.text() } });
  const status = alice.commands.get('status');
  assert.ok(status);
  await assert.rejects(dispatch(alice, status, {}, 'status'), /not permitted/, 'the JSON path is refused the same way');
  assert.ok((await tc.catalog.listLogsSince(0, 10)).some((l) => l.text === 'Console "alice": command "status" refused by its CommandACL'));
  assert.equal((await execute(alice, 'list clients')).ok, true);
  assert.equal((await execute(alice, 'help')).ok, true, 'help and .api are every console\'s');
});

test('a conversation: the menu asks, an answer goes on, "." ends it', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const ctx = tc.context();
  const menu = await execute(ctx, 'restore');
  assert.equal(menu.next?.prompt, 'Select item:  (1-14): ');
  assert.equal((menu.result as { kind: string }).kind, 'menu');
  const wrong = await execute(ctx, '99');
  assert.equal(wrong.ok, false);
  assert.equal(ctx.session.dialog?.prompt, 'Select item:  (1-14): ', 'a bad answer asks again');
  const jobs = await execute(ctx, '1');
  assert.equal((jobs.result as { kind: string }).kind, 'jobs');
  assert.equal(ctx.session.dialog?.prompt, 'Select item:  (1-14): ');
  const cancel = await execute(ctx, '13');
  assert.deepEqual(cancel.result, { kind: 'canceled', message: 'Restore canceled.', started: false });
  assert.equal(ctx.session.dialog, undefined);
  await execute(ctx, 'restore');
  const ended = await execute(ctx, '.');
  assert.equal(ended.text(), 'Selection terminated.');
  assert.equal(ctx.session.dialog, undefined);
});

test('runAsDirector: one line with full rights, as text; a question nobody can answer fails', async (t) => {
  const tc = await openTestConsole(ALICE);
  t.after(() => tc.close());
  const version = await runAsDirector(tc.services, 'version');
  assert.equal(version.ok, true);
  assert.match(version.text, /^test-dir Version:/);
  const asks = await runAsDirector(tc.services, 'restore');
  assert.equal(asks.ok, false);
  assert.match(asks.text, /restore: needs an answer to "Select item:  \(1-14\):"; a console script cannot give one$/);
  assert.equal((await runAsDirector(tc.services, 'list jobs color=red')).ok, false);
});
