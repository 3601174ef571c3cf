/**
 * bsmtp: sends its standard input as a mail through an SMTP server, with Bareos's
 * options (args.ts), for Messages resources' Mail and Operator Commands and
 * `Write Bootstrap = "|bsmtp ..."`. Started through `packages/director/bin/bsmtp`.
 *
 * Exit status 0 when every recipient got the message; 1 with the reason on stderr
 * otherwise (no connection, no answer in time, a refusal, some recipients refused),
 * which the Director puts in the job log.
 */
import { hostname, userInfo } from 'node:os';
import { describeError } from '@burrow/common/errors/index';
import { parseBsmtpArgs, USAGE, type BsmtpOptions } from './args.js';
import { envelopeSender, mailbox, messageData } from './message.js';
import { sendMail } from './smtp.js';

/** Bareos's bsmtp waits for ever; a minute per reply is long for a live server and short for a dead job end. */
const TIMEOUT_MS = 60_000;

function defaultSender(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `userid-${process.getuid?.() ?? 0}`;
  }
  return `${user}@${hostname()}`;
}

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.once('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.once('error', reject);
  });
}

async function send(o: BsmtpOptions): Promise<number> {
  const sender = defaultSender();
  const recipients = [...o.recipients, ...(o.cc !== undefined ? [o.cc] : [])];
  const headers = {
    from: o.from, defaultSender: sender, to: o.recipients, cc: o.cc, replyTo: o.replyTo,
    subject: o.subject, utf8: o.utf8, date: new Date(),
  };
  const trace = o.debug >= 10 ? (line: string): void => { process.stderr.write(`bsmtp: ${line}\n`); } : undefined;
  const outcome = await sendMail({
    server: o.server, family: o.family, heloName: hostname(), timeoutMs: TIMEOUT_MS,
    envelopeFrom: envelopeSender(headers), recipients: recipients.map((r) => mailbox(r) ?? r),
    data: messageData(headers, await readStdin(), o.maxLines), eightBit: o.utf8, ...(trace ? { trace } : {}),
  });
  for (const r of outcome.refused) process.stderr.write(`bsmtp: mailhost refused <${r.recipient}>: ${r.reply}\n`);
  if (outcome.refused.length === 0) return 0;
  process.stderr.write(`bsmtp: delivered to ${outcome.accepted.length} of ${recipients.length} recipients\n`);
  return 1;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseBsmtpArgs(argv, process.env);
    if (args.help) {
      process.stderr.write(USAGE);
      return 1; // as Bareos's bsmtp, which exits 1 after its usage text
    }
    return await send(args);
  } catch (err) {
    process.stderr.write(`bsmtp: ${describeError(err).replace(/^bsmtp: /, '')}\n`);
    return 1;
  }
}
