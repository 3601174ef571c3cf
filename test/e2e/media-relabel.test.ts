/**
 * The media commands of issue 11's M4 on the real daemons, each checked by its output,
 * the catalog rows and the volume files: `relabel` (only a Purged or Recycle volume; the
 * file takes the new name and a fresh label; the old record goes, a new one is made in
 * the pool given; every refusal changes nothing), `show pool=` with the lifecycle
 * directives, the pool's Recycle Current Volume (the drive's volume is recycled before
 * an Append one is taken), and `truncate` as Bareos words and chooses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { llistField as field } from '../harness/checks.js';

test('relabel, show pool, Recycle Current Volume and truncate, as Bareos documents them', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-relabel-'));
  writeFileSync(join(src, 'a.txt'), 'alpha\n'.repeat(2000));
  const burrow = await Burrow.start({
    include: [src], labelFormat: null,
    poolDirectives: ['Maximum Volume Jobs = 1', 'Recycle Current Volume = yes', 'Recycle = yes', 'AutoPrune = yes'],
    directorResources: 'Pool { Name = Other; Pool Type = Backup; Maximum Volume Jobs = 3; Volume Retention = 2 days }',
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const run = async (lines: string[]): Promise<string> => (await burrow.console(lines)).stdout;
  const volume = async (name: string): Promise<string> => run([`llist volume=${name}`]);
  const file = (name: string): string => join(burrow.volumes, name);

  // show pool=: the pool's directives in configuration syntax, Recycle Current Volume among them.
  const shown = await run(['show pool=Full', 'show pools']);
  assert.match(shown, /^Pool \{\n {2}Name = "Full"\n/m, shown);
  assert.match(shown, /\n {2}MaximumVolumeJobs = 1\n/);
  assert.match(shown, /\n {2}RecycleCurrentVolume = yes\n/);
  assert.match(shown, /^Pool \{\n {2}Name = "Other"\n[\s\S]*\n {2}VolumeRetention = 2 days\n/m);

  // Two volumes; the first job fills A (Maximum Volume Jobs = 1).
  for (const v of ['A', 'B']) assert.match(await run([`label storage=File volume=${v} pool=Full`]), new RegExp(`Catalog record for Volume "${v}", Slot 0 successfully created\\.`));
  const first = await run(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(first, /Termination:\s+Backup OK\n/, first);
  const [used] = /Volume name\(s\):\s+(\S+)\n/.exec(first)!.slice(1);
  const spare = used === 'A' ? 'B' : 'A';
  assert.equal(field(await volume(used!), 'volstatus'), 'Used');

  // Recycle Current Volume: once its retention has passed, the drive's volume is pruned
  // and recycled, though the other one is appendable.
  await run([`update volume=${used} volretention=0`]);
  const second = await run(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(second, /Termination:\s+Backup OK\n/, second);
  assert.match(second, new RegExp(`Pruning volume ${used}: 1 Jobs have expired and can be pruned\\.`), second);
  assert.match(second, new RegExp(`Recycled volume "${used}" on device "FileStorage" \\(\\S+\\), all previous data lost\\.`), second);
  assert.match(second, new RegExp(`Volume name\\(s\\):\\s+${used}\\n`));
  assert.deepEqual([field(await volume(used!), 'recyclecount'), field(await volume(spare), 'voljobs')], ['1', '0']);

  // relabel refuses a volume with data, and changes nothing.
  const written = readFileSync(file(used!));
  const refused = await burrow.console([`relabel storage=File oldvolume=${used} volume=New-1 pool=Other`]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout, new RegExp(`Volume "${used}" has VolStatus Used\\. It must be Purged or Recycled before relabeling\\.`), refused.stdout);
  assert.deepEqual(readFileSync(file(used!)), written);
  assert.equal(existsSync(file('New-1')), false);

  // Purged: a name in the catalog, or a file in the way, is refused; nothing changes.
  assert.match(await run([`purge volume=${used} yes`]), /Marking it purged\./);
  assert.match(await run([`relabel oldvolume=${used} volume=${spare} pool=Other`]), new RegExp(`Media record for new Volume "${spare}" already exists\\.`));
  writeFileSync(file('Foreign-1'), 'not a volume\n');
  const blocked = await burrow.console([`relabel oldvolume=${used} volume=Foreign-1 pool=Other`]);
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stdout, /Foreign-1 exists already/, blocked.stdout);
  assert.equal(readFileSync(file('Foreign-1'), 'utf8'), 'not a volume\n');
  assert.deepEqual(readFileSync(file(used!)), written);
  assert.equal(field(await volume(used!), 'volstatus'), 'Purged');
  assert.match(await run(['list volume=Foreign-1']), /Volume "Foreign-1" not found in catalog\./);
  assert.match(await run([`relabel oldvolume=Nosuch volume=New-1 pool=Other`]), /Volume "Nosuch" not found in catalog\./);

  // relabel: Bareos's lines; the file takes the new name and only a label; the records follow.
  const relabel = await run([`relabel storage=File oldvolume=${used} volume=New-1 pool=Other`]);
  assert.match(relabel, new RegExp(`Sending relabel command from "${used}" to "New-1" \\.\\.\\.\\n`
    + '3000 OK label\\. VolBytes=(\\d+) Volume="New-1" Device="FileStorage"\\n'
    + 'Catalog record for Volume "New-1", Slot 0 successfully created\\.\\n'
    + `Old volume "${used}" deleted from catalog\\.`), relabel);
  const labelBytes = Number(/VolBytes=(\d+)/.exec(relabel)![1]);
  assert.equal(existsSync(file(used!)), false);
  assert.equal(statSync(file('New-1')).size, labelBytes);
  assert.match(await run([`list volume=${used}`]), new RegExp(`Volume "${used}" not found in catalog\\.`));
  const fresh = await volume('New-1');
  assert.deepEqual(['volstatus', 'pool', 'volbytes', 'voljobs', 'maxvoljobs', 'volretention'].map((f) => field(fresh, f)),
    ['Append', 'Other', String(labelBytes), '0', '3', '172800']);
  const bls = execFileSync(process.execPath, [BIN.bls, '-j', '-V', 'New-1', burrow.volumes], { encoding: 'utf8' });
  assert.doesNotMatch(bls, /JobId=?\s*\d/, `nothing of the old data:\n${bls}`);
  const other = await run(['run job=backup-test pool=Other yes', 'wait', 'messages']);
  assert.match(other, /Volume name\(s\):\s+New-1\n/, other);
  assert.match(other, /Termination:\s+Backup OK\n/);

  // truncate: only Purged volumes that may be recycled and hold more than their label;
  // Bareos's reply for the command.
  await run(['purge volume=New-1 yes']);
  const size = statSync(file('New-1')).size;
  assert.match(await run(['update volume=New-1 recycle=no', 'truncate volstatus=Purged volume=New-1 yes']), /Volume "New-1" has Recycle = no: not truncated\.\nNo volumes found to perform the command\./);
  assert.equal(statSync(file('New-1')).size, size);
  const truncated = await run(['update volume=New-1 recycle=yes', 'truncate volstatus=Purged pool=Other yes']);
  assert.match(truncated, /The volume 'New-1' has been truncated\./, truncated);
  const truncatedBytes = Number(/VolBytes=(\d+) Volume="New-1"/.exec(truncated)![1]);
  assert.ok(truncatedBytes < size);
  assert.equal(statSync(file('New-1')).size, truncatedBytes);
  assert.equal(field(await volume('New-1'), 'volbytes'), String(truncatedBytes));
  assert.match(await run(['truncate volstatus=Purged volume=New-1 yes']), /Volume "New-1" holds only its label: nothing to truncate\./);
});
