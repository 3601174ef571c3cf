/**
 * show on the real configuration (no daemons): configuration syntax that reads back,
 * Bareos's keywords and messages, verbose, disabled, secrets only for a console that
 * may configure, and what a restricted console does not see.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';
import type { ShowResources } from './show.js';

const EXTRA = `
Schedule { Name = Nightly; Run = Level=Full daily at 02:00 }
Schedule { Name = Off; Enabled = no; Run = weekly at 03:00 }
Job { Name = disabled-job; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon; Enabled = no }
Console { Name = alice; Password = "alice-secret"; CommandACL = show; JobACL = backup-test; ClientACL = test-fd; PoolACL = Full }
Console { Name = admin; Password = "admin-secret"; CommandACL = show; Profile = every }
Profile { Name = every; JobACL = *all*; ClientACL = *all*; StorageACL = *all*; PoolACL = *all*; FileSetACL = *all*; CatalogACL = *all*; ScheduleACL = *all* }`;

test('show prints resources in configuration syntax, one or a type, by Bareos\'s keywords', async (t) => {
  const tc = await openTestConsole(EXTRA);
  t.after(() => tc.close());
  const ctx = tc.context();
  const job = await execute(ctx, 'show job=Backup-Test');
  assert.equal(job.ok, true, job.text());
  assert.match(job.text(), /^Job \{\n {2}Name = "backup-test"\n {2}Type = Backup\n[\s\S]*\n {2}Pool = "Full"\n[\s\S]*\}$/);
  const r = job.result as ShowResources;
  assert.equal(r.type, 'Job');
  assert.equal(r.resources[0]?.name, 'backup-test');
  assert.equal(r.resources[0]?.directives.pool, 'Full');

  const pools = await execute(ctx, 'show pools');
  assert.match(pools.text(), /^Pool \{\n {2}Name = "Full"\n[\s\S]*LabelFormat = "Vol-"/);
  assert.equal((await execute(ctx, 'show dir')).text().split('\n')[0], 'Director {', 'a keyword\'s start picks it');
  assert.match((await execute(ctx, 'show director')).text(), /Password = "console-secret"/, 'the Director\'s own console may configure: it sees secrets');

  const missing = await execute(ctx, 'show job=nosuch');
  assert.equal(missing.ok, false);
  assert.equal(missing.text(), 'jobs resource nosuch not found.');
  assert.match((await execute(ctx, 'show frobs')).text(), /^Resource frobs not found; say one of all, directors, clients, jobs/);
  assert.match((await execute(ctx, 'show jobs pools')).text(), /one resource type at a time/);
});

test('show all and verbose: every resource, defaults and a Schedule\'s parsed Run lines as # lines', async (t) => {
  const tc = await openTestConsole(EXTRA);
  t.after(() => tc.close());
  const ctx = tc.context();
  for (const line of ['show', 'show all']) {
    const all = await execute(ctx, line);
    assert.equal((all.result as ShowResources).type, 'all');
    for (const type of ['Director', 'Catalog', 'Client', 'Storage', 'Pool', 'Schedule', 'FileSet', 'Messages', 'Job', 'Console', 'Profile']) {
      assert.match(all.text(), new RegExp(`^${type} \\{$`, 'm'), `${line}: ${type}`);
    }
  }
  const plain = await execute(ctx, 'show schedule=Nightly');
  assert.doesNotMatch(plain.text(), /#/);
  assert.deepEqual((plain.result as ShowResources).resources[0]?.runs?.length, 1);
  const verbose = await execute(ctx, 'show schedule=Nightly verbose');
  assert.match(verbose.text(), /Run = "Level=Full daily at 02:00"\n[\s\S]*\n {2}# +hour=2 minute=00\n/);
  assert.match((await execute(ctx, 'show verbose job=backup-test')).text(), /\n {2}# {2}Replace = always\n/, 'a default, as a # line');
});

test('show disabled lists disabled Jobs, Clients and Schedules', async (t) => {
  const tc = await openTestConsole(EXTRA);
  t.after(() => tc.close());
  const ctx = tc.context();
  assert.equal((await execute(ctx, 'show disabled')).text(), 'Disabled Jobs:\n   disabled-job\nNo disabled Clients.\nDisabled Schedules:\n   Off');
  const jobs = await execute(ctx, 'show disabled jobs');
  assert.deepEqual(jobs.result, { type: 'disabled', disabled: { jobs: ['disabled-job'] } });
});

test('a restricted console sees what its ACLs name, and no secrets unless it may configure', async (t) => {
  const tc = await openTestConsole(EXTRA);
  t.after(() => tc.close());
  const alice = tc.context('alice');
  const jobs = await execute(alice, 'show jobs');
  assert.deepEqual((jobs.result as ShowResources).resources.map((r) => r.name), ['backup-test']);
  assert.equal((await execute(alice, 'show job=disabled-job')).text(), 'jobs resource disabled-job not found.');
  assert.equal((await execute(alice, 'show director')).text(), '', 'Director-wide resources are not its to see');
  const clients = await execute(alice, 'show clients');
  assert.match(clients.text(), /Password = "\*{16}"/);
  assert.doesNotMatch(clients.text(), /client-secret/);
  assert.equal((clients.result as ShowResources).resources[0]?.directives.password, '****');

  const admin = tc.context('admin');
  const director = await execute(admin, 'show director');
  assert.match(director.text(), /^Director \{/, 'a console that sees the whole catalog sees the Director');
  assert.match(director.text(), /Password = "\*{16}"/, 'but may not configure, so no secrets');
});
