/**
 * A RunScript's `Console =` lines run as the Director's own console, before or after
 * the job as RunsWhen says, with % codes filled in and their output in the job log; a
 * failing one fails the job, or only warns with FailJobOnError = no.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

const JOB = 'Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard';

test('RunScript Console lines: a label before the job, a listing after it, failures as FailJobOnError says', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-console-rs-'));
  writeFileSync(join(src, 'f'), 'f\n');
  const burrow = await Burrow.start({
    include: [src],
    labelFormat: null,
    jobDirectives: [
      'RunScript { RunsWhen = Before; RunsOnClient = No; Console = "label storage=File pool=Full volume=Pre-%i" }',
      'RunScript { RunsWhen = After; Console = "list jobs" }',
    ],
    directorResources: `
Job { Name = bad-console; ${JOB}; RunScript { RunsWhen = Before; RunsOnClient = No; Console = "no-such-command" } }
Job { Name = soft-console; ${JOB}; RunScript { RunsWhen = After; RunsOnClient = No; FailJobOnError = No; Console = "llist jobid=999999" } }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });

  // The pool has no Label Format: the volume the backup writes on is the one its Before script labelled.
  const r = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(r.code, 0, r.stdout + burrow.logs());
  assert.match(r.stdout, /BeforeJob: run console command "label storage=File pool=Full volume=Pre-1"\n/);
  assert.match(r.stdout, /Volume name\(s\):\s+Pre-1\n/);
  assert.match(r.stdout, /AfterJob: run console command "list jobs"\n[\s\S]*AfterJob: \| 1\s+\| backup-test\s+\|/);
  assert.match(r.stdout, /Termination:\s+Backup OK\n/);

  const bad = await burrow.console(['run job=bad-console yes', 'wait', 'messages']);
  assert.match(bad.stdout, /BeforeJob: no-such-command: is an invalid command/);
  assert.match(bad.stdout, /Error: BeforeJob: console command "no-such-command" failed/);
  assert.match(bad.stdout, /Fatal error: a Run Before Job script failed: the backup does not run/);
  assert.match(bad.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/);

  const soft = await burrow.console(['run job=soft-console yes', 'wait', 'messages']);
  assert.match(soft.stdout, /Warning: AfterJob: console command "llist jobid=999999" failed/);
  assert.match(soft.stdout, /Termination:\s+Backup OK -- with warnings\n/);
});
