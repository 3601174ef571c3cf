/**
 * The operator and an autochanger on the real daemons (issue 13, section 2):
 * burrow-vchanger with two drives and six slots (the last an import/export slot) behind
 * a Director Storage with Auto Changer = yes.
 * - A job whose volume's cartridge was taken out of the library waits for it (status
 *   M, not a volume in Error): the SD says it is not in the changer, the catalog's
 *   InChanger goes to 0, and the operator is asked through the mount Messages
 *   destination (bsmtp) for the cartridge, with its last known slot; once it is put in
 *   through the mail slot and `update slots` is run, the job goes on and ends OK.
 * - Volume choice takes the volumes in the changer first (Bareos's InChanger order),
 *   even over a more recently written one that is out of it.
 * - export, import and move carry cartridges through the mail slot and keep the
 *   catalog in step; `mount slot= drive=` loads a slot for a waiting job, or on an idle
 *   drive and answers with the volume it mounted.
 * - Two backups at once write on the two drives, and a restore reads one cartridge
 *   while a backup writes another: all end OK, the restore exact.
 * - A restore whose cartridge was exported waits for it (status M, "Please mount read
 *   Volume" with its last slot) and ends OK once it is imported; so does one whose
 *   cartridge was taken out by hand while the catalog still had it in the changer (the
 *   SD finds it in no slot and waits on its drive, asking again after a mount).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpTestServer } from '@burrow/director/tools/bsmtp/testing';
import { Burrow } from '../harness/daemons.js';
import { changerLibrary, libraryStorage, vchanger, type ChangerLibrary } from '../harness/changer.js';
import { BINDIR } from '../harness/paths.js';
import { compareTrees } from '../harness/tree.js';

/** Console calls that wait for jobs, and waits for log lines: generous, for a loaded machine (the fast path does not wait longer). */
const SLOW_MS = 180_000;

describe('an autochanger and its operator', () => {
  let src: string;
  let smtp: SmtpTestServer;
  let burrow: Burrow;
  let lib: ChangerLibrary;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-changer-op-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(200 * (i + 1)));
    smtp = await SmtpTestServer.start();
    lib = await changerLibrary({ slots: 6, drives: 2, importExport: 1, barcodes: 'A00001-A00004' });
    const job = (name: string, pool: string): string =>
      `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = ${pool}; Messages = Operator }\n`;
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      sdResources: lib.sdResources,
      clientDirectives: ['Maximum Concurrent Jobs = 4'],
      directorResources: `${libraryStorage('Auto Changer = yes; Maximum Concurrent Jobs = 4')}
Pool { Name = Tapes; Pool Type = Backup }
Pool { Name = Offsite; Pool Type = Backup }
Messages { Name = Operator; Console = all; Catalog = all; Append = "@WORKDIR@/log" = all
  Operator Command = "${BINDIR}/bsmtp -h 127.0.0.1:${smtp.port} -f \\"\\(Bareos\\) \\<%r\\>\\" -s \\"Bareos: Intervention needed for %j\\" %r"
  Operator = operator@localhost = mount }
${job('backup-tapes', 'Tapes')}${job('backup-offsite', 'Offsite')}`,
    });
  });
  after(async () => {
    await burrow?.stop();
    await smtp?.close();
    rmSync(src, { recursive: true, force: true });
    lib?.remove();
  });

  const jobStatus = async (id: number): Promise<string | undefined> =>
    /jobstatus: (\w)\n/.exec((await burrow.console([`llist jobid=${id}`])).stdout)?.[1];
  /** The volume's catalog record as `.api json` gives it. */
  const volume = async (name: string): Promise<string> => (await burrow.console(['.api json', `list volume=${name}`])).stdout;

  it('waits for a cartridge taken out of the library, names it and its slot, and goes on after it is put back and update slots', async () => {
    const labelled = await burrow.console(['label storage=Library volume=A00003 pool=Offsite slot=3 drive=0', 'release storage=Library drive=0']);
    assert.match(labelled.stdout, /Catalog record for Volume "A00003", Slot 3 successfully created/, labelled.stdout + burrow.logs());
    // Out through the mail slot, without update slots: the catalog still has it in Slot 3.
    assert.equal((await vchanger(lib.library, 'transfer', '3', '6')).code, 0);
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, 'A00003\n');

    assert.equal((await burrow.console(['run job=backup-offsite yes'])).code, 0);
    await burrow.untilLogged(/JobId 1: Autochanger Volume "A00003" not found in slot 3\.\n {4}Setting InChanger to zero in catalog\./, SLOW_MS);
    await burrow.untilLogged(/JobId 1: Please mount append Volume "A00003" or label a new one for:\n {4}Job: {10}backup-offsite\.\S+\n {4}Storage: {6}"Drive\d" \(\S+\)\n {4}Pool: {9}Offsite\n {4}Media type: {3}LTO\n {4}Location: {5}last seen in Slot 3 of Storage "Library"/, SLOW_MS);
    const mail = (await smtp.mail(1)).data.toString('utf8');
    assert.match(mail, /Please mount append Volume "A00003"/, mail);
    assert.match(mail, /Location: {5}last seen in Slot 3 of Storage "Library"/, mail);
    const waiting = await burrow.console(['llist jobid=1', 'status storage=Library']);
    assert.match(waiting.stdout, /jobstatus: M\n/, waiting.stdout);
    assert.match(waiting.stdout, /JobId=1 wants Volume "A00003"/, waiting.stdout);
    const out = await volume('A00003');
    assert.match(out, /"inchanger":\s*0/, out);
    assert.match(out, /"volstatus":\s*"Append"/, 'waited for, not put in Error');

    // The operator puts it back through the mail slot; update slots finds it, and the job goes on.
    assert.equal((await vchanger('insert', lib.library, '6', 'A00003')).code, 0);
    assert.equal((await vchanger(lib.library, 'transfer', '6', '5')).code, 0);
    const slots = await burrow.console(['update slots storage=Library']);
    assert.match(slots.stdout, /Catalog record for Volume "A00003" updated to reference slot 5\./, slots.stdout);
    const done = await burrow.console(['wait jobid=1', 'llist jobid=1'], undefined, SLOW_MS);
    assert.match(done.stdout, /jobstatus: T\n/, done.stdout + burrow.jobLog() + burrow.logs());
    assert.match(burrow.jobLog(), /JobId 1: .*Volume name\(s\):\s+A00003\n/s);
    const back = await volume('A00003');
    assert.match(back, /"inchanger":\s*1/, back);
    assert.match(back, /"slot":\s*5/, back);
  });

  it('chooses a volume in the changer before a more recently written one out of it', async () => {
    for (const slot of [1, 2]) {
      const r = await burrow.console([`label storage=Library volume=A0000${slot} pool=Tapes slot=${slot} drive=1`]);
      assert.match(r.stdout, new RegExp(`Slot ${slot} successfully created`), r.stdout);
    }
    const first = await burrow.console(['run job=backup-tapes yes', 'wait jobid=2', 'llist jobid=2'], undefined, SLOW_MS);
    assert.match(first.stdout, /jobstatus: T\n/, first.stdout + burrow.jobLog());
    const written = /JobId 2: .*Volume name\(s\):\s+(A0000[12])\n/s.exec(burrow.jobLog())?.[1];
    assert.ok(written, burrow.jobLog());
    const [home, other] = written === 'A00001' ? ['1', 'A00002'] : ['2', 'A00001'];
    // The volume just written, first in Bareos's order, leaves the library; the other is chosen, not waited for.
    assert.equal((await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1'])).code, 0);
    assert.equal((await vchanger(lib.library, 'transfer', home, '6')).code, 0);
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, `${written}\n`);
    const out = await burrow.console(['update slots storage=Library']);
    assert.match(out.stdout, new RegExp(`Volume "${written}" is no longer in the changer \\(it was in Slot ${home}\\): InChanger set to zero\\.`), out.stdout);
    const second = await burrow.console(['run job=backup-tapes yes', 'wait jobid=3', 'llist jobid=3'], undefined, SLOW_MS);
    assert.match(second.stdout, /jobstatus: T\n/, second.stdout + burrow.jobLog());
    assert.match(burrow.jobLog(), new RegExp(`JobId 3: .*Volume name\\(s\\):\\s+${other}\\n`, 's'));
  });

  it('export, import and move carry cartridges through the mail slot; mount slot= loads one for a waiting job, or an idle drive', async () => {
    const exported = await burrow.console(['export storage=Library volume=A00003']);
    assert.match(exported.stdout, /3308 Successfully transfered volume from slot 5 to 6\./, exported.stdout + burrow.logs());
    assert.match(exported.stdout, /Volume "A00003" is no longer in the changer \(it was in Slot 5\): InChanger set to zero\./);
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, 'A00003\n');

    // The catalog knows it is out: the job waits for it at once, naming where it was.
    assert.equal((await burrow.console(['run job=backup-offsite yes'])).code, 0);
    // Exported: its last place is the import/export slot it went out through (docs/cartridges.md).
    await burrow.untilLogged(/JobId 4: Please mount append Volume "A00003" or label a new one for:\n[^]*Location: {5}last seen in Import\/Export Slot 6 of Storage "Library"/, SLOW_MS);
    const drive = /JobId 4: Using Device "Drive(\d)" to write\./.exec(burrow.jobLog())?.[1];
    assert.ok(drive !== undefined, burrow.jobLog());
    // Put back by hand into slot 3, the catalog not told: mount slot= has the changer load it for the job.
    assert.equal((await vchanger('insert', lib.library, '6', 'A00003')).code, 0);
    assert.equal((await vchanger(lib.library, 'transfer', '6', '3')).code, 0);
    const mounted = await burrow.console([`mount storage=Library slot=3 drive=${drive}`, 'wait jobid=4', 'llist jobid=4'], undefined, SLOW_MS);
    assert.match(mounted.stdout, new RegExp(`3001 OK mount requested\\. Device="Drive${drive}"`), mounted.stdout);
    assert.match(mounted.stdout, /jobstatus: T\n/, mounted.stdout + burrow.jobLog());
    assert.match(burrow.jobLog(), /JobId 4: .*Volume name\(s\):\s+A00003\n/s);
    const record = await volume('A00003');
    assert.match(record, /"slot":\s*3\b/, `mount slot= told the catalog where the cartridge is: ${record}`);
    assert.match(record, /"inchanger":\s*1/);

    assert.equal((await vchanger('insert', lib.library, '6', 'B00001')).code, 0);
    const imported = await burrow.console(['import storage=Library']);
    const into = /3308 Successfully transfered volume from slot 6 to (\d)\./.exec(imported.stdout)?.[1];
    assert.ok(into !== undefined, imported.stdout);
    assert.match(imported.stdout, new RegExp(`Volume "B00001" in Slot ${into} is not in the catalog`));
    const free = emptySlots((await vchanger(lib.library, 'listall')).stdout);
    assert.ok(free.length > 0);
    const moved = await burrow.console([`move storage=Library srcslots=${into} dstslots=${free[0]}`, `move storage=Library srcslots=${into}`]);
    assert.match(moved.stdout, new RegExp(`3308 Successfully transfered volume from slot ${into} to ${free[0]}\\.`), moved.stdout);
    assert.match(moved.stdout, /Cannot perform a move operation without source and\/or destination selection/);
    assert.match((await vchanger(lib.library, 'list')).stdout, new RegExp(`^${free[0]}:B00001$`, 'm'));

    const idle = await burrow.console(['unmount storage=Library drive=1', `mount storage=Library slot=${free[0]} drive=1`, 'mount storage=Library slot=3 drive=1']);
    assert.match(idle.stdout, /3905 Device "Drive1" \(\S+\) open but no Burrow volume is mounted\./, idle.stdout);
    assert.match(idle.stdout, /3001 Device "Drive1" \(\S+\) is mounted with Volume "A00003"/);
    assert.equal(lib.inDrive(1), 'A00003');
  });

  it('two jobs at once write on the two drives; a restore reads while a backup writes; all end OK', async () => {
    await burrow.console(['run job=backup-offsite yes', 'run job=backup-tapes yes', 'wait'], undefined, SLOW_MS);
    assert.equal(await jobStatus(5), 'T', burrow.jobLog());
    assert.equal(await jobStatus(6), 'T', burrow.jobLog());
    const used = (id: number): string | undefined => new RegExp(`JobId ${id}: Using Device "(Drive\\d)" to write\\.`).exec(burrow.jobLog())?.[1];
    assert.notEqual(used(5), used(6), `each job on its own drive:\n${burrow.jobLog()}`);

    const where = join(burrow.dir, 'restored-4');
    await burrow.console([`restore client=test-fd jobid=4 storage=Library all yes where=${where}`, 'run job=backup-tapes yes', 'wait'], undefined, SLOW_MS);
    assert.equal(await jobStatus(7), 'T', burrow.jobLog() + burrow.logs());
    assert.equal(await jobStatus(8), 'T', burrow.jobLog());
    assert.match(burrow.jobLog(), /JobId 7: Start Restore Job/);
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });

  it('a restore whose cartridge is out of the library waits for it, asks for it by name and place, and ends OK once it is imported', async () => {
    const exported = await burrow.console(['export storage=Library volume=A00003']);
    const from = /3308 Successfully transfered volume from slot (\d) to 6\./.exec(exported.stdout)?.[1];
    assert.ok(from !== undefined, exported.stdout + burrow.logs());
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, 'A00003\n');
    const where = join(burrow.dir, 'restored-wait');
    assert.equal((await burrow.console([`restore client=test-fd jobid=4 storage=Library all yes where=${where}`])).code, 0);
    await burrow.untilLogged(new RegExp(`JobId 9: Please mount read Volume "A00003" for:\\n {4}Job: {10}\\S+\\n {4}Storage: {6}"Library"\\n {4}Pool: {9}Offsite\\n {4}Media type: {3}LTO\\n {4}Location: {5}last seen in Import/Export Slot 6 of Storage "Library"`), SLOW_MS);
    assert.equal(await jobStatus(9), 'M');

    assert.equal((await vchanger('insert', lib.library, '6', 'A00003')).code, 0);
    const imported = await burrow.console(['import storage=Library', 'wait jobid=9'], undefined, SLOW_MS);
    assert.match(imported.stdout, /Catalog record for Volume "A00003" updated to reference slot \d\./, imported.stdout);
    assert.equal(await jobStatus(9), 'T', burrow.jobLog() + burrow.logs());
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });

  it('a restore whose cartridge was taken out by hand, the catalog not told, waits on its drive, asks again after a mount, and ends OK once it is imported', async () => {
    // The drives give their cartridges back; then A00003 leaves through the mail slot without update slots.
    await burrow.console(['release storage=Library drive=0', 'release storage=Library drive=1']);
    const home = /^(\d+):A00003$/m.exec((await vchanger(lib.library, 'list')).stdout)?.[1];
    assert.ok(home !== undefined);
    assert.equal((await vchanger(lib.library, 'transfer', home, '6')).code, 0);
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, 'A00003\n');
    assert.match(await volume('A00003'), /"inchanger":\s*1/, 'the catalog still has it in the changer');

    const where = join(burrow.dir, 'restored-by-hand');
    assert.equal((await burrow.console([`restore client=test-fd jobid=4 storage=Library all yes where=${where}`])).code, 0);
    await burrow.untilLogged(new RegExp(`JobId 10: Autochanger Volume "A00003" not found in slot ${home}\\.\\n {4}Setting InChanger to zero in catalog\\.`), SLOW_MS);
    const asked = new RegExp(`JobId 10: Please mount read Volume "A00003" for:\\n {4}Job: {10}\\S+\\n {4}Storage: {6}"Drive(\\d)" \\(\\S+\\)\\n {4}Pool: {9}Offsite\\n {4}Media type: {3}LTO\\n {4}Location: {5}last seen in Slot ${home} of Storage "Library"`);
    await burrow.untilLogged(asked, SLOW_MS);
    const drive = asked.exec(burrow.jobLog())?.[1];
    assert.ok(drive !== undefined, burrow.jobLog());
    const waiting = await burrow.console(['llist jobid=10', 'status storage=Library']);
    assert.match(waiting.stdout, /jobstatus: M\n/, waiting.stdout);
    assert.match(waiting.stdout, /JobId=10 wants Volume "A00003" to read/);
    assert.match(await volume('A00003'), /"inchanger":\s*0/);

    // A mount that does not bring it: the operator is asked again (Bareos repeats its request after a mount).
    const mounted = await burrow.console([`mount storage=Library drive=${drive}`]);
    assert.match(mounted.stdout, new RegExp(`3001 OK mount requested\\. Device="Drive${drive}"`), mounted.stdout);
    await burrow.untilLogged(/JobId 10: Please mount read Volume "A00003"[^]*JobId 10: Please mount read Volume "A00003"/, SLOW_MS);

    assert.equal((await vchanger('insert', lib.library, '6', 'A00003')).code, 0);
    const imported = await burrow.console(['import storage=Library', 'wait jobid=10'], undefined, SLOW_MS);
    assert.match(imported.stdout, /Catalog record for Volume "A00003" updated to reference slot \d\./, imported.stdout);
    assert.equal(await jobStatus(10), 'T', burrow.jobLog() + burrow.logs());
    assert.match(burrow.jobLog(), new RegExp(`JobId 10: Ready to read from volume "A00003" on device "Drive${drive}"`));
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });
});

/** The normal slots of a listall that are empty and whose cartridge is in no drive. */
function emptySlots(listall: string): number[] {
  const homes = new Set([...listall.matchAll(/^D:\d+:F:(\d+):/gm)].map((m) => Number(m[1])));
  return [...listall.matchAll(/^S:(\d+):E$/gm)].map((m) => Number(m[1])).filter((n) => !homes.has(n));
}
