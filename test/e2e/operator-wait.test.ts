/**
 * Operator waits on the real daemons (issue 11, M3): a job into a pool with no usable
 * volume waits, visibly (status dir, status storage), the operator Messages destination
 * gets Bareos's request through bsmtp to a test SMTP server, and after `label` the job
 * goes on, ends OK and restores; a job whose Max Wait Time passes fails cleanly and
 * frees its drive; a job canceled while it waits ends Canceled and frees its drive; the
 * operator's unmount, release and mount of the drive answer as Bareos's do, and a mount
 * after making a volume appendable (update volume) lets the waiting job go on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpTestServer } from '@burrow/director/tools/bsmtp/testing';
import { Burrow } from '../harness/daemons.js';
import { BINDIR } from '../harness/paths.js';
import { compareTrees } from '../harness/tree.js';

describe('a job with no usable volume', () => {
  let src: string;
  let smtp: SmtpTestServer;
  let burrow: Burrow;
  const dirLog = (): string => burrow.jobLog();
  const until = (what: RegExp): Promise<void> => burrow.untilLogged(what);

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-opwait-'));
    for (let i = 0; i < 4; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(500 * (i + 1)));
    smtp = await SmtpTestServer.start();
    const job = (name: string, pool: string, more = ''): string =>
      `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = ${pool}; Messages = Operator; ${more} }\n`;
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      directorResources: `
Pool { Name = Empty; Pool Type = Backup }
Messages { Name = Operator; Console = all; Catalog = all; Append = "@WORKDIR@/log" = all
  Operator Command = "${BINDIR}/bsmtp -h 127.0.0.1:${smtp.port} -f \\"\\(Bareos\\) \\<%r\\>\\" -s \\"Bareos: Intervention needed for %j\\" %r"
  Operator = operator@localhost = mount }
${job('wait-label', 'Full')}${job('wait-timeout', 'Empty', 'Max Wait Time = 3s')}${job('wait-cancel', 'Empty')}${job('wait-mount', 'Empty')}`,
    });
  });
  after(async () => {
    await burrow?.stop();
    await smtp?.close();
    rmSync(src, { recursive: true, force: true });
  });

  it('waits visibly, asks the operator, and goes on once a volume is labelled', async () => {
    const started = await burrow.console(['run job=wait-label yes']);
    assert.equal(started.code, 0, started.stdout + started.stderr);
    await until(/JobId 1: Job wait-label\.\S+ is waiting\. Cannot find any appendable volumes\.\nPlease use the "label" command to create a new Volume for:\n {4}Storage: {6}"FileStorage" \(\S+\)\n {4}Pool: {9}Full\n {4}Media type: {3}File/);

    const mail = (await smtp.mail(1)).data.toString('utf8');
    assert.match(mail, /Cannot find any appendable volumes\./, mail);
    assert.match(mail, /Pool: {9}Full/, mail);
    assert.deepEqual(smtp.mails[0]?.to, ['operator@localhost']);
    assert.match(mail, /Subject: Bareos: Intervention needed for wait-label\.\S+_01\r?\n/, mail);

    const status = await burrow.console(['status dir', 'status storage=File', 'llist jobid=1']);
    assert.match(status.stdout, /\| 1 +\| F +\| wait-label\.\S+ +\| is waiting for an appendable Volume +\|/, status.stdout);
    assert.match(status.stdout, /JobId 1 waits for Pool "Full", Media type "File", Storage "File", Device "FileStorage" \(\S+\), since \S+ \S+\./);
    assert.match(status.stdout, /Device is BLOCKED waiting to create a volume for:\n {7}Pool: {8}Full\n {7}Media type: {2}File\n {7}JobId 1 waiting since/);
    assert.match(status.stdout, /Reserved by: JobId=1 \(writing\)/);
    assert.match(status.stdout, /Pending operator requests:\n {3}JobId=1 wants an appendable Volume of Pool "Full" \(Media type "File"\) on device "FileStorage" \(\S+\) since \S+\n====/);
    assert.match(status.stdout, /jobstatus: m\n/);

    const label = await burrow.console(['label storage=File volume=Vol-A pool=Full', 'wait jobid=1', 'llist jobid=1']);
    assert.match(label.stdout, /3000 OK label\./, label.stdout);
    assert.match(label.stdout, /JobStatus=OK \(T\)/, label.stdout + dirLog() + burrow.logs());
    assert.match(dirLog(), /JobId 1: Volume "Vol-A" previously written, moving to end of data/);

    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 all yes where=${where}`, 'wait', 'messages']);
    assert.match(restore.stdout, /Termination:\s+Restore OK/, restore.stdout);
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });

  it('fails cleanly when its Max Wait Time passes, and frees its drive', async () => {
    const run = await burrow.console(['run job=wait-timeout yes', 'wait jobid=3', 'llist jobid=3', 'status storage=File']);
    assert.match(run.stdout, /jobstatus: f\n/, run.stdout + dirLog());
    assert.match(dirLog(), /JobId 3: Fatal error: Max wait time exceeded \(3 secs\) waiting for Pool "Empty", Media type "File", Storage "File", Device "FileStorage" \(\S+\)\. Job canceled\./);
    assert.match(dirLog(), /JobId 3: .*Termination:\s+\*\*\* Backup Error \*\*\*/s);
    assert.doesNotMatch(run.stdout, /Reserved by: JobId=3/);
    assert.doesNotMatch(run.stdout, /BLOCKED waiting/);
  });

  it('is canceled while it waits: Canceled, and its drive is free again', async () => {
    await burrow.console(['run job=wait-cancel yes']);
    await until(/JobId 4: Job wait-cancel\.\S+ is waiting\. Cannot find any appendable volumes\./);
    const cancel = await burrow.console(['cancel jobid=4', 'wait jobid=4', 'llist jobid=4', 'status storage=File']);
    assert.match(cancel.stdout, /jobstatus: A\n/, cancel.stdout + dirLog());
    assert.doesNotMatch(cancel.stdout, /Reserved by: JobId=4/);
    assert.doesNotMatch(cancel.stdout, /BLOCKED waiting/);
    assert.match(dirLog(), /JobId 4: .*Termination:\s+Backup Canceled/s);
  });

  it('answers unmount, release and mount of the drive as Bareos does; a mount after update volume lets the job go on', async () => {
    const dev = `"FileStorage" (${burrow.volumes})`;
    // A plain Device is its own drive 0 (drive= counts the drives of a Count device or an Autochanger).
    const prepared = await burrow.console(['label storage=File volume=Vol-E pool=Empty drive=0', 'update volume=Vol-E volstatus=Used']);
    assert.match(prepared.stdout, /3000 OK label\. VolBytes=\d+ Volume="Vol-E"/, prepared.stdout);

    await burrow.console(['run job=wait-mount yes']);
    await burrow.untilLogged(/JobId 5: Job wait-mount\.\S+ is waiting\. Cannot find any appendable volumes\./);
    const operator = await burrow.console(['unmount storage=File', 'release storage=File', 'status storage=File', 'update volume=Vol-E volstatus=Append', 'mount storage=File']);
    assert.match(operator.stdout, new RegExp(`3001 Device ${escape(dev)} unmounted\\.`), operator.stdout);
    assert.match(operator.stdout, new RegExp(`3922 Device ${escape(dev)} waiting for mount\\.`));
    assert.match(operator.stdout, /Device is BLOCKED waiting to create a volume for:\n {7}Pool: {8}Empty/);
    assert.match(operator.stdout, new RegExp(`3001 OK mount requested\\. Device=${escape(dev)}`));
    const done = await burrow.console(['wait jobid=5', 'llist jobid=5']);
    assert.match(done.stdout, /JobStatus=OK \(T\)/, done.stdout + burrow.jobLog());
    assert.match(burrow.jobLog(), /JobId 5: Volume "Vol-E" previously written, moving to end of data/);

    const idle = await burrow.console(['mount storage=File', 'release storage=File', 'release storage=File', 'unmount storage=File', 'mount storage=File']);
    assert.match(idle.stdout, new RegExp(`3001 Device ${escape(dev)} is mounted with Volume "Vol-E"`), idle.stdout);
    assert.match(idle.stdout, new RegExp(`3022 Device ${escape(dev)} released\\.\\n[^]*3921 Device ${escape(dev)} already released\\.`));
    assert.match(idle.stdout, new RegExp(`3002 Device ${escape(dev)} unmounted\\.\\n[^]*3002 Device ${escape(dev)} is mounted\\.`));
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
