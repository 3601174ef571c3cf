/**
 * A restore of a point the catalog no longer reaches: refused, naming the oldest
 * backup it can still restore (its older ones have passed their retention).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listDate } from '../../jobs/format.js';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';

test('restore before= a time older than every Full kept names the oldest one', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  const { catalog, clock } = tc;
  const clientId = await catalog.ensureClient('test-fd');
  const fileSetId = await catalog.ensureFileSet('TestSet', 'digest-1');
  const backup = async (level: 'F' | 'I'): Promise<number> => {
    const jobId = await catalog.createJob({ name: 'backup-test', type: 'B', level, clientId, fileSetId, poolId: null, schedTime: clock.now() });
    await catalog.startJob(jobId, clock.now());
    await catalog.finishJob(jobId, { status: 'T', endTime: clock.now(), jobFiles: 0, jobBytes: 0 });
    return jobId;
  };
  const start = clock.now();
  await clock.advanceTo(start + 3_600_000);
  const full = await backup('F');
  await clock.advanceTo(start + 7_200_000);
  await backup('I');
  const before = listDate(start + 1_800_000);
  const ctx = tc.context();
  const early = await execute(ctx, `restore client=test-fd before="${before}" all done yes`);
  assert.equal(early.ok, false);
  assert.match(early.text(), new RegExp(`no successful Full backup of client "test-fd" in the catalog before ${before}: the oldest one is JobId ${full} of ${listDate(start + 3_600_000)}; older backups have passed their retention and been pruned, or never were`));
  await catalog.deleteJobs([1, 2]);
  const none = await execute(ctx, `restore client=test-fd before="${before}" all done yes`);
  assert.match(none.text(), /no successful Full backup of client "test-fd" in the catalog before \S+ \S+$/);
});
