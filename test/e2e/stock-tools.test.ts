/**
 * The tools Bareos's stock configuration calls, run by the real Director: mail through
 * Burrow's bsmtp (to an SMTP server in the test) with the stock Mail Command, and the
 * stock BackupCatalog job with make_catalog_backup.pl / delete_catalog_backup, whose
 * saved dump, restored and loaded, is a working catalog again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpTestServer } from '@burrow/director/tools/bsmtp/testing';
import { Burrow, runProcess } from '../harness/daemons.js';
import { BINDIR, SCRIPTDIR } from '../harness/paths.js';

function sourceTree(t: { after: (fn: () => void) => void }): string {
  const src = mkdtempSync(join(tmpdir(), 'burrow-stock-'));
  writeFileSync(join(src, 'notes.txt'), 'saved before the catalog was\n');
  writeFileSync(join(src, 'data.bin'), randomBytes(300_000));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  return src;
}

test('stock Mail Command through bsmtp: the job report is mailed; with no mail server the job log says the mail failed', async (t) => {
  const src = sourceTree(t);
  const smtp = await SmtpTestServer.start();
  t.after(() => smtp.close());
  // Bareos's stock Standard Messages, with @bindir@ and @smtp_host@ filled in.
  const burrow = await Burrow.start({
    include: [src],
    directorResources: `
Messages { Name = Mailed
  mailcommand = "${BINDIR}/bsmtp -h 127.0.0.1:${smtp.port} -f \\"\\(Bareos\\) \\<%r\\>\\" -s \\"Bareos: %t %e of %c %l\\" %r"
  mail = root@localhost = all, !skipped
  catalog = all }
Job { Name = mailed; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Mailed }`,
  });
  t.after(() => burrow.stop());

  const first = await burrow.console(['run job=mailed yes', 'wait']);
  assert.equal(first.code, 0, first.stdout + burrow.logs());
  const mail = await smtp.mail();
  assert.equal(mail.from, 'root@localhost');
  assert.deepEqual(mail.to, ['root@localhost']);
  const text = mail.data.toString('utf8');
  assert.match(text, /^From: \(Bareos\) <root@localhost>\r\n/m);
  assert.match(text, /^Subject: Bareos: Backup OK of test-fd Full\r\n/m);
  assert.match(text, /^\s*Termination:\s+Backup OK\r$/m);

  await smtp.close();
  const second = await burrow.console(['run job=mailed yes', 'wait']);
  assert.equal(second.code, 0, second.stdout);
  // A job is over (for `wait`) once its mail is sent or has failed.
  const joblog = (await burrow.console(['list joblog jobid=2'])).stdout;
  assert.match(joblog, /Error: Mail program terminated in error\.\nCMD=\S+\/bsmtp -h 127\.0\.0\.1:\d+ -f "\(Bareos\) <root@localhost>" -s "Bareos: Backup OK of test-fd Full" root@localhost\nERR=exit status 1\nMail prog: bsmtp: Failed to connect to mailhost 127\.0\.0\.1:\d+/);
  const messages = await burrow.console(['messages']);
  assert.match(messages.stdout, /Mail program terminated in error/);
  assert.match(burrow.logs(), /Messages \\"Mailed\\" mail: .* failed \(exit status 1\)/);
});

test('stock BackupCatalog: make_catalog_backup.pl and delete_catalog_backup around it, and its dump restored and loaded is a working catalog', async (t) => {
  const src = sourceTree(t);
  // Bareos's stock Catalog FileSet and BackupCatalog job, @scriptdir@ and @working_dir@/@db_name@ filled in.
  const burrow = await Burrow.start({
    include: [src],
    directorResources: `
FileSet { Name = "Catalog"
  Include { Options { signature = MD5 }
    File = "@WORKDIR@/bacula.sql" } }
Job { Name = "BackupCatalog"; Type = Backup; Level = Full; Client = test-fd; FileSet = "Catalog"; Storage = File; Pool = Full; Messages = Standard
  RunBeforeJob = "${SCRIPTDIR}/make_catalog_backup.pl MyCatalog"
  RunAfterJob  = "${SCRIPTDIR}/delete_catalog_backup"
  Priority = 11 }`,
  });
  t.after(() => burrow.stop());
  const work = burrow.directorWorkDir;
  const dump = join(work, 'bacula.sql');

  const saved = await burrow.console(['run job=backup-test yes', 'wait', 'run job=BackupCatalog yes', 'wait', 'list joblog jobid=2']);
  assert.equal(saved.code, 0, saved.stdout + burrow.logs());
  assert.match(saved.stdout, /BeforeJob: make_catalog_backup: catalog "MyCatalog" \(\S+bacula\.db\) dumped to \S+bacula\.sql: \d+ tables, \d+ rows, \d+ bytes/);
  assert.match(saved.stdout, /AfterJob: delete_catalog_backup: removed \S+bacula\.sql/);
  assert.match(saved.stdout, /Termination:\s+Backup OK\n/);
  assert.equal(existsSync(dump), false, 'the dump is deleted after the job');
  const jobOne = (await burrow.console(['llist jobid=1'])).stdout;

  // The runbook: restore the dump, stop the Director, put the old catalog aside, load, start again.
  const restored = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd jobid=2 file=${dump} yes where=${restored}`, 'wait']);
  assert.equal(restore.code, 0, restore.stdout + burrow.logs());
  await burrow.stopNamed('dir');
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(join(work, `bacula.db${suffix}`))) renameSync(join(work, `bacula.db${suffix}`), join(work, `lost.db${suffix}`));
  }
  const load = await runProcess(join(SCRIPTDIR, 'load_catalog_backup'), ['-c', burrow.configs.dir, 'MyCatalog', join(restored, dump)], '', 30_000);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stdout, /load_catalog_backup: \S+bacula\.sql loaded into \S+bacula\.db \(\d+ statements, catalog schema version \d+\)/);
  const again = await runProcess(join(SCRIPTDIR, 'load_catalog_backup'), ['-c', burrow.configs.dir, 'MyCatalog', join(restored, dump)], '', 30_000);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /bacula\.db exists and is not empty; move it away first/);
  await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);

  // The loaded catalog: job 1 exactly as before; job 2 was running when dumped, so the Director marks it cut off.
  const after = await burrow.console(['llist jobid=1', 'list jobs']);
  assert.equal(after.code, 0, after.stdout + burrow.logs());
  assert.ok(after.stdout.startsWith(jobOne), `${jobOne}\n----\n${after.stdout}`);
  assert.match(after.stdout, /\| 2\s+\| BackupCatalog\s+\|.*\| f\s+\|\n/);
  const where = join(burrow.dir, 'from-loaded');
  const back = await burrow.console([`restore client=test-fd jobid=1 file=${join(src, 'data.bin')} yes where=${where}`, 'wait', 'messages']);
  assert.match(back.stdout, /Termination:\s+Restore OK/, back.stdout + burrow.logs());
  assert.ok(readFileSync(join(where, src, 'data.bin')).equals(readFileSync(join(src, 'data.bin'))), 'restored byte for byte');
});
