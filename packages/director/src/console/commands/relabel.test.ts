/**
 * relabel and truncate refuse, before asking the SD, what Bareos refuses: relabel a
 * volume that is not Purged or Recycle, or one a job holds (Burrow's addition), or to
 * a name the catalog has; truncate a
 * volume that may not be recycled, is disabled or holds only its label. Nothing in
 * the catalog changes. (What the SD does is tested end to end in media-relabel.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mediaDefaults } from '../../media/pools.js';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';

test('relabel and truncate refuse what Bareos refuses, changing nothing', async (t) => {
  const tc = await openTestConsole('Pool { Name = Other; Pool Type = Backup }');
  t.after(() => tc.close());
  const { catalog } = tc;
  const pool = (await catalog.getPool('Full'))!;
  const make = (name: string, volStatus: 'Used' | 'Purged' | 'Append', o: { volBlocks?: number; recycle?: boolean } = {}): Promise<number> => catalog.createMedia({
    volumeName: name, poolId: pool.poolId, mediaType: 'File', volStatus, volBytes: 5000, volBlocks: o.volBlocks ?? 5,
    labelDate: tc.clock.now(), ...mediaDefaults(pool), recycle: o.recycle ?? true,
  });
  await make('Busy', 'Used');
  await make('Gone', 'Purged');
  await make('Taken', 'Append');
  const ctx = tc.context();
  const used = await execute(ctx, 'relabel oldvolume=Busy volume=New pool=Other');
  assert.equal(used.ok, false);
  assert.equal(used.text(), 'Volume "Busy" has VolStatus Used. It must be Purged or Recycled before relabeling.');
  assert.equal((await execute(ctx, 'relabel oldvolume=Gone volume=Taken pool=Other')).text(), 'Media record for new Volume "Taken" already exists.');
  assert.match((await execute(ctx, 'relabel oldvolume=Gone volume=bad/name pool=Other')).text(), /may hold only letters, digits/);
  assert.equal((await execute(ctx, 'relabel oldvolume=Nosuch volume=New pool=Other')).text(), 'Volume "Nosuch" not found in catalog.');
  assert.equal((await execute(ctx, 'relabel oldvolume=Gone volume=New pool=Nosuch')).text(), 'Pool "Nosuch" is not defined');
  // A volume a job holds (chosen to recycle) is the job's.
  ctx.env.reservations.hold(7, 'Gone', true);
  assert.equal((await execute(ctx, 'relabel oldvolume=Gone volume=New pool=Other')).text(), 'Volume "Gone" is reserved by JobId 7: not relabelled now.');
  ctx.env.reservations.release(7);
  assert.deepEqual((await catalog.listMedia()).map((m) => [m.volumeName, m.volStatus]), [['Busy', 'Used'], ['Gone', 'Purged'], ['Taken', 'Append']]);

  await make('Kept', 'Purged', { recycle: false });
  await make('Small', 'Purged', { volBlocks: 1 });
  const kept = await execute(ctx, 'truncate volstatus=Purged volume=Kept yes');
  assert.equal(kept.text(), 'Volume "Kept" has Recycle = no: not truncated.\nNo volumes found to perform the command.');
  assert.equal((await execute(ctx, 'truncate volstatus=Purged volume=Small yes')).text(),
    'Volume "Small" holds only its label: nothing to truncate.\nNo volumes found to perform the command.');
  assert.match((await execute(ctx, 'truncate volstatus=Purged volume=Gone')).text(), /nothing was changed; add "yes"/);
});
