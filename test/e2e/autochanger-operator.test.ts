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

  /** The volume's catalog record as `.api json` gives it. */
  const volume = async (name: string): Promise<string> => (await burrow.console(['.api json', `list volume=${name}`])).stdout;

  it('waits for a cartridge taken out of the library, names it and its slot, and goes on after it is put back and update slots', async () => {
    const labelled = await burrow.console(['label storage=Library volume=A00003 pool=Offsite slot=3 drive=0', 'release storage=Library drive=0']);
    assert.match(labelled.stdout, /Catalog record for Volume "A00003", Slot 3 successfully created/, labelled.stdout + burrow.logs());
    // Out through the mail slot, without update slots: the catalog still has it in Slot 3.
    assert.equal((await vchanger(lib.library, 'transfer', '3', '6')).code, 0);
    assert.equal((await vchanger('remove', lib.library, '6')).stdout, 'A00003\n');

    assert.equal((await burrow.console(['run job=backup-offsite yes'])).code, 0);
    await burrow.untilLogged(/JobId 1: Autochanger Volume "A00003" not found in slot 3\.\n {4}Setting InChanger to zero in catalog\./);
    await burrow.untilLogged(/JobId 1: Please mount append Volume "A00003" or label a new one for:\n {4}Job: {10}backup-offsite\.\S+\n {4}Storage: {6}"Drive\d" \(\S+\)\n {4}Pool: {9}Offsite\n {4}Media type: {3}LTO\n {4}Location: {5}last seen in Slot 3 of Storage "Library"/);
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
    const done = await burrow.console(['wait jobid=1', 'llist jobid=1']);
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
    const first = await burrow.console(['run job=backup-tapes yes', 'wait jobid=2', 'llist jobid=2']);
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
    const second = await burrow.console(['run job=backup-tapes yes', 'wait jobid=3', 'llist jobid=3']);
    assert.match(second.stdout, /jobstatus: T\n/, second.stdout + burrow.jobLog());
    assert.match(burrow.jobLog(), new RegExp(`JobId 3: .*Volume name\\(s\\):\\s+${other}\\n`, 's'));
  });
});
