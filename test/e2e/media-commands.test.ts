/**
 * The volume commands of issue 11 on the real daemons, each checked by its output and
 * by the catalog rows it leaves (list/llist volume=): label (and a refused label that
 * leaves no record), Maximum Volume Jobs, update volume, prune volume, truncate,
 * recycling (bls shows only the new data), add, purge, delete, update pool, list pools.
 * Retention is made to pass by `update volume volretention=0`, never by sleeping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { llistField as field } from '../harness/checks.js';

test('label, limits, update, prune, truncate, recycle, add, purge and delete, as Bareos documents them', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  writeFileSync(join(src, 'a.txt'), 'alpha\n'.repeat(1000));
  const burrow = await Burrow.start({
    include: [src], labelFormat: null, poolDirectives: ['Maximum Volume Jobs = 1', 'Action On Purge = Truncate'],
    directorResources: 'Pool { Name = Scratch; Pool Type = Scratch }',
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const run = async (lines: string[]): Promise<string> => {
    const r = await burrow.console(lines);
    return r.stdout;
  };
  const volume = async (name: string): Promise<string> => run([`llist volume=${name}`]);

  // label: Bareos's lines; a label the SD refuses leaves no Media record.
  const label = await burrow.console(['label storage=File volume=Manual-1 pool=Full slot=3']);
  assert.equal(label.code, 0, label.stdout);
  assert.match(label.stdout, /3000 OK label\. VolBytes=\d+ Volume="Manual-1" Device="FileStorage"/);
  assert.match(label.stdout, /Catalog record for Volume "Manual-1", Slot 3 successfully created\./);
  assert.deepEqual([field(await volume('Manual-1'), 'volstatus'), field(await volume('Manual-1'), 'slot')], ['Append', '3']);
  writeFileSync(join(burrow.volumes, 'Foreign-1'), 'not a volume\n');
  const refused = await burrow.console(['label storage=File volume=Foreign-1 pool=Full']);
  assert.notEqual(refused.code, 0);
  assert.match(await run(['list volume=Foreign-1']), /Volume "Foreign-1" not found in catalog\./);

  // Maximum Volume Jobs = 1: the job completes, then the volume is Used.
  const first = await run(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(first, /Termination:\s+Backup OK\n/, first);
  assert.match(first, /Max Volume jobs=1 exceeded\. Marking Volume "Manual-1" as Used\./);
  assert.equal(field(await volume('Manual-1'), 'volstatus'), 'Used');
  const written = statSync(join(burrow.volumes, 'Manual-1')).size;

  // update volume: Bareos's replies, and a bad value changes nothing.
  const upd = await run(['update volume=Manual-1 volretention=0 recycle=yes maxvoljobs=5', 'update volume=Manual-1 volstatus=Bogus']);
  assert.match(upd, /New retention period is: 0 secs\nNew Recycle flag is: yes\nNew max jobs is: 5/);
  assert.match(upd, /Invalid VolStatus specified: Bogus/);
  assert.equal(field(await volume('Manual-1'), 'volstatus'), 'Used');
  await run(['update volume=Manual-1 volstatus=Used']);

  // prune volume: the expired job goes, the volume is Purged; the data stays until truncate.
  const pruned = await run(['prune volume=Manual-1 yes', 'list jobs']);
  assert.match(pruned, /Pruning volume Manual-1: 1 Jobs have expired and can be pruned\./, pruned);
  assert.match(pruned, /Volume "Manual-1" contains no jobs after pruning\./);
  assert.match(pruned, /No results to list\./);
  assert.equal(field(await volume('Manual-1'), 'volstatus'), 'Purged');
  assert.equal(statSync(join(burrow.volumes, 'Manual-1')).size, written, 'pruning never touches data');
  const truncated = await run(['truncate volstatus=Purged volume=Manual-1 yes']);
  assert.match(truncated, /The volume 'Manual-1' has been truncated\./, truncated);
  const labelOnly = statSync(join(burrow.volumes, 'Manual-1')).size;
  assert.ok(labelOnly < written, `${labelOnly} < ${written}`);
  assert.equal(field(await volume('Manual-1'), 'volbytes'), String(labelOnly));

  // The next job recycles it under the same name; bls shows only the new session.
  const second = await run(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(second, /Recycled volume "Manual-1" on device "FileStorage" \(\S+\), all previous data lost\./, second);
  assert.match(second, /Termination:\s+Backup OK\n/);
  const recycled = await volume('Manual-1');
  assert.deepEqual([field(recycled, 'recyclecount'), field(recycled, 'voljobs')], ['1', '1']);
  assert.match(await run(['list jobid=1']), /JobId 1 does not exist/);
  assert.match(await run(['list jobid=2']), /backup-test/);
  const bls = execFileSync(process.execPath, [BIN.bls, '-j', '-V', 'Manual-1', burrow.volumes], { encoding: 'utf8' });
  assert.equal((bls.match(/JobId=?\s*1\b/g) ?? []).length, 0, `the first job's session is gone:\n${bls}`);
  assert.match(bls, /JobId=?\s*2\b/, bls);

  // add: Unlabeled records; update and delete them.
  const added = await run(['add pool=Full volume=Added count=2', 'list volumes pool=Full']);
  assert.match(added, /2 Volumes created in pool Full/);
  assert.match(added, /\| Added0001\s+\| Unlabeled\s+\| Full/);
  assert.match(await run(['update volume=Added0001 volstatus=Disabled']), /New Volume status is: Disabled/);
  assert.match(await run(['delete volume=Added0002']), /add "yes" to the command to confirm/);
  assert.match(await run(['delete volume=Added0002 yes']), /Volume "Added0002" deleted from catalog\./);
  assert.match(await run(['list volume=Added0002']), /not found in catalog/);

  // purge volume ignores retention; purge volume action=truncate truncates (Action On Purge = Truncate).
  await run(['update volume=Manual-1 volretention=10years']);
  const purged = await run(['purge volume=Manual-1 action=truncate yes', 'list jobs']);
  assert.match(purged, /1 Job on Volume "Manual-1" purged from catalog\./, purged);
  assert.match(purged, /There are no more Jobs associated with Volume "Manual-1"\. Marking it purged\./);
  assert.match(purged, /The volume "Manual-1" has been truncated/);
  assert.match(purged, /No results to list\./);

  // update pool / volumes from their pools; list pools.
  const pools = await run(['update pool=Full', 'update volume fromallpools', 'list pools']);
  assert.match(pools, /Pool DB record updated from resource\./);
  assert.match(pools, /All Volume defaults updated from "Full" Pool record\./);
  assert.match(pools, /\| PoolId \| Name\s+\| NumVols \| MaxVols \| PoolType/);
  assert.match(pools, /\| Scratch\s+\| 0 /);
  assert.equal(field(await volume('Added0001'), 'maxvoljobs'), '1');
});
