/**
 * VolFiles against the tape (issue 13, research note section 8 C17, Bareos's
 * is_eod_valid) on a burrow-vchanger library with the real daemons. VolFiles counts a
 * tape's files as Bareos does (its filemarks: the label's tape file, then each job's
 * tape files, Maximum File Size pieces included), so the catalog and the cartridge can
 * be compared whenever a job mounts a volume to append:
 * - the tape holds more files than the catalog counts (here the catalog restored from a
 *   copy older than the tape): the catalog is corrected, with a warning in the job log;
 * - the tape holds fewer (here an older copy of the cartridge put in its place: data the
 *   catalog counts is gone): nothing is written on it, the volume goes to Error, and the
 *   job takes the other cartridge and ends OK. `update volume= nextwrite=` repairs such
 *   a volume (next-write.test.ts).
 * bscan rebuilds the same count from the cartridges. And a label that fails on a tape (research note 8 D22: an empty slot, a cartridge
 * labelled as another volume, a load the changer fails, a write-protected cartridge)
 * leaves no Media record.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cartridgeEntries, VirtualTape, VTAPE_FLAG_WRITE_PROTECTED } from '@burrow/storage-daemon/devices/tape/vtape';
import { openSqliteCatalog } from '@burrow/director/catalog/index';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { runTool } from '../harness/recovery.js';
import { changerLibrary, LIBRARY_DIRECTOR_RESOURCES, vchanger, type ChangerLibrary } from '../harness/changer.js';
import { apiResult } from '../harness/checks.js';

/** Console calls that wait for jobs: generous, for a loaded machine. */
const SLOW_MS = 180_000;

describe('VolFiles and the tape', () => {
  let src: string;
  let saved: string;
  let burrow: Burrow;
  let lib: ChangerLibrary;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-tapefiles-'));
    saved = mkdtempSync(join(tmpdir(), 'burrow-tapefiles-saved-'));
    lib = await changerLibrary({ slots: 4, drives: 1, importExport: 0, barcodes: 'A00001-A00003', deviceMore: 'Maximum File Size = 128k' });
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      sdResources: lib.sdResources,
      directorResources: LIBRARY_DIRECTOR_RESOURCES,
    });
  });
  after(async () => {
    await burrow?.stop();
    for (const d of [src, saved]) rmSync(d, { recursive: true, force: true });
    lib?.remove();
  });

  const cartridge = (barcode: string): string => join(lib.library, 'cartridges', barcode);
  const filemarks = (barcode: string): number => cartridgeEntries(readFileSync(cartridge(barcode))).filter((e) => e === null).length;
  const volume = async (name: string): Promise<{ volfiles: number; volstatus: string }> =>
    (await apiResult<{ volumes: Array<{ volfiles: number; volstatus: string }> }>(burrow, `list volume=${name}`)).volumes[0]!;
  /** A Full of the tree with a new file of 300 kB (three or more tape files of 128k); its job log. */
  const backup = async (n: number, termination = /Termination:\s+Backup OK\n/): Promise<string> => {
    writeFileSync(join(src, `data-${n}.bin`), randomBytes(300_000));
    const r = await burrow.console(['run job=backup-tapes yes', 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(r.stdout, termination, r.stdout + burrow.logs());
    return r.stdout;
  };
  const catalogFile = (): string => join(burrow.directorWorkDir, 'bacula.db');
  const restartDirector = async (between: () => void): Promise<void> => {
    await burrow.stopNamed('dir');
    between();
    await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);
  };

  it('counts the tape\'s files; corrects a catalog that counts fewer, and puts a tape that holds fewer in Error and writes on another', async () => {
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1-2 yes'], undefined, SLOW_MS);
    assert.match(labelled.stdout, /Catalog record for Volume "A00002", Slot 2 successfully created/, labelled.stdout + burrow.logs());
    for (const name of ['A00001', 'A00002']) assert.equal((await volume(name)).volfiles, 1, 'a label is a tape file of its own');

    const first = await backup(1);
    // The cartridge the job wrote on (the one left in the drive), and the other.
    const written = /Volume name\(s\):\s+(A0000[12])\n/.exec(first)?.[1];
    assert.ok(written, first);
    const other = written === 'A00001' ? 'A00002' : 'A00001';
    const afterFirst = filemarks(written);
    assert.ok(afterFirst >= 4, `the label's tape file and the job's 128k pieces: ${afterFirst}`);
    assert.equal((await volume(written)).volfiles, afterFirst, 'VolFiles is the filemarks on the tape');
    // The catalog as it is now, and the cartridge as it is now, for later.
    await restartDirector(() => {
      for (const suffix of ['', '-wal']) if (existsSync(`${catalogFile()}${suffix}`)) copyFileSync(`${catalogFile()}${suffix}`, join(saved, `catalog.db${suffix}`));
    });
    copyFileSync(cartridge(written), join(saved, written));

    const second = await backup(2);
    assert.match(second, new RegExp(`Volume "${written}" previously written, moving to end of data at ${afterFirst * 2 ** 32}\\.`), second);
    const afterSecond = filemarks(written);
    assert.ok(afterSecond > afterFirst + 2, `${afterSecond}`);
    assert.equal((await volume(written)).volfiles, afterSecond);
    assert.doesNotMatch(second, /files mismatch/);

    // The catalog restored from the copy made after the first job: the tape holds more files than it counts.
    await restartDirector(() => {
      for (const suffix of ['-wal', '-shm']) rmSync(`${catalogFile()}${suffix}`, { force: true });
      for (const suffix of ['', '-wal']) if (existsSync(join(saved, `catalog.db${suffix}`))) copyFileSync(join(saved, `catalog.db${suffix}`), `${catalogFile()}${suffix}`);
    });
    assert.equal((await volume(written)).volfiles, afterFirst);
    const third = await backup(3, /Termination:\s+Backup OK -- with warnings\n/);
    assert.match(third, new RegExp(`Warning: For Volume "${written}": the number of files mismatch! Volume=${afterSecond} Catalog=${afterFirst}\\. `
      + `The tape holds data the catalog does not count: correcting the catalog \\(VolFiles=${afterSecond}\\)\\.`), third);
    assert.match(third, new RegExp(`Volume name\\(s\\):\\s+${written}\n`), 'and the job appends to it');
    const afterThird = filemarks(written);
    assert.equal((await volume(written)).volfiles, afterThird);

    // The older copy of the cartridge in its place: the catalog counts files the tape does not hold.
    const released = await burrow.console(['release storage=Library drive=0']);
    assert.equal(released.code, 0, released.stdout + burrow.logs());
    copyFileSync(join(saved, written), cartridge(written));
    const fourth = await backup(4, /Termination:\s+Backup OK -- with warnings\n/);
    assert.match(fourth, new RegExp(`Volume "${written}" cannot be used: Device "Drive0" \\([^)]*\\): the number of files mismatch! Volume=${afterFirst} Catalog=${afterThird}: `
      + `the data of Volume "${written}" ends in tape file ${afterFirst}, before data the catalog counts \\(update volume=${written} nextwrite= repairs it\\)\\. Marking Volume "${written}" in Error in Catalog\\.`), fourth);
    assert.match(fourth, new RegExp(`Volume name\\(s\\):\\s+${other}\n`), 'the job wrote on the other cartridge');
    const refused = await volume(written);
    assert.deepEqual([refused.volstatus, refused.volfiles], ['Error', afterThird], 'in Error, its count kept for the repair');
    assert.ok(readFileSync(cartridge(written)).equals(readFileSync(join(saved, written))), 'nothing was written on the refused tape');
    assert.equal((await volume(other)).volfiles, filemarks(other));

    // bscan -m rebuilds the same count from the cartridges alone (out of the drive, and the Director stopped while bscan writes its catalog).
    assert.equal((await burrow.console(['release storage=Library drive=0'])).code, 0);
    await burrow.stopNamed('dir');
    const cartridges = join(lib.library, 'cartridges');
    // Job 1's JobMedia rows, one per tape file its data is in (Maximum File Size), as the job wrote them; rebuilt the same from its cartridge into an empty catalog.
    const rowsOf = async (): Promise<unknown[]> => {
      const c = openSqliteCatalog(catalogFile());
      try {
        return (await c.listJobMedia(1)).map((m) => [m.volumeName, m.volIndex, m.firstIndex, m.lastIndex, m.startAddr, m.endAddr]);
      } finally {
        c.close();
      }
    };
    const rows = await rowsOf();
    assert.ok(rows.length >= 3, JSON.stringify(rows));
    const moved = join(saved, 'current');
    mkdirSync(moved);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${catalogFile()}${suffix}`)) renameSync(`${catalogFile()}${suffix}`, join(moved, `catalog.db${suffix}`));
    const fresh = runTool(BIN.bscan, ['-s', '-c', burrow.configs.dir, '-V', written, cartridges]);
    assert.equal(fresh.code, 0, `${fresh.stdout}\n${fresh.stderr}`);
    assert.deepEqual(await rowsOf(), rows, 'bscan writes a row per tape file, as the job did');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${catalogFile()}${suffix}`, { force: true });
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(join(moved, `catalog.db${suffix}`))) renameSync(join(moved, `catalog.db${suffix}`), `${catalogFile()}${suffix}`);

    const scan = runTool(BIN.bscan, ['-s', '-m', '-v', '-c', burrow.configs.dir, '-V', `${written}|${other}`, cartridges]);
    assert.equal(scan.code, 0, `${scan.stdout}\n${scan.stderr}`);
    assert.match(scan.stdout, new RegExp(`Updated Media record for Volume "${written}": .*VolFiles ${afterFirst}`), scan.stdout);
    const catalog = openSqliteCatalog(catalogFile());
    try {
      for (const name of [written, other]) assert.equal((await catalog.getMediaByName(name))?.volFiles, filemarks(name), name);
    } finally {
      catalog.close();
    }
    await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);
  });
  it('leaves no Media record when the label fails: an empty slot, another volume\'s cartridge, a failed load, a write-protected cartridge', async () => {
    const notInCatalog = async (name: string): Promise<void> => {
      assert.match((await burrow.console([`list volume=${name}`])).stdout, new RegExp(`Volume "${name}" not found in catalog\\.`));
    };
    const label = async (name: string, slot: number, refused: RegExp): Promise<void> => {
      const r = await burrow.console([`label storage=Library volume=${name} pool=Tapes slot=${slot} drive=0`], undefined, SLOW_MS);
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stdout, refused, r.stdout + burrow.logs());
      await notInCatalog(name);
    };
    await label('EMPTY-1', 4, /3992 Bad autochanger "load slot 4, drive 0": ERR=slot 4 is empty\./);
    await label('OTHER-1', 1, /is already labelled "A0000\d"/);
    assert.equal((await vchanger('fault', lib.library, 'fail', 'load')).code, 0);
    await label('A00003', 3, /3992 Bad autochanger "load slot 3, drive 0": ERR=Child exited with code 1\./);
    assert.equal((await vchanger('fault', lib.library, 'clear')).code, 0);

    // A blank cartridge with its write-protect tab set: the drive refuses the label.
    const blank = await VirtualTape.open(cartridge('A00003'));
    await blank.close();
    const protectedTab = (on: boolean): void => {
      const bytes = readFileSync(cartridge('A00003'));
      bytes.writeUInt16LE(on ? bytes.readUInt16LE(10) | VTAPE_FLAG_WRITE_PROTECTED : bytes.readUInt16LE(10) & ~VTAPE_FLAG_WRITE_PROTECTED, 10);
      writeFileSync(cartridge('A00003'), bytes);
    };
    protectedTab(true);
    await label('A00003', 3, /cannot label Volume "A00003": the cartridge is write-protected/);
    // The tab off, the same label goes through.
    protectedTab(false);
    const ok = await burrow.console(['label storage=Library volume=A00003 pool=Tapes slot=3 drive=0'], undefined, SLOW_MS);
    assert.match(ok.stdout, /Catalog record for Volume "A00003", Slot 3 successfully created\./, ok.stdout + burrow.logs());
  });
});
