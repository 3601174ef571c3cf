/**
 * rerun jobid=: a backup again with the level, client, FileSet and pool its catalog row
 * records, within the console's ACLs; anything but a backup is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';

test('rerun shows a backup as it ran; a restore, an unknown job or one outside the ACLs is refused', async (t) => {
  const tc = await openTestConsole(`
Pool { Name = Weekly; Pool Type = Backup }
Console { Name = bob; Password = "bob-secret"; JobACL = RestoreFiles; ClientACL = test-fd; StorageACL = File; PoolACL = *all*; FileSetACL = *all*; CatalogACL = *all*; CommandACL = rerun }`);
  t.after(() => tc.close());
  const { catalog, clock } = tc;
  const clientId = await catalog.ensureClient('test-fd');
  const fileSetId = await catalog.ensureFileSet('TestSet', 'digest-1');
  const poolId = (await catalog.getPool('Weekly'))?.poolId ?? null;
  const backup = await catalog.createJob({ name: 'backup-test', type: 'B', level: 'I', clientId, fileSetId, poolId, schedTime: clock.now() });
  const restore = await catalog.createJob({ name: 'RestoreFiles', type: 'R', level: ' ', clientId, fileSetId, poolId: null, schedTime: clock.now() });
  const ctx = tc.context();

  const shown = await execute(ctx, `rerun jobid=${backup}`);
  assert.equal(shown.ok, true, shown.text());
  assert.deepEqual(shown.result, {
    type: 'Backup', jobname: 'backup-test', level: 'Incremental', client: 'test-fd', fileset: 'TestSet', pool: 'Weekly', storage: 'File', priority: 10, started: false,
  });
  assert.match(shown.text(), /^Run Backup job\nJobName:  backup-test\nLevel:    Incremental\n[^]*Pool:     Weekly\n[^]*Not started: add "yes" to run it\.$/);
  assert.deepEqual(tc.services.queue.list(), [], 'nothing started without yes');

  assert.match((await execute(ctx, `rerun jobid=${restore}`)).text(), new RegExp(`^rerun: JobId ${restore} is not a backup; "run job=" starts a restore or a verify$`));
  assert.match((await execute(ctx, 'rerun jobid=99')).text(), /^JobId 99 does not exist$/);
  assert.match((await execute(ctx, 'rerun')).text(), /^rerun: give jobid=N$/);
  // Bob's JobACL knows only RestoreFiles: the backup does not exist for him.
  assert.match((await execute(tc.context('bob'), `rerun jobid=${backup}`)).text(), new RegExp(`^JobId ${backup} does not exist$`));
});
