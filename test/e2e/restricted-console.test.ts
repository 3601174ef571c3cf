/**
 * A restricted console (a Console resource with ACLs) cannot list, restore or learn
 * about anything outside its ACLs, through plain commands and `.api json` alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { aliceConsoleConfig, aliceResources } from '../harness/alice.js';

test('a console sees and restores only what its ACLs allow', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-acl-'));
  writeFileSync(join(src, 'alice.txt'), 'alice\n');
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const allowedWhere = join(tmpdir(), `burrow-acl-restores-${process.pid}`);
  t.after(() => rmSync(allowedWhere, { recursive: true, force: true }));
  const burrow = await Burrow.start({
    include: [src],
    directorResources: aliceResources(allowedWhere, ['list', 'llist', 'run', 'wait', 'messages', 'status', 'show', 'restore', 'estimate']),
  });
  t.after(() => burrow.stop());

  const admin = await burrow.console(['run job=backup-test yes', 'run job=alice-backup yes', 'wait']);
  assert.equal(admin.code, 0, admin.stdout + burrow.logs());

  const aliceConf = aliceConsoleConfig(burrow);
  const alice = (lines: string[]) => burrow.console(lines, aliceConf);

  const jobs = await alice(['list jobs']);
  assert.equal(jobs.code, 0, jobs.stdout + jobs.stderr);
  assert.match(jobs.stdout, /\| 2\s+\| alice-backup/);
  assert.doesNotMatch(jobs.stdout, /backup-test/);

  for (const [line, says] of [
    ['llist jobid=1', /JobId 1 does not exist/],
    ['list files jobid=1', /JobId 1 does not exist/],
    ['run job=backup-test yes', /Job "backup-test" is not defined/],
    ['restore client=test-fd jobid=1 all yes', /Client "test-fd" is not defined|JobId 1 does not exist/],
    [`restore client=alice-fd jobid=2 all yes where=${join(tmpdir(), 'elsewhere')}`, /not allowed for this console/],
    // A rewrite replaces where=, so WhereACL applies to the rewritten names.
    [`restore client=alice-fd jobid=2 all yes where=${allowedWhere} strip_prefix=${src} add_prefix=${join(tmpdir(), 'elsewhere')}`, /turns .*alice\.txt into .*elsewhere.*: this console may not restore there \(WhereACL\)/],
    ['label storage=File volume=Sneaky pool=Full', /not permitted for this console/],
    ['status client=test-fd', /Client "test-fd" is not defined/],
  ] as const) {
    const r = await alice([line]);
    assert.notEqual(r.code, 0, `${line} should fail:\n${r.stdout}`);
    assert.match(r.stdout, says, line);
  }

  const seen = await alice(['list clients', 'show jobs', 'status dir', 'messages']);
  assert.match(seen.stdout, /alice-fd/);
  assert.doesNotMatch(seen.stdout, /test-fd|backup-test|JobId 1:/);

  const api = await alice(['.api json', 'list jobs']);
  const doc = JSON.parse(api.stdout.trim().split('\n')[1] ?? '{}') as { result: { jobs: Array<{ jobid: number }> } };
  assert.deepEqual(doc.result.jobs.map((j) => j.jobid), [2]);

  const ok = await alice([`restore client=alice-fd jobid=2 all yes where=${allowedWhere}`, 'wait', 'messages']);
  assert.equal(ok.code, 0, ok.stdout + burrow.logs());
  assert.equal(readFileSync(join(allowedWhere, src, 'alice.txt'), 'utf8'), 'alice\n');

  const moved = await alice([`restore client=alice-fd jobid=2 all yes strip_prefix=${src} add_prefix=${allowedWhere}/moved`, 'wait']);
  assert.equal(moved.code, 0, moved.stdout + burrow.logs());
  assert.equal(readFileSync(join(allowedWhere, 'moved', 'alice.txt'), 'utf8'), 'alice\n');
});
