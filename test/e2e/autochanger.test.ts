/**
 * An autochanger on the real daemons (issue 13, section 2): burrow-vchanger with two
 * drives and five slots (the last an import/export slot), run by the Storage daemon
 * through its Changer Command. Cartridges are labelled by slot (the changer loads each
 * first); a Full larger than one cartridge spans two, the second loaded by the changer
 * when the first is full; the restore reads both back, the changer bringing the first
 * one back; and a changer that fails to load ends a job with Bareos's 3992 text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { changerLibrary, libraryStorage, vchanger, type ChangerLibrary } from '../harness/changer.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

describe('an autochanger of virtual tapes (burrow-vchanger)', () => {
  let src: string;
  let burrow: Burrow;
  let lib: ChangerLibrary;
  let library: string;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-changer-src-'));
    buildSampleTree(src); // about 5 MB: more than one cartridge of 4 MB
    lib = await changerLibrary({ slots: 5, drives: 2, importExport: 1, barcodes: 'A00001-A00003' });
    library = lib.library;
    burrow = await Burrow.start({
      include: [src],
      sdResources: lib.sdResources,
      directorResources: `${libraryStorage('Auto Changer = yes')}
Pool { Name = Tapes; Pool Type = Backup }
Job { Name = backup-lib; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = Tapes; Messages = Standard }`,
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    lib?.remove();
  });

  const inDrive = (n: number): string | null => lib.inDrive(n);

  it('labels cartridges by slot, the changer loading each one first', async () => {
    for (const slot of [1, 2]) {
      const r = await burrow.console([`label storage=Library volume=A0000${slot} pool=Tapes slot=${slot} drive=0`]);
      assert.equal(r.code, 0, r.stdout + burrow.logs());
      assert.match(r.stdout, new RegExp(`Catalog record for Volume "A0000${slot}", Slot ${slot} successfully created`));
      assert.equal(inDrive(0), `A0000${slot}`);
    }
    const slots = await vchanger(library, 'listall');
    assert.match(slots.stdout, /^D:0:F:2:A00002\nD:1:E\nS:1:F:A00001\nS:2:E\nS:3:F:A00003\n/, 'slot 1 went home before slot 2 was loaded');
    const vols = await burrow.console(['list volumes pool=Tapes']);
    assert.match(vols.stdout, /A00001/);
  });

  it('spans a Full over two cartridges, the changer loading the second, and restores it exactly', async () => {
    const backup = await burrow.console(['run job=backup-lib yes', 'wait jobid=1', 'messages']);
    assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout + burrow.logs());
    assert.match(backup.stdout, /Volume name\(s\):\s+A0000(1\|A00002|2\|A00001)\n/);
    assert.match(backup.stdout, /Volume "A0000\d" is full \(\d+ bytes\); continuing on the next volume/);
    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages']);
    assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });

  it('a changer that cannot load gives the job a clear error naming the changer\'s failure', async () => {
    const held = inDrive(0) ?? inDrive(1);
    assert.ok(held !== null, 'a cartridge is in a drive after the restore');
    assert.equal((await vchanger('fault', library, 'fail', 'load')).code, 0);
    const where = join(burrow.dir, 'restored-fault');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages']);
    assert.match(restore.stdout, /Termination:\s+\*\*\* Restore Error \*\*\*/, restore.stdout + burrow.logs());
    assert.match(restore.stdout, /3992 Bad autochanger "load slot \d, drive \d": ERR=Child exited with code 1/);
    assert.equal((await vchanger('fault', library, 'clear')).code, 0);
  });

  it('label barcodes, status slots and update slots follow the changer: a transfer, an import, an export', async () => {
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1,3 drive=1 yes']);
    assert.equal(labelled.code, 0, labelled.stdout + burrow.logs());
    assert.match(labelled.stdout, /Media record for Slot 1 Volume "A00001" already exists\./);
    assert.match(labelled.stdout, /Catalog record for Volume "A00003", Slot 3 successfully created\./);
    assert.equal(inDrive(1), 'A00003');

    assert.equal((await vchanger('insert', library, '5', 'B00001')).code, 0, 'an operator puts a cartridge in the mail slot');
    assert.equal((await burrow.console(['release storage=Library drive=1'])).code, 0);
    assert.equal((await vchanger(library, 'transfer', '3', '4')).code, 0);
    const moved = await burrow.console(['update slots storage=Library']);
    assert.equal(moved.code, 0, moved.stdout);
    assert.match(moved.stdout, /Catalog record for Volume "A00003" updated to reference slot 4\./);
    assert.match(moved.stdout, /Catalog record for Volume "A00001" is up to date\./);
    const status = await burrow.console(['status slots storage=Library']);
    assert.match(status.stdout, /^ {4}4 \| +A00003 \| +Append \| +LTO \| +Tapes \|$/m, status.stdout);
    assert.match(status.stdout, /^ {4}5@\| +B00001 \| +\? \|/m, 'the mail slot, a cartridge the catalog does not know');

    // Export: A00003 to the mail slot, and out of the library.
    assert.equal((await vchanger(library, 'transfer', '5', '3')).code, 0);
    assert.equal((await vchanger(library, 'transfer', '4', '5')).code, 0);
    assert.equal((await vchanger('remove', library, '5')).stdout, 'A00003\n');
    const out = await burrow.console(['update slots storage=Library']);
    assert.match(out.stdout, /Volume "A00003" is no longer in the changer \(it was in Slot 4\): InChanger set to zero\./);
    assert.match(out.stdout, /Volume "B00001" in Slot 3 is not in the catalog: label it/);
    const json = await burrow.console(['.api json', 'list volume=A00003']);
    assert.match(json.stdout, /"inchanger":\s*0/);
  });
});
