/**
 * An autochanger on the real daemons (issue 13, section 2): burrow-vchanger with two
 * drives and five slots (the last an import/export slot), run by the Storage daemon
 * through its Changer Command. Cartridges are labelled by slot (the changer loads each
 * first); a Full larger than one cartridge spans two, the second loaded by the changer
 * when the first is full; the restore reads both back, the changer bringing the first
 * one back, and bls follows the span from the cartridges alone; and a changer that
 * fails to load ends a job with Bareos's 3992 text. A
 * backup finds a cartridge moved by hand and the catalog's Slot follows; update slots
 * scan names each cartridge by its label, not its barcode.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { changerLibrary, libraryStorage, vchanger, type ChangerLibrary } from '../harness/changer.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';
import { BIN } from '../harness/paths.js';
import { bytesReadBy } from '../harness/checks.js';

/** Console calls that wait for jobs or move many cartridges: generous, for a loaded machine (the fast path does not wait longer). */
const SLOW_MS = 180_000;

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
Job { Name = backup-lib; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = Tapes; Messages = Standard }
FileSet { Name = Small; Include { Options { Signature = SHA256 } File = ${JSON.stringify(join(src, 'bin'))} } }
Job { Name = backup-small; Type = Backup; Level = Full; Client = test-fd; FileSet = Small; Storage = Library; Pool = Tapes; Messages = Standard }`,
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

  it('spans a Full over two cartridges, the changer loading the second, and restores it exactly', async (t) => {
    const backup = await burrow.console(['run job=backup-lib yes', 'wait jobid=1', 'messages'], undefined, SLOW_MS);
    assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout + burrow.logs());
    assert.match(backup.stdout, /Volume name\(s\):\s+A0000(1\|A00002|2\|A00001)\n/);
    assert.match(backup.stdout, /Volume "A0000\d" is full \(\d+ bytes\); continuing on the next volume/);
    assert.match(backup.stdout, /End of medium on Volume "A0000\d" Bytes=\d+ Blocks=\d+ at \d+:\d+\.\n[^]*Re-read of last block succeeded\./);
    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
    assert.deepEqual(compareTrees(src, join(where, src)), []);

    // One file from the second cartridge: the SD reads its block there (64 KiB), not the first cartridge (4 MB).
    const [first, second] = (/Volume name\(s\):\s+(\S+)\n/.exec(backup.stdout)?.[1] ?? '').split('|');
    const secret = join(src, 'secret');
    const one = join(burrow.dir, 'one');
    const before = bytesReadBy(burrow, 'sd');
    const alone = await burrow.console([`restore client=test-fd jobid=1 storage=Library file=${secret} yes where=${one}`, 'wait', 'messages'], undefined, SLOW_MS);
    const read = bytesReadBy(burrow, 'sd') - before;
    assert.match(alone.stdout, /Termination:\s+Restore OK\n/, alone.stdout + burrow.logs());
    assert.match(alone.stdout, new RegExp(`Volumes needed: ${second}\\n`), alone.stdout);
    assert.equal(readFileSync(join(one, secret), 'utf8'), 'only me');
    assert.ok(read < 256 * 1024, `the SD read ${read} bytes for a file on the second cartridge`);
    t.diagnostic(`one small file from the second cartridge: the SD read ${read} bytes`);

    // bls follows the span from the cartridges alone, once the drives let them go.
    const released = await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1']);
    assert.equal(released.code, 0, released.stdout);
    const bls = execFileSync(process.execPath, [BIN.bls, '-V', `${first}|${second}`, join(library, 'cartridges')], { encoding: 'utf8' });
    assert.match(bls, new RegExp(`Volume Label: Volume="${first}"[^\n]*\n`));
    assert.match(bls, /JobId=1 FileIndex=\d+ continues on the next volume \(\d+ bytes here\)\n/, bls);
    assert.match(bls, new RegExp(`Volume Label: Volume="${second}" `), bls);
    assert.match(bls, /Begin Job Session: JobId=1 [^\n]*Volume#=2 \(continued\)/, bls);
    assert.match(bls, /End Job Session: JobId=1 Files=\d+ [^\n]*Status=T/, bls);
  });

  it('a changer that cannot load gives the job a clear error naming the changer\'s failure', async () => {
    // The drives were released for bls: one at least is empty, so the restore of the two cartridges must load one.
    assert.ok(inDrive(0) === null || inDrive(1) === null, `drives hold ${inDrive(0)} and ${inDrive(1)}`);
    assert.equal((await vchanger('fault', library, 'fail', 'load')).code, 0);
    const where = join(burrow.dir, 'restored-fault');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(restore.stdout, /Termination:\s+\*\*\* Restore Error \*\*\*/, restore.stdout + burrow.logs());
    assert.match(restore.stdout, /3992 Bad autochanger "load slot \d, drive \d": ERR=Child exited with code 1/);
    assert.equal((await vchanger('fault', library, 'clear')).code, 0);
  });

  it('label barcodes, status slots and update slots follow the changer: a transfer, an import, an export', async () => {
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1,3 drive=1 yes'], undefined, SLOW_MS);
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

  const record = async (volume: string): Promise<string> => (await burrow.console(['.api json', `list volume=${volume}`])).stdout;

  it('a backup finds a cartridge moved by hand to another slot, and the catalog follows it there', async () => {
    await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1']);
    // The spanned Full left one of A00001 and A00002 Full, the other Append: the next backup's volume.
    const append = /"volstatus":\s*"Append"/.test(await record('A00001')) ? 'A00001' : 'A00002';
    assert.match(await record(append), /"volstatus":\s*"Append"/);
    assert.equal((await vchanger(library, 'transfer', append.slice(-1), '4')).code, 0);
    const backup = await burrow.console(['run job=backup-small yes', 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout + burrow.logs());
    assert.match(backup.stdout, new RegExp(`Volume name\\(s\\):\\s+${append}\\n`));
    const moved = await record(append);
    assert.match(moved, /"slot":\s*4\b/, `the mount told the catalog its slot: ${moved}`);
    assert.match(moved, /"inchanger":\s*1/);
  });

  it('update slots scan reads each cartridge\'s label: a barcode that is not the volume\'s name, a blank cartridge', async () => {
    await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1']);
    // A00003 comes back from the shelf under another barcode, into the slot left free.
    const free = /^S:([12]):E$/m.exec((await vchanger(library, 'listall')).stdout)?.[1];
    assert.ok(free !== undefined);
    renameSync(join(library, 'cartridges', 'A00003'), join(library, 'cartridges', 'Z00009'));
    assert.equal((await vchanger('insert', library, '5', 'Z00009')).code, 0);
    assert.equal((await vchanger(library, 'transfer', '5', free)).code, 0);
    const byBarcode = await burrow.console(['update slots storage=Library']);
    assert.match(byBarcode.stdout, new RegExp(`Volume "Z00009" in Slot ${free} is not in the catalog`), byBarcode.stdout);

    const scanned = await burrow.console(['update slots storage=Library scan drive=1'], undefined, SLOW_MS);
    assert.equal(scanned.code, 0, scanned.stdout + burrow.logs());
    assert.match(scanned.stdout, new RegExp(`3001 Volume=A00003 Slot=${free}\n`), scanned.stdout);
    assert.match(scanned.stdout, new RegExp(`Catalog record for Volume "A00003" updated to reference slot ${free}\\.`));
    assert.match(scanned.stdout, /3001 Volume=A0000[12] Slot=4\n/);
    assert.match(scanned.stdout, /Catalog record for Volume "A0000[12]" is up to date\./);
    assert.match(scanned.stdout, /3902 Cannot mount Volume on Storage Device "Drive1" \(\S+\) because:\nSlot 3: the cartridge is blank\./);
    assert.match(scanned.stdout, /No VolName for Slot=3 InChanger set to zero\./);
    assert.doesNotMatch(scanned.stdout, /Z00009/, 'the label gives the name, not the barcode');
    const back = await record('A00003');
    assert.match(back, /"inchanger":\s*1/, back);
    assert.match(back, new RegExp(`"slot":\\s*${free}\\b`));
    assert.equal(inDrive(1), null, 'each cartridge went back to its slot');
  });
});
