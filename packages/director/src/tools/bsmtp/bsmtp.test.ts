/**
 * bsmtp as the Director runs it: the real executable (bin/bsmtp) against a small SMTP
 * server on loopback; and its parts (options, message text, the client's time limit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBsmtpArgs, parseMailHost } from './args.js';
import { mailbox, messageData, rfc5322Date } from './message.js';
import { sendMail } from './smtp.js';
import { SmtpTestServer } from './testing.js';

// This file runs from packages/director/dist/tools/bsmtp/.
const BSMTP = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'bin', 'bsmtp');

function bsmtp(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(BSMTP, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(input);
  });
}

test('bsmtp sends the headers Bareos writes, several recipients and a Cc, and dot-stuffs the body', async () => {
  await using server = await SmtpTestServer.start();
  const body = 'first line\n.starts with a dot\n.\n..two dots\nlast line without newline';
  const r = await bsmtp(['-h', `127.0.0.1:${server.port}`, '-f', '(Bareos) <root@localhost>', '-s', 'Bareos: Backup OK of c1 Full',
    '-c', 'copy@example.org', '-r', 'reply@example.org', 'a@example.org', 'b@example.org'], body);
  assert.equal(r.code, 0, r.stderr);
  const mail = await server.mail();
  assert.equal(mail.from, 'root@localhost');
  assert.deepEqual(mail.to, ['a@example.org', 'b@example.org', 'copy@example.org']);
  const [head, text] = mail.data.toString('utf8').split('\r\n\r\n') as [string, string];
  const headers = head.split('\r\n');
  assert.ok(headers.includes('From: (Bareos) <root@localhost>'), head);
  assert.ok(headers.includes('To: a@example.org, b@example.org'), head);
  assert.ok(headers.includes('Cc: copy@example.org'), head);
  assert.ok(headers.includes('Subject: Bareos: Backup OK of c1 Full'), head);
  assert.ok(headers.includes('Reply-To: reply@example.org'), head);
  assert.ok(headers.some((h) => /^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/.test(h)), head);
  assert.equal(text, 'first line\r\n.starts with a dot\r\n.\r\n..two dots\r\nlast line without newline\r\n');
  // The lone "." went out doubled: it did not end the message, nothing after it became a command.
  assert.equal(mail.commands.at(-1), 'DATA');
});

test('bsmtp reaches a server on an IPv6 address given as -h [address]:port', async () => {
  await using server = await SmtpTestServer.start({ host: '::1' });
  const r = await bsmtp(['-h', `[::1]:${server.port}`, 'root@localhost'], 'over IPv6\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match((await server.mail()).data.toString(), /\r\n\r\nover IPv6\r\n$/);
});

test('bsmtp -8 says UTF-8, asks for 8BITMIME and encodes a non-ASCII subject; -l cuts the body', async () => {
  await using server = await SmtpTestServer.start();
  const r = await bsmtp(['-8', '-l', '2', '-h', `127.0.0.1:${server.port}`, '-s', 'Sauvegarde réussie', 'root@localhost'], 'ligne 1 é\nline 2\nline 3\nline 4\n');
  assert.equal(r.code, 0, r.stderr);
  const mail = await server.mail();
  assert.equal(mail.from.endsWith(' BODY=8BITMIME'), true, mail.from);
  const text = mail.data.toString('utf8');
  assert.match(text, /\r\nContent-Type: text\/plain; charset=UTF-8\r\n/);
  assert.match(text, /\r\nMIME-Version: 1\.0\r\n/);
  assert.match(text, new RegExp(`\\r\\nSubject: =\\?UTF-8\\?B\\?${Buffer.from('Sauvegarde réussie').toString('base64').replace(/[+=/]/g, '\\$&')}\\?=\\r\\n`));
  assert.match(text, /\r\n\r\nligne 1 é\r\nline 2\r\n\r\n\r\n\[maximum of 2 lines exceeded, skipped 2 lines of output\]\r\n$/);
});

test('bsmtp falls back to HELO when the server does not know EHLO, and a From without address gets the default sender', async () => {
  await using server = await SmtpTestServer.start({ noEhlo: true });
  const r = await bsmtp(['-h', `127.0.0.1:${server.port}`, '-f', '(Bareos) ', '-s', 'Bootstrap for Job x', 'root@localhost'], 'bootstrap\n');
  assert.equal(r.code, 0, r.stderr);
  const mail = await server.mail();
  assert.ok(mail.commands.some((c) => c.startsWith('HELO ')), mail.commands.join('\n'));
  assert.match(mail.from, /^[^<>\s()]+@[^<>\s]+$/);
  assert.match(mail.data.toString(), new RegExp(`^From: \\(Bareos\\) <${mail.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>\\r\\n`));
});

test('bsmtp exits 1 and says why when the server refuses, when some recipients are refused, and when there is no server', async () => {
  await using server = await SmtpTestServer.start({ refuseRecipients: ['nobody@localhost'] });
  const some = await bsmtp(['-h', `127.0.0.1:${server.port}`, 'root@localhost', 'nobody@localhost'], 'hello\n');
  assert.equal(some.code, 1);
  assert.match(some.stderr, /refused <nobody@localhost>: 550 5\.1\.1 no such user/);
  assert.match(some.stderr, /delivered to 1 of 2 recipients/);
  assert.deepEqual((await server.mail()).to, ['root@localhost']);

  const none = await bsmtp(['-h', `127.0.0.1:${server.port}`, 'nobody@localhost'], 'hello\n');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /refused every recipient: <nobody@localhost> 550/);

  await using strict = await SmtpTestServer.start({ refuseSender: true });
  const sender = await bsmtp(['-h', `127.0.0.1:${strict.port}`, '-f', 'x@example.org', 'root@localhost'], 'hello\n');
  assert.equal(sender.code, 1);
  assert.match(sender.stderr, /refused the sender <x@example.org>: 550 5\.7\.1 sender refused/);
  assert.equal(server.mails.length + strict.mails.length, 1);

  const gone = await SmtpTestServer.start();
  const port = gone.port;
  await gone.close(); // nobody listens there now
  const absent = await bsmtp(['-h', `127.0.0.1:${port}`, 'root@localhost'], 'hello\n');
  assert.equal(absent.code, 1);
  assert.match(absent.stderr, new RegExp(`^bsmtp: Failed to connect to mailhost 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));

  const usage = await bsmtp(['-h', 'localhost'], '');
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /no recipient given/);
});

test('the SMTP client gives up on a server that accepts and says nothing', async () => {
  await using server = await SmtpTestServer.start({ silent: true });
  const started = Date.now();
  await assert.rejects(sendMail({
    server: { host: '127.0.0.1', port: server.port }, family: 4, heloName: 'test', envelopeFrom: 'a@b', recipients: ['c@d'],
    data: Buffer.from('x\r\n'), eightBit: false, timeoutMs: 200,
  }), (err: Error & { code?: string }) => err.code === 'TIMEOUT' && /did not answer the connection \(greeting\) within 0\.2 s/.test(err.message));
  assert.ok(Date.now() - started < 5000);
});

test('mail hosts: host, host:port, [v6]:port and bare IPv6; bad ports refused', () => {
  assert.deepEqual(parseMailHost('mail.example.org'), { host: 'mail.example.org', port: 25 });
  assert.deepEqual(parseMailHost('localhost:2525'), { host: 'localhost', port: 2525 });
  assert.deepEqual(parseMailHost('[2001:db8::1]:587'), { host: '2001:db8::1', port: 587 });
  assert.deepEqual(parseMailHost('[::1]'), { host: '::1', port: 25 });
  assert.deepEqual(parseMailHost('::1'), { host: '::1', port: 25 });
  assert.throws(() => parseMailHost('host:0'), /bad port "0"/);
  assert.throws(() => parseMailHost('host:smtp'), /bad port "smtp"/);
  assert.throws(() => parseMailHost(':25'), /no mail host/);
});

test("options in Bareos's getopt style: joined values, -dt, options after recipients, SMTPSERVER", () => {
  const a = parseBsmtpArgs(['-d10', 'a@x,b@x', '-hmail:26', '-s', 'S', '-6', 'c@x'], { SMTPSERVER: 'ignored' });
  assert.equal(a.help, false);
  if (a.help) return;
  assert.deepEqual(a.recipients, ['a@x', 'b@x', 'c@x']);
  assert.deepEqual(a.server, { host: 'mail', port: 26 });
  assert.equal(a.debug, 10);
  assert.equal(a.family, 6);
  const b = parseBsmtpArgs(['-dt', '--', '-odd@x'], { SMTPSERVER: 'relay.example.org' });
  assert.ok(!b.help && b.server.host === 'relay.example.org' && b.debug === 0 && b.recipients[0] === '-odd@x');
  assert.equal(parseBsmtpArgs(['-?']).help, true);
  assert.throws(() => parseBsmtpArgs(['-x', 'a@b']), /unknown option -x/);
  assert.throws(() => parseBsmtpArgs(['a@b', '-s']), /option -s needs a value/);
  assert.throws(() => parseBsmtpArgs(['-l', 'many', 'a@b']), /-l takes a number/);
});

test('message text: mailboxes, header injection, long lines, the date', () => {
  assert.equal(mailbox('(Bareos) <root@localhost>'), 'root@localhost');
  assert.equal(mailbox('(Bareos) root@localhost'), 'root@localhost');
  assert.equal(mailbox('(Bareos) '), null);
  assert.equal(mailbox('Backup Operator'), null);
  const data = messageData({
    from: undefined, defaultSender: 'burrow@host', to: ['a@b'], cc: undefined, replyTo: undefined,
    subject: 'evil\r\nBcc: victim@x', utf8: false, date: new Date(0),
  }, Buffer.concat([Buffer.alloc(2000, 0x61), Buffer.from('\r\nend\r\n')])).toString();
  assert.match(data, /\r\nSubject: evil Bcc: victim@x\r\n/);
  assert.ok(!/\r\nBcc:/.test(data));
  assert.match(data, new RegExp(`\\r\\n\\r\\n${'a'.repeat(998)}\\r\\n${'a'.repeat(998)}\\r\\naaaa\\r\\nend\\r\\n$`));
  const d = new Date(2024, 0, 2, 3, 4, 5);
  assert.match(rfc5322Date(d), /^Tue, 02 Jan 2024 03:04:05 [+-]\d{4}$/);
});
