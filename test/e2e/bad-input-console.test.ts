/**
 * Bad console requests against the real Director: restores that try to leave their
 * target with "..", and names or ids that do not exist. Each is refused with a clear
 * message, bconsole exits non-zero, no job is created, and the Director keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { ask, assertAllServing, assertBackupOk, jobIds, openConsole } from '../harness/checks.js';

interface Refusal {
  command: string;
  says: RegExp;
  /** The error code `.api json` reports. */
  code: string;
}

/**
 * Checks each refusal twice: over one API-mode console connection (the reply fails
 * with the right code and message, and queues no job), and with a bconsole of its own
 * (bconsole's exit status covers all its commands), which must exit 1.
 */
async function assertRefused(burrow: Burrow, refusals: Refusal[]): Promise<void> {
  const channel = await openConsole(burrow);
  try {
    assert.equal((await ask(channel, '.api json')).ok, true);
    for (const r of refusals) {
      const reply = await ask(channel, r.command);
      assert.equal(reply.ok, false, `"${r.command}" was accepted: ${reply.json}`);
      const doc = JSON.parse(reply.json) as { error?: { message?: string; data?: { error?: { code?: string } } } };
      assert.equal(doc.error?.data?.error?.code, r.code, `"${r.command}": ${reply.json}`);
      assert.match(doc.error?.message ?? '', r.says, `"${r.command}"`);
    }
  } finally {
    channel.close('test done');
  }
  const runs = await Promise.all(refusals.map((r) => burrow.console([r.command])));
  runs.forEach((text, i) => {
    const r = refusals[i] as Refusal;
    assert.equal(text.code, 1, `"${r.command}" should make bconsole exit 1:\n${text.stdout}${text.stderr}`);
    assert.match(text.stdout, r.says, `"${r.command}"`);
    assert.doesNotMatch(text.stdout, /Job queued|JobId=\d/, `"${r.command}" started a job`);
  });
}

describe('bad console requests', () => {
  let src = '';
  let burrow: Burrow;
  let goodJob = 0;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'b.txt'), 'beta\n');
    burrow = await Burrow.start({ include: [src] });
    goodJob = await assertBackupOk(burrow);
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('refuses restores whose where= or file= contain ".."; no job is created', async () => {
    const before = await jobIds(burrow);
    const escape = `${burrow.dir}/x/../escaped`;
    const refusals: Refusal[] = [
      { command: `restore client=test-fd jobid=${goodJob} all yes where=/tmp/x/../etc`, says: /where=\/tmp\/x\/\.\.\/etc contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd jobid=${goodJob} all yes where=${escape}`, says: /contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd select current all yes where=/tmp/x/..`, says: /contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd jobid=${goodJob} file=/a/../b yes`, says: /file=\/a\/\.\.\/b contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd jobid=${goodJob} file=${src}/../${src}/a.txt yes`, says: /contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd jobid=${goodJob} directory=${src}/.. yes`, says: /contains "\.\."/, code: 'HOSTILE_PATH' },
      { command: `restore client=test-fd jobid=${goodJob} all yes where=relative/dir`, says: /where=relative\/dir must be an absolute path/, code: 'BAD_REQUEST' },
    ];
    await assertRefused(burrow, refusals);
    assert.deepEqual(await jobIds(burrow), before);
    assert.equal(existsSync(join(burrow.dir, 'escaped')), false);
    await assertAllServing(burrow);
  });

  it('refuses unknown jobs, job ids, commands and resources with clear errors', async () => {
    const before = await jobIds(burrow);
    const refusals: Refusal[] = [
      { command: 'run job=nope yes', says: /Job "nope" is not defined/, code: 'NOT_FOUND' },
      { command: 'run nope yes', says: /Job "nope" is not defined/, code: 'NOT_FOUND' },
      { command: 'run job=RestoreFiles yes', says: /Restore job: use the restore command/, code: 'BAD_REQUEST' },
      { command: 'run job=backup-test pool=NoSuchPool yes', says: /Pool "NoSuchPool" is not defined/, code: 'NOT_FOUND' },
      { command: 'llist jobid=999', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: 'list jobid=999', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: `list jobid=${goodJob},999`, says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: 'list files jobid=999', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: 'list jobid=abc', says: /jobid= must be numbers/, code: 'BAD_REQUEST' },
      { command: 'wait jobid=999', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: 'cancel jobid=999', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: 'restore client=test-fd jobid=999 all yes', says: /JobId 999 does not exist/, code: 'NOT_FOUND' },
      { command: `restore client=nosuch-fd jobid=${goodJob} all yes`, says: /Client "nosuch-fd" is not defined/, code: 'NOT_FOUND' },
      { command: `restore client=test-fd jobid=${goodJob} file=/no/such/file yes`, says: /none of the named files/, code: 'NOT_FOUND' },
      { command: 'status client=nosuch-fd', says: /Client "nosuch-fd" is not defined/, code: 'NOT_FOUND' },
      { command: 'label volume=V1 pool=NoSuchPool', says: /Pool "NoSuchPool" is not defined/, code: 'NOT_FOUND' },
      { command: 'run job="unterminated yes', says: /unterminated quoted string/, code: 'BAD_REQUEST' },
    ];
    await assertRefused(burrow, refusals);
    // An unknown command word is answered, not dropped, and is not an error code from a command.
    const unknown = await burrow.console(['frobnicate now']);
    assert.equal(unknown.code, 1, unknown.stdout);
    assert.match(unknown.stdout, /frobnicate: is an invalid command/);
    assert.deepEqual(await jobIds(burrow), before);
    await assertAllServing(burrow);
    await assertBackupOk(burrow);
  });
});
