/**
 * Cartridge locations and history (issue 13 section 3, afbackup's cartridge database)
 * over burrow-vchanger: every volume has a place (a drive, a slot, an import/export
 * slot, or a place the operator names) and a history of events with times; `list
 * locations` and `list volumehistory` show them, the restore summary names where each
 * volume it needs is, and the operator asked for a cartridge is told its last known
 * place.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { changerLibrary, libraryStorage, vchanger, type ChangerLibrary } from '../harness/changer.js';
import { compareTrees } from '../harness/tree.js';
import { apiResult } from '../harness/checks.js';

/** Console calls that wait for jobs, and waits for log lines: generous, for a loaded machine. */
const SLOW_MS = 180_000;

describe('cartridge locations and history', () => {
  let src: string;
  let burrow: Burrow;
  let lib: ChangerLibrary;
  let volume = '';

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-locations-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(100 * (i + 1)));
    lib = await changerLibrary({ slots: 5, drives: 1, importExport: 1, barcodes: 'A00001-A00002' });
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      sdResources: lib.sdResources,
      directorResources: `${libraryStorage('Auto Changer = yes')}
Pool { Name = Tapes; Pool Type = Backup; Cleaning Prefix = "CLN" }
Job { Name = backup-tapes; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = Tapes; Messages = Standard }`,
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    lib?.remove();
  });

  const api = <T>(line: string): Promise<T> => apiResult<T>(burrow, line);
  const locationOf = async (name: string): Promise<string> => {
    const rows = (await api<{ locations: Array<{ volumename: string; location: string }> }>('list locations storage=Library')).locations;
    const out = JSON.stringify(rows);
    return rows.find((r) => r.volumename === name)?.location ?? `(no row for ${name} in ${out})`;
  };
  const events = async (name: string): Promise<string[]> => {
    return (await api<{ history: Array<{ event: string }> }>(`list volumehistory volume=${name}`)).history.map((e) => e.event);
  };

  it('knows each cartridge in its slot or drive, and what happened to it', async () => {
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1-2 yes'], undefined, SLOW_MS);
    assert.match(labelled.stdout, /Catalog record for Volume "A00002", Slot 2 successfully created/, labelled.stdout + burrow.logs());
    assert.equal(await locationOf('A00002'), 'Slot 2 of Storage "Library"');

    const ran = await burrow.console(['run job=backup-tapes yes', 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(ran.stdout, /Termination:\s+Backup OK/, ran.stdout + burrow.logs());
    volume = /Volume name\(s\):\s+(A0000\d)\n/.exec(ran.stdout)?.[1] ?? '';
    const slot = volume.slice(-1);
    assert.equal(await locationOf(volume), `Drive 0 of Storage "Library" (home Slot ${slot})`);
    assert.deepEqual(await events(volume), ['labelled', 'loaded', 'written']);

    const table = await burrow.console(['list locations', `list volumehistory volume=${volume}`]);
    assert.match(table.stdout, new RegExp(`\\| ${volume}\\s+\\| Append\\s+\\| Tapes\\s+\\| Drive 0 of Storage "Library" \\(home Slot ${slot}\\)\\s+\\| written\\s+\\| \\d{4}-`), table.stdout);
    assert.match(table.stdout, /\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| labelled\s+\| Slot \d of Storage "Library"\s+\|\s+\| by console/, table.stdout);
    assert.match(table.stdout, /\| written\s+\| Drive 0 of Storage "Library" \(home Slot \d\)\s+\| 1\s+\| by JobId 1/, table.stdout);
  });

  it('follows an export and a place the operator names; the restore summary and the operator are told where it is', async () => {
    const exported = await burrow.console(['release storage=Library drive=0', `export storage=Library volume=${volume}`]);
    assert.match(exported.stdout, /3308 Successfully transfered volume from slot \d to 5\./, exported.stdout + burrow.logs());
    assert.equal(await locationOf(volume), 'Import/Export Slot 5 of Storage "Library"');
    assert.equal((await vchanger('remove', lib.library, '5')).stdout, `${volume}\n`);

    const placed = await burrow.console([`update volume=${volume} location="vault"`]);
    assert.match(placed.stdout, /New Location is: vault/, placed.stdout);
    assert.equal(await locationOf(volume), 'vault');
    assert.deepEqual((await events(volume)).slice(-2), ['exported', 'moved']);
    const refused = await burrow.console([`update volume=${volume} location="a\tb"`]);
    assert.notEqual(refused.code, 0, 'a control character in a location is refused');

    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`]);
    assert.match(restore.stdout, new RegExp(`Volumes needed: ${volume}\\n {4}${volume} +vault\\n`), restore.stdout);
    await burrow.untilLogged(new RegExp(`JobId 2: Please mount read Volume "${volume}" for:[^]*Location: {5}vault \\(last seen in Import/Export Slot 5 of Storage "Library"\\)`), SLOW_MS);

    assert.equal((await vchanger('insert', lib.library, '5', volume)).code, 0);
    const imported = await burrow.console(['import storage=Library', 'wait jobid=2', 'llist jobid=2'], undefined, SLOW_MS);
    assert.match(imported.stdout, /jobstatus: T\n/, imported.stdout + burrow.jobLog());
    assert.deepEqual(compareTrees(src, join(where, src)), []);
    // The restore's drive loaded it: its place and history say so, as for a backup's.
    assert.match(await locationOf(volume), /^Drive 0 of Storage "Library" \(home Slot \d\)$/);
    const history = await events(volume);
    assert.deepEqual(history.slice(history.indexOf('imported')), ['imported', 'loaded'], history.join());
  });

  it('keeps one volume per slot: the cartridge found in a slot takes it from a volume the catalog also had there', async () => {
    const slotOf = async (name: string): Promise<number> => (await apiResult<{ volumes: Array<{ slot: number }> }>(burrow, `list volume=${name}`)).volumes[0]?.slot ?? -1;
    const other = volume === 'A00001' ? 'A00002' : 'A00001';
    const [home, otherSlot] = [await slotOf(volume), await slotOf(other)];
    const told = await burrow.console(['release storage=Library drive=0', `update volume=${other} slot=${home}`]);
    assert.equal(told.code, 0, told.stdout);
    assert.equal(await locationOf(other), `Slot ${home} of Storage "Library"`, 'the catalog told by hand');
    const mounted = await burrow.console([`mount storage=Library slot=${home} drive=0`]);
    assert.match(mounted.stdout, new RegExp(`3001 Device .* is mounted with Volume "${volume}"`), mounted.stdout + burrow.logs());
    assert.equal(await locationOf(other), `Slot ${otherSlot} of Storage "Library"`, 'back where the changer lists it');
    assert.equal(await slotOf(volume), home);
  });

  it('label barcodes records a cleaning cartridge (the Pool\'s Cleaning Prefix) as Cleaning in its slot, and never labels it', async () => {
    const full = new Set((await vchanger(lib.library, 'list')).stdout.split('\n').map((l) => Number(l.split(':')[0])));
    const free = [1, 2, 3, 4].find((n) => !full.has(n));
    assert.ok(free !== undefined, 'a free slot');
    assert.equal((await vchanger('insert', lib.library, String(free), 'CLN001')).code, 0);
    const labelled = await burrow.console([`label barcodes storage=Library pool=Tapes slots=${free} yes`], undefined, SLOW_MS);
    assert.match(labelled.stdout, new RegExp(`Catalog record for cleaning tape "CLN001" in Slot ${free} successfully created\\.`), labelled.stdout);
    const cleaning = (await apiResult<{ volumes: Array<{ volstatus: string; slot: number; inchanger: number }> }>(burrow, 'list volume=CLN001')).volumes[0];
    assert.deepEqual([cleaning?.volstatus, cleaning?.slot, cleaning?.inchanger], ['Cleaning', free, 1]);
    assert.equal(statSync(join(lib.library, 'cartridges', 'CLN001')).size, 0, 'not loaded nor labelled: still blank');
  });
});
