/**
 * A client that runs its own backups and restores (issue 15, "remote start both ways";
 * docs/client-console.md): the recipe's Console resource, limited by its ACLs to the
 * client fd1, runs fd1's backup, sees its status and its jobs, restores a deleted file
 * to its place and the whole backup to its Restore Job's Where, exactly; and everything
 * of the other client, fd2, is refused or invisible to it: its job, its client, its
 * backups, a restore onto it, another place, a command outside its list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namedConsoleConfig } from '../harness/alice.js';
import { Topology } from '../harness/topology.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

/** The recipe's Console, for fd1 (docs/client-console.md). */
const FD1_CONSOLE = `
Console {
  Name = fd1-console
  Password = "fd1-console-secret"
  JobACL = backup-fd1, RestoreFiles
  ClientACL = fd1
  FileSetACL = set-fd1
  StorageACL = sd1
  PoolACL = Full
  CatalogACL = MyCatalog
  WhereACL = "/"
  CommandACL = run, restore, wait, messages, status, list, llist, estimate, show
}`;

test('a client\'s own console runs and restores that client, and nothing of another', async (t) => {
  const [one, two] = [mkdtempSync(join(tmpdir(), 'burrow-own-1-')), mkdtempSync(join(tmpdir(), 'burrow-own-2-'))];
  t.after(() => {
    rmSync(one, { recursive: true, force: true });
    rmSync(two, { recursive: true, force: true });
  });
  buildSampleTree(one);
  buildSampleTree(two);
  const topo = await Topology.start({
    clients: [{ name: 'fd1', include: [one] }, { name: 'fd2', include: [two] }],
    storages: [{ name: 'sd1' }],
    directorResources: FD1_CONSOLE,
  });
  t.after(() => topo.stop());
  const admin = await topo.console(['run job=backup-fd2 yes', 'wait', 'messages']);
  assert.match(admin.stdout, /Termination:\s+Backup OK\n/, `${admin.stdout}\n${topo.logs()}`);

  const own = namedConsoleConfig(topo, 'fd1-console', 'fd1-console-secret');
  const fd1 = (lines: string[]) => topo.console(lines, own, 180_000);

  const backup = await fd1(['run job=backup-fd1 yes', 'wait', 'messages', 'status client=fd1', 'list jobs']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${backup.stderr}`);
  assert.match(backup.stdout, /Job queued\. JobId=2/);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${topo.logs()}`);
  assert.match(backup.stdout, /burrow-fd "fd1"|fd1 Version/, 'status client=fd1 answers');
  assert.match(backup.stdout, /\| 2\s+\| backup-fd1/);
  assert.doesNotMatch(backup.stdout, /backup-fd2|JobId 1:/);

  // A file lost on the client comes back to its place (where=/, which the WhereACL "/" allows).
  const lost = join(one, 'secret');
  const before = readFileSync(lost);
  unlinkSync(lost);
  const inPlace = await fd1(['restore client=fd1 select current all done yes where=/', 'wait', 'messages']);
  assert.match(inPlace.stdout, /Termination:\s+Restore OK\n/, `${inPlace.stdout}\n${topo.logs()}`);
  assert.deepEqual(readFileSync(lost), before);
  assert.equal(statSync(lost).mode & 0o7777, 0o600);
  // And the whole backup to the Restore Job's own Where, which its administrator chose: exact.
  const whole = await fd1(['restore client=fd1 jobid=2 all done yes', 'wait', 'messages']);
  assert.match(whole.stdout, /Termination:\s+Restore OK\n/, `${whole.stdout}\n${topo.logs()}`);
  assert.deepEqual(compareTrees(one, join(topo.restored, one)), []);

  for (const [line, says] of [
    ['run job=backup-fd2 yes', /Job "backup-fd2" is not defined/],
    ['run job=backup-fd1 client=fd2 yes', /Client "fd2" is not defined/],
    ['estimate job=backup-fd2', /Job "backup-fd2" is not defined/],
    ['status client=fd2', /Client "fd2" is not defined/],
    ['llist jobid=1', /JobId 1 does not exist/],
    ['restore client=fd2 select current all done yes', /Client "fd2" is not defined/],
    ['restore client=fd1 jobid=1 all done yes', /JobId 1 does not exist/],
    // fd1's files onto fd2's machine.
    ['restore client=fd1 select current all done yes restoreclient=fd2', /Client "fd2" is not defined/],
    [`restore client=fd1 select current all done yes where=${join(two, 'planted')}`, /not allowed for this console/],
    ['delete jobid=2', /not permitted for this console/],
  ] as const) {
    const r = await fd1([line]);
    assert.notEqual(r.code, 0, `${line} should fail:\n${r.stdout}`);
    assert.match(r.stdout, says, `${line}:\n${r.stdout}`);
  }
  // Nothing ran for fd2 but the administrator's backup, and nothing was written there.
  const jobs = await topo.console(['list jobs']);
  assert.equal(jobs.stdout.match(/\| backup-fd2/g)?.length, 1, jobs.stdout);
  assert.doesNotMatch(jobs.stdout, /\| [5-9]\s+\|/, jobs.stdout);
  assert.equal(existsSync(join(two, 'planted')), false);
});
