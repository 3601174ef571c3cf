/**
 * The administrator's console commands on the real Director, through the real
 * bconsole: `query` (a stock query of the shipped query file answered; a console
 * restricted to its own jobs refused), `show all` in configuration syntax that the
 * Director's own `-t` reads back to the same configuration, `reload` (a good change in
 * force at once; a broken file refused with its error on the console, the old one
 * kept), and with `Auditing = yes` the audit log of the Director's Messages resource
 * holding Bareos's audit lines for all of it; the Director's other messages (a refused
 * reload, a console login with a wrong password) in another of its destinations. No job
 * runs: nothing here needs one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDirectorConfig, type DirectorConfig } from '@burrow/common/config/index';
import { Burrow, runProcess } from '../harness/daemons.js';
import { namedConsoleConfig } from '../harness/alice.js';
import { BIN, SCRIPTDIR } from '../harness/paths.js';

const ALICE = `Console { Name = alice; Password = "alice-secret"; CommandACL = query, show, list
  JobACL = backup-test; ClientACL = test-fd; StorageACL = File; PoolACL = Full; FileSetACL = TestSet; CatalogACL = *all* }`;

/** The menu number of a query of the shipped file, by its title (as the menu numbers them). */
function shippedQuery(title: string): number {
  const titles = readFileSync(join(SCRIPTDIR, 'query.sql'), 'utf8').split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).trim());
  const n = titles.indexOf(title) + 1;
  assert.ok(n > 0, `no query "${title}" in the shipped query file`);
  return n;
}

function withoutSources(config: DirectorConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, value: unknown) => (key === 'source' ? undefined : value)));
}

test('query, show in configuration syntax, reload and the audit log, on the real Director', async (t) => {
  const burrow = await Burrow.start({
    include: ['/nonexistent'],
    directorDirectives: ['Auditing = yes'],
    directorResources: ALICE,
    daemonMessages: ['Append = "audit.log" = audit', 'Append = "director.log" = all, !audit'],
  });
  t.after(() => burrow.stop());
  const alice = namedConsoleConfig(burrow, 'alice', 'alice-secret');

  // query: the menu, a choice, the query's prompt answered from the pipe.
  const pool = shippedQuery('List the attributes of a pool');
  const q = await burrow.console(['query', String(pool), 'Full']);
  assert.equal(q.code, 0, q.stdout + q.stderr);
  assert.match(q.stdout, /Available queries:\n {5}1: /);
  assert.match(q.stdout, new RegExp(`Choose a query \\(1-\\d+\\): ${pool}\\nEnter the pool name: Full\\n`));
  assert.match(q.stdout, /\n +Name: Full\n +PoolType: Backup\n/);
  const refused = await burrow.console(['query'], alice);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout, /query: the queries read the whole catalog; this console may not/);

  // show all: the configuration in its own syntax, which the Director's -t reads back.
  const shown = await burrow.console(['show all']);
  assert.equal(shown.code, 0, shown.stdout);
  assert.match(shown.stdout, /^Director \{\n {2}Name = "test-dir"\n/m);
  const copy = join(burrow.dir, 'shown', 'burrow-dir.conf');
  mkdirSync(join(burrow.dir, 'shown'));
  writeFileSync(copy, shown.stdout);
  const check = await runProcess(process.execPath, [BIN.dir, '-t', '-c', copy], '', 30_000);
  assert.equal(check.code, 0, `${check.stdout}${check.stderr}\n${shown.stdout}`);
  assert.deepEqual(withoutSources(loadDirectorConfig(copy).config), withoutSources(loadDirectorConfig(burrow.configs.dir).config));
  const aliceShows = await burrow.console(['show clients', 'show director'], alice);
  assert.match(aliceShows.stdout, /Client \{\n {2}Name = "test-fd"\n[\s\S]*Password = "\*{16}"/);
  assert.doesNotMatch(aliceShows.stdout, /Director \{|test-dir/);

  // reload: a good change is in force for the next command...
  const good = readFileSync(burrow.configs.dir, 'utf8');
  appendFileSync(burrow.configs.dir, 'Pool { Name = Extra; Pool Type = Backup; Label Format = "Extra-" }\n');
  const reloaded = await burrow.console(['reload', 'show pool=Extra', 'list pools']);
  assert.equal(reloaded.code, 0, reloaded.stdout + burrow.logs());
  assert.match(reloaded.stdout, /^reloaded$/m);
  assert.match(reloaded.stdout, /Pool \{\n {2}Name = "Extra"\n[\s\S]*\| Extra +\|/);
  // ...and a broken one is refused, its error said to the console, the old one kept.
  writeFileSync(burrow.configs.dir, `${good}Pool { Name = Extra; Pool Type = Backup; Label Format = "Extra-" }\nJob { Name = broken; Type = Backup; Client = nowhere }\n`);
  const broken = await burrow.console(['reload']);
  assert.notEqual(broken.code, 0);
  assert.match(broken.stdout, /^failed to reload\n[\s\S]*burrow-dir\.conf:\d+: Job "broken": [^\n]*Client "nowhere" is not defined\n[\s\S]*The configuration in force is kept\./m);
  const kept = await burrow.console(['show pool=Extra', 'show job=broken']);
  assert.match(kept.stdout, /Pool \{\n {2}Name = "Extra"/);
  assert.match(kept.stdout, /jobs resource broken not found\./);
  writeFileSync(burrow.configs.dir, good);

  // The audit log: every command as typed, the ACL refusal, never an answer to a prompt.
  const auditLog = join(burrow.dir, 'etc', 'audit.log');
  assert.ok(existsSync(auditLog), burrow.logs());
  const audit = readFileSync(auditLog, 'utf8');
  for (const line of ['query', 'show all', 'reload', 'show pool=Extra', 'list pools']) {
    assert.match(audit, new RegExp(`^\\d\\d-\\w{3} \\d\\d:\\d\\d test-dir: Console \\[default\\] from \\[127\\.0\\.0\\.1\\] cmdline ${line}$`, 'm'), `${line}\n${audit}`);
  }
  assert.match(audit, /test-dir: Console \[alice\] from \[127\.0\.0\.1\] cmdline query$/m);
  assert.doesNotMatch(audit, /cmdline (Full|\d+)$/m, 'answers to a prompt are not commands');
  const refusedAcl = await burrow.console(['status dir'], alice);
  assert.notEqual(refusedAcl.code, 0);
  assert.match(readFileSync(auditLog, 'utf8'), /test-dir: Console \[alice\] from \[127\.0\.0\.1\], Audit acl failure for Command status$/m);

  // The Director's own messages, where its Messages resource sends them (not audit lines).
  const impostor = await burrow.console(['status dir'], namedConsoleConfig(burrow, 'alice', 'not-her-password'));
  assert.notEqual(impostor.code, 0);
  const directorLog = readFileSync(join(burrow.dir, 'etc', 'director.log'), 'utf8');
  assert.match(directorLog, /^\d\d-\w{3} \d\d:\d\d test-dir: Error: configuration \S+burrow-dir\.conf not reloaded; the configuration in force is kept:\n[\s\S]*?burrow-dir\.conf:\d+: Job "broken": Client: Client "nowhere" is not defined$/m);
  assert.match(directorLog, /^\d\d-\w{3} \d\d:\d\d test-dir: Unable to authenticate console "alice" at 127\.0\.0\.1: wrong password\.$/m);
  assert.doesNotMatch(directorLog, /cmdline/, 'audit lines stay out of a destination that says !audit');
});
