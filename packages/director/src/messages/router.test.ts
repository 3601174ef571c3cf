import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessagesResource } from '@burrow/common/config/index';
import { createLogger } from '@burrow/common/log/index';
import { MessageRouter, typeFilter } from './router.js';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });

/** A Messages resource as the loader gives it, from the fields a test sets. */
function messagesResource(fields: Pick<MessagesResource, 'name' | 'destinations'> & Partial<MessagesResource>): MessagesResource {
  return { description: undefined, mailCommand: undefined, operatorCommand: undefined, timestampFormat: undefined,
    source: { file: 'test.conf', line: 1, label: `Messages "${fields.name}"`, directives: {} }, ...fields };
}

test('type filters follow Bareos: all, then removals and additions in order', () => {
  const f = typeFilter(['all', '!skipped', '!saved']);
  assert.equal(f('error'), true);
  assert.equal(f('skipped'), false);
  assert.equal(typeFilter(['error', 'fatal'])('info'), false);
});

test('append, mail, mail on error, mail on success and operator destinations', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-msg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const res = messagesResource({
    name: 'Standard',
    mailCommand: `/bin/sh -c "cat > ${dir}/mail-%i-%r-%e.txt"`,
    operatorCommand: `/bin/sh -c "cat >> ${dir}/operator-%r.txt"`,
    destinations: [
      { destination: 'append', address: join(dir, 'log'), types: ['all', '!skipped'] },
      { destination: 'mail', address: 'admin', types: ['all'] },
      { destination: 'mailonerror', address: 'oncall', types: ['all'] },
      { destination: 'mailonsuccess', address: 'happy', types: ['all'] },
      { destination: 'operator', address: 'ops', types: ['warning'] },
    ],
  });
  const router = new MessageRouter([res], { resolvePath: (p) => p, log });
  const sink = router.sink('standard');
  sink('info', 'job 7 started', 7);
  sink('skipped', 'a skipped file', 7);
  sink('warning', 'disk nearly full', 7);
  sink('error', 'job 8 broke', 8);
  await router.jobEnded(7, 'Standard', { status: 'T', vars: { i: '7', e: 'OK' } });
  await router.jobEnded(8, 'Standard', { status: 'E', vars: { i: '8', e: 'Error' } });
  // The operator command runs in the background; give it a moment.
  for (let i = 0; i < 50 && !readdirSync(dir).includes('operator-ops.txt'); i++) await new Promise((r) => setTimeout(r, 20));

  assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'job 7 started\ndisk nearly full\njob 8 broke\n');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('mail-')).sort(),
    ['mail-7-admin-OK.txt', 'mail-7-happy-OK.txt', 'mail-8-admin-Error.txt', 'mail-8-oncall-Error.txt']);
  assert.equal(readFileSync(join(dir, 'mail-7-admin-OK.txt'), 'utf8'), 'job 7 started\na skipped file\ndisk nearly full\n');
  assert.equal(readFileSync(join(dir, 'operator-ops.txt'), 'utf8'), 'disk nearly full\n');
});

test('a failing mail or operator command is reported for the job, in Bareos\'s words, and never fed back into a command', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-msg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const res = messagesResource({
    name: 'Standard',
    mailCommand: `/bin/sh -c "echo 'bsmtp: Failed to connect to mailhost' >&2; exit 1" %r`,
    operatorCommand: `/bin/sh -c "cat >> ${dir}/operator.txt; exit 3"`,
    destinations: [
      { destination: 'append', address: join(dir, 'log'), types: ['all'] },
      { destination: 'mail', address: 'root@localhost', types: ['all'] },
      { destination: 'operator', address: 'ops', types: ['all'] },
    ],
  });
  const failures: Array<{ jobId: number; messages: string; text: string }> = [];
  const router: MessageRouter = new MessageRouter([res], {
    resolvePath: (p) => p, log,
    onDeliveryFailure: (f) => { failures.push(f); router.localSink(f.messages)('error', `reported: ${f.text.split('\n')[0]}`, null); },
  });
  router.sink('Standard')('warning', 'volume nearly full', 9);
  await router.jobEnded(9, 'Standard', { status: 'T', vars: {} });
  for (let i = 0; i < 100 && failures.length < 2; i++) await new Promise((r) => setTimeout(r, 20));

  const mail = failures.find((f) => f.text.includes('CMD=/bin/sh -c "echo'));
  assert.ok(mail, JSON.stringify(failures));
  assert.equal(mail.jobId, 9);
  assert.equal(mail.messages, 'Standard');
  assert.match(mail.text, /^Mail program terminated in error\.\nCMD=.* root@localhost\nERR=exit status 1\nMail prog: bsmtp: Failed to connect to mailhost$/);
  assert.ok(failures.some((f) => f.text.includes('ERR=exit status 3')), JSON.stringify(failures));
  // The report reached the log file, and the operator command saw only the job's own line.
  assert.match(readFileSync(join(dir, 'log'), 'utf8'), /reported: Mail program terminated in error\./);
  assert.equal(readFileSync(join(dir, 'operator.txt'), 'utf8'), 'volume nearly full\n');
});

test('an Operator Command gets the job\'s % codes (%j in the stock "Intervention needed for %j"), and `all` takes in mount requests', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-msg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const res = messagesResource({
    name: 'Standard',
    operatorCommand: `/bin/sh -c "cat >> ${dir}/operator-%r-%j.txt"`,
    destinations: [
      { destination: 'operator', address: 'ops', types: ['mount'] },
      { destination: 'append', address: join(dir, 'log'), types: ['all'] },
    ],
  });
  const router = new MessageRouter([res], { resolvePath: (p) => p, log, jobVars: (jobId) => ({ j: `backup.${jobId}` }) });
  const sink = router.sink('standard');
  sink('info', 'job 7 started', 7);
  sink('mount', 'Please mount append Volume "V1" or label a new one for:', 7);
  const file = 'operator-ops-backup.7.txt';
  // The command runs in the background: wait until it has written its line (the file exists before that).
  const written = (): string => (readdirSync(dir).includes(file) ? readFileSync(join(dir, file), 'utf8') : '');
  for (let i = 0; i < 100 && !written().endsWith('\n'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(readFileSync(join(dir, file), 'utf8'), 'Please mount append Volume "V1" or label a new one for:\n');
  assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'job 7 started\nPlease mount append Volume "V1" or label a new one for:\n');
});
