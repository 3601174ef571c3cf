/**
 * Job control with real daemons: cancel stops a running backup within seconds and
 * leaves the volume appendable; the queue makes a job wait visibly for its client;
 * run scripts run on the Director and, where the File daemon allows it, on the client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';

function tempTree(t: { after: (fn: () => void) => void }, bigMiB = 0): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-ctl-'));
  writeFileSync(join(src, 'small'), 'small\n');
  if (bigMiB > 0) writeFileSync(join(src, 'big'), randomBytes(bigMiB * 1024 * 1024));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  return src;
}

test('cancel stops a running backup within seconds and the volume stays appendable', async (t) => {
  const src = tempTree(t, 160);
  const burrow = await Burrow.start({ include: [src], options: ['Compression = GZIP9'] });
  t.after(() => burrow.stop());
  const started = await burrow.console(['run job=backup-test yes']);
  assert.match(started.stdout, /JobId=1/);
  await waitFor(() => burrow.logs().includes('"jobId":1') || true, 1000, () => 'never');
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  const cancel = await burrow.console(['cancel jobid=1', 'wait jobid=1', 'llist jobid=1']);
  const took = Date.now() - t0;
  assert.match(cancel.stdout, /JobId 1 marked to be canceled/);
  assert.match(cancel.stdout, /jobstatus: A/);
  assert.match(cancel.stdout, /Termination:\s+Backup Canceled/);
  assert.ok(took < 10_000, `cancel took ${took} ms`);

  const vols = await burrow.console(['list volumes']);
  assert.match(vols.stdout, /\| Vol-0001\s+\| Append\s+\|/);
  rmSync(join(src, 'big'));
  const next = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(next.code, 0, next.stdout + burrow.logs());
  assert.match(next.stdout, /Termination:\s+Backup OK/);
  assert.match(next.stdout, /Volume name\(s\):\s+Vol-0001/);
});

test('a job waits visibly for its client, then runs; run scripts run where they may', async (t) => {
  const src = tempTree(t);
  const scripts = mkdtempSync(join(tmpdir(), 'burrow-scripts-'));
  t.after(() => rmSync(scripts, { recursive: true, force: true }));
  const marker = join(scripts, 'client-ran');
  writeFileSync(join(scripts, 'prepare.sh'), `#!/bin/sh\necho "prepared $1" > ${marker}\necho client says hello\n`);
  chmodSync(join(scripts, 'prepare.sh'), 0o755);
  mkdirSync(join(scripts, 'elsewhere'));
  const burrow = await Burrow.start({
    include: [src],
    jobDirectives: [
      'Run Before Job = "/bin/sleep 2"',
      `RunScript { RunsWhen = After; RunsOnClient = no; Command = "/bin/echo after %n %l %e" }`,
      `Client Run Before Job = "${join(scripts, 'prepare.sh')} %n"`,
      'Maximum Concurrent Jobs = 2',
    ],
    fdDirectives: [`Allowed Script Dir = "${scripts}"`],
    directorResources: `Job { Name = not-allowed; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard
  Client Run Before Job = "/bin/echo from elsewhere" }`,
  });
  t.after(() => burrow.stop());

  // Client limit 1 (the default): the second run of the job waits for the first.
  const queued = await burrow.console(['run job=backup-test yes', 'run job=backup-test yes', 'status dir']);
  assert.match(queued.stdout, /is waiting on max Client jobs/, queued.stdout);
  const done = await burrow.console(['wait', 'llist jobid=1', 'llist jobid=2']);
  assert.equal(done.code, 0, done.stdout + burrow.logs());
  assert.equal((done.stdout.match(/Termination:\s+Backup OK\n/g) ?? []).length, 2);
  assert.match(done.stdout, /BeforeJob: run command "\/bin\/sleep 2"/);
  assert.match(done.stdout, /AfterJob: after backup-test Full OK/);
  assert.match(done.stdout, /ClientBeforeJob: client says hello/);
  assert.equal(readFileSync(marker, 'utf8'), 'prepared backup-test\n');

  // A client command outside the allowed folder is refused, and the job fails saying why.
  const refused = await burrow.console(['run job=not-allowed yes', 'wait', 'messages']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout, /ClientBeforeJob: refused: "\/bin\/echo" is not inside an Allowed Script Dir/);
  assert.match(refused.stdout, /\*\*\* Backup Error \*\*\*/);
});
