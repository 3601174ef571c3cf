/**
 * What the Storage daemon does around its changer (issue 13 section 2, research note 8
 * B11 and B14), end to end with a 2-drive burrow-vchanger library whose Changer Command
 * is a script around burrow-vchanger that logs every call, can hold a load (while a
 * hold file exists) and can answer one load with mtx's "is Empty", as a library whose
 * inventory is out of date does:
 * - a cartridge idle in one drive and wanted in the other is unloaded from the first
 *   before it is loaded into the second;
 * - a load that finds the slot empty does not fail the job, nor put the volume in
 *   Error: it is not in the changer (InChanger = 0) and the job takes the other volume;
 * - a restore whose Director goes away while its cartridge is being loaded leaves the
 *   drive free (no read handle left open keeps it busy): it unmounts, and the same
 *   restore then runs and ends OK.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VCHANGER_JS } from '@burrow/storage-daemon/changers/testing';
import { Burrow, waitFor } from '../harness/daemons.js';
import { changerLibrary, LIBRARY_DIRECTOR_RESOURCES, type ChangerLibrary } from '../harness/changer.js';
import { apiResult } from '../harness/checks.js';
import { JobHolds } from '../harness/holds.js';
import { killDaemon, restartDaemon } from '../harness/kills.js';
import { compareTrees } from '../harness/tree.js';

/** Console calls that wait for jobs: generous, for a loaded machine. */
const SLOW_MS = 180_000;

describe('the Storage daemon around its changer', () => {
  let src: string;
  let work: string;
  let burrow: Burrow;
  let lib: ChangerLibrary;
  let holds: JobHolds;
  let calls: string;
  let emptyOnce: string;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-changerfaults-'));
    work = mkdtempSync(join(tmpdir(), 'burrow-changerfaults-work-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(500 * (i + 1)));
    holds = new JobHolds(join(work, 'holds'));
    calls = join(work, 'calls.log');
    emptyOnce = join(work, 'empty-once');
    // %c %o %S %a %d: $2 the command, $3 the slot, $5 the drive.
    const changer = join(work, 'changer.sh');
    writeFileSync(changer, `#!/bin/sh
echo "$2 $3 $5" >> "${calls}"
if [ "$2" = load ] && [ -e "${emptyOnce}" ]; then rm -f "${emptyOnce}"; echo "mtx: Request Sense: Source Element Address $3 is Empty" >&2; exit 1; fi
if [ "$2" = load ]; then "${holds.script}" "load-$3-$5"; fi
exec "${process.execPath}" "${VCHANGER_JS}" "$@"
`);
    chmodSync(changer, 0o755);
    lib = await changerLibrary({ slots: 3, drives: 2, importExport: 0, barcodes: 'A00001-A00002', changerCommand: `${changer} %c %o %S %a %d` });
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      sdResources: lib.sdResources,
      directorResources: LIBRARY_DIRECTOR_RESOURCES,
    });
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1-2 yes'], undefined, SLOW_MS);
    assert.match(labelled.stdout, /Catalog record for Volume "A00002", Slot 2 successfully created/, labelled.stdout + burrow.logs());
  });
  after(async () => {
    holds?.release();
    await burrow?.stop();
    for (const d of [src, work]) rmSync(d, { recursive: true, force: true });
    lib?.remove();
  });

  /** Both drives released: every cartridge back in its slot. */
  const releaseAll = async (): Promise<void> => {
    await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1']);
    await waitFor(() => lib.inDrive(0) === null && lib.inDrive(1) === null, 30_000, () => `drives hold ${lib.inDrive(0)}, ${lib.inDrive(1)}`);
  };
  /** The changer's load and unload calls from now on, as "load SLOT DRIVE". */
  const movesFrom = (): (() => string[]) => {
    const before = existsSync(calls) ? readFileSync(calls, 'utf8').length : 0;
    return () => readFileSync(calls, 'utf8').slice(before).split('\n').filter((l) => /^(load|unload) /.test(l));
  };
  const volume = async (name: string): Promise<{ volstatus: string; inchanger: number; slot: number }> =>
    (await apiResult<{ volumes: Array<{ volstatus: string; inchanger: number; slot: number }> }>(burrow, `list volume=${name}`)).volumes[0]!;

  it('unloads a cartridge idle in one drive before loading it into the other', async () => {
    await releaseAll();
    const moves = movesFrom();
    assert.match((await burrow.console(['mount storage=Library drive=0 slot=1'], undefined, SLOW_MS)).stdout, /3001 /);
    assert.equal(lib.inDrive(0), 'A00001');
    const mounted = await burrow.console(['mount storage=Library drive=1 slot=1'], undefined, SLOW_MS);
    assert.match(mounted.stdout, /3001 /, mounted.stdout + burrow.logs());
    assert.deepEqual(moves(), ['load 1 0', 'unload 1 0', 'load 1 1']);
    assert.deepEqual([lib.inDrive(0), lib.inDrive(1)], [null, 'A00001']);
  });

  it('takes a cartridge the changer finds missing from its slot as not in the changer, and writes on the other', async () => {
    await releaseAll();
    const moves = movesFrom();
    writeFileSync(emptyOnce, '');
    const r = await burrow.console(['run job=backup-tapes yes', 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout + burrow.logs());
    const [missed, ...rest] = moves();
    const slot = Number(missed?.split(' ')[1]);
    const gone = `A0000${slot}`;
    const used = gone === 'A00001' ? 'A00002' : 'A00001';
    assert.match(r.stdout, new RegExp(`Autochanger Volume "${gone}" not found in slot ${slot}\\.\\n\\s+Setting InChanger to zero in catalog\\.`), r.stdout);
    assert.match(r.stdout, new RegExp(`Volume name\\(s\\):\\s+${used}\\n`), r.stdout);
    assert.ok(rest.some((l) => l.startsWith(`load ${3 - slot} `)), JSON.stringify([missed, ...rest]));
    // Not in Error: it is only out of the changer until the next update slots finds it.
    const out = await volume(gone);
    assert.deepEqual([out.volstatus, out.inchanger], ['Append', 0]);
    await burrow.console(['update slots storage=Library'], undefined, SLOW_MS);
    const back = await volume(gone);
    assert.deepEqual([back.volstatus, back.inchanger, back.slot], ['Append', 1, slot]);
  });

  it('leaves the drive free when the Director goes away while a restore\'s cartridge loads: it unmounts, and the restore runs again', async () => {
    await releaseAll();
    // The loads so far went through the hold script too: only the restore's count.
    for (const name of readdirSync(holds.dir)) if (name.startsWith('at-load-')) rmSync(join(holds.dir, name));
    holds.hold();
    const where = join(work, 'restored');
    const queued = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`]);
    assert.equal(queued.code, 0, queued.stdout);
    // The restore's load, into whichever drive it reserved.
    let drive = -1;
    await waitFor(() => {
      drive = [0, 1].find((d) => [1, 2].some((slot) => holds.reached(`load-${slot}`, d))) ?? -1;
      return drive >= 0;
    }, 60_000, () => `the restore never loaded its cartridge\n${burrow.logs()}`);
    await killDaemon(burrow, 'dir');
    holds.release();
    await waitFor(() => lib.inDrive(drive) !== null, 30_000, () => `the load did not finish\n${burrow.logs()}`);
    await restartDaemon(burrow, 'dir');

    // The session is over once the drive is free; a read handle left open would keep it busy for good.
    const unmounted = new RegExp(`3002 Device "Drive${drive}" .* unmounted\\.`);
    let reply = '';
    for (const deadline = Date.now() + 30_000; !unmounted.test(reply) && Date.now() < deadline; await sleep(500)) {
      reply = (await burrow.console([`unmount storage=Library drive=${drive}`])).stdout;
    }
    assert.match(reply, unmounted, `the drive stays busy: ${reply}\n${burrow.logs()}`);
    await burrow.console([`mount storage=Library drive=${drive}`]);
    const again = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages'], undefined, SLOW_MS);
    assert.match(again.stdout, /Termination:\s+Restore OK\n/, again.stdout + burrow.logs());
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });
});
