/**
 * The SMTP client behind bsmtp (RFC 5321): greeting, EHLO (HELO when the server does
 * not know EHLO), MAIL FROM, one RCPT TO per recipient, DATA, the message, ".", QUIT.
 * Every reply is awaited with a time limit, so a server that accepts the connection
 * and then says nothing cannot hold a job's end for ever.
 *
 * Unlike Bareos's bsmtp, which stops at the first reply it does not like (and calls a
 * refusal a "malformed reply"), a refused recipient does not stop delivery to the
 * others: the outcome lists who was refused and with what reply, and the caller
 * decides (bsmtp exits 1 and says so).
 */
import { connect, type Socket } from 'node:net';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { AddressFamily, MailHost } from './args.js';

export interface SmtpSession {
  server: MailHost;
  family: AddressFamily;
  /** The name this host gives in EHLO/HELO. */
  heloName: string;
  /** The envelope sender's mailbox ('' for the null sender). */
  envelopeFrom: string;
  /** Mailboxes for RCPT TO. */
  recipients: readonly string[];
  /** What follows DATA, without the final "." line (message.ts). */
  data: Buffer;
  /** Announce BODY=8BITMIME when the server offers it (bsmtp -8). */
  eightBit: boolean;
  /** For the connection and for each reply. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Sees each line sent (`C: `) and received (`S: `), for bsmtp -d. */
  trace?: (line: string) => void;
}

export interface SmtpOutcome {
  accepted: string[];
  refused: Array<{ recipient: string; reply: string }>;
}

interface Reply {
  code: number;
  /** Every line of the reply, codes included. */
  lines: string[];
}

/** A server line longer than this is not SMTP (replies are at most 512 octets). */
const MAX_REPLY_LINE = 64 * 1024;

/** Reads SMTP replies (multi-line ones joined) from the socket, one at a time. */
class ReplyReader {
  private pending = '';
  private readonly lines: string[] = [];
  private ended: BurrowError | null = null;
  private wake: (() => void) | null = null;

  constructor(socket: Socket, private readonly where: string, private readonly trace?: (line: string) => void) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.pending += chunk;
      let nl: number;
      while ((nl = this.pending.indexOf('\n')) >= 0) {
        this.lines.push(this.pending.slice(0, nl).replace(/\r$/, ''));
        this.pending = this.pending.slice(nl + 1);
      }
      if (this.pending.length > MAX_REPLY_LINE) this.end(new BurrowError('PROTOCOL', `${where} sent a line of more than ${MAX_REPLY_LINE} bytes`));
      this.notify();
    });
    socket.on('error', (err) => this.end(new BurrowError('CONNECTION', `connection to mailhost ${where} failed: ${describeError(err)}`, { cause: err })));
    socket.on('close', () => this.end(new BurrowError('CONNECTION', `mailhost ${where} closed the connection`)));
  }

  private end(err: BurrowError): void {
    this.ended ??= err;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async line(timeoutMs: number, awaiting: string): Promise<string> {
    while (this.lines.length === 0) {
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.wake = null;
          reject(new BurrowError('TIMEOUT', `mailhost ${this.where} did not answer ${awaiting} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
    return this.lines.shift() as string;
  }

  async reply(timeoutMs: number, awaiting: string): Promise<Reply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line(timeoutMs, awaiting);
      this.trace?.(`S: ${line}`);
      const m = /^([2-5]\d\d)([ -]|$)/.exec(line);
      if (!m) throw new BurrowError('PROTOCOL', `malformed reply from mailhost ${this.where} to ${awaiting}: "${line.slice(0, 200)}"`);
      lines.push(line);
      if (m[2] !== '-') return { code: Number(m[1]), lines };
    }
  }
}

function openConnection(s: SmtpSession): Promise<Socket> {
  const where = `${s.server.host}:${s.server.port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: s.server.host, port: s.server.port, timeout: s.timeoutMs,
      ...(s.family === 0 ? { autoSelectFamily: true } : { family: s.family }),
    });
    const fail = (err: BurrowError): void => { socket.destroy(); reject(err); };
    const onAbort = (): void => fail(new BurrowError('JOB_CANCELED', 'mail delivery was canceled'));
    s.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('timeout', () => fail(new BurrowError('TIMEOUT', `Failed to connect to mailhost ${where}: no answer within ${s.timeoutMs / 1000} s`)));
    socket.once('error', (err) => fail(new BurrowError('CONNECTION', `Failed to connect to mailhost ${where}: ${describeError(err)}`, { cause: err })));
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      socket.removeAllListeners('timeout');
      s.signal?.removeEventListener('abort', onAbort);
      resolve(socket);
    });
  });
}

/** Delivers one message; throws when no recipient got it. */
export async function sendMail(s: SmtpSession): Promise<SmtpOutcome> {
  const where = `${s.server.host}:${s.server.port}`;
  const socket = await openConnection(s);
  const onAbort = (): void => { socket.destroy(new BurrowError('JOB_CANCELED', 'mail delivery was canceled')); };
  s.signal?.addEventListener('abort', onAbort, { once: true });
  const reader = new ReplyReader(socket, where, s.trace);
  const refusal = (what: string, r: Reply): BurrowError =>
    new BurrowError('MAIL_REFUSED', `mailhost ${where} refused ${what}: ${r.lines.join(' / ')}`);
  const send = async (line: string): Promise<void> => {
    if (/[\r\n]/.test(line)) throw new BurrowError('BAD_REQUEST', `a line break in an SMTP command: ${JSON.stringify(line)}`);
    s.trace?.(`C: ${line}`);
    await write(socket, `${line}\r\n`);
  };
  const command = async (line: string): Promise<Reply> => {
    await send(line);
    return reader.reply(s.timeoutMs, line.split(':')[0] as string);
  };
  const expect = (r: Reply, codes: number[], what: string): Reply => {
    if (!codes.includes(r.code)) throw refusal(what, r);
    return r;
  };
  try {
    expect(await reader.reply(s.timeoutMs, 'the connection (greeting)'), [220], 'the connection');
    const ehlo = await command(`EHLO ${s.heloName}`);
    const extensions = ehlo.code === 250 ? ehlo.lines.slice(1).map((l) => l.slice(4).toUpperCase()) : [];
    if (ehlo.code !== 250) expect(await command(`HELO ${s.heloName}`), [250], 'HELO');
    const body = s.eightBit && extensions.some((e) => e.startsWith('8BITMIME')) ? ' BODY=8BITMIME' : '';
    expect(await command(`MAIL FROM:<${s.envelopeFrom}>${body}`), [250], `the sender <${s.envelopeFrom}>`);
    const outcome: SmtpOutcome = { accepted: [], refused: [] };
    for (const rcpt of s.recipients) {
      const r = await command(`RCPT TO:<${rcpt}>`);
      if (r.code === 250 || r.code === 251) outcome.accepted.push(rcpt);
      else outcome.refused.push({ recipient: rcpt, reply: r.lines.join(' / ') });
    }
    if (outcome.accepted.length === 0) {
      throw new BurrowError('MAIL_REFUSED', `mailhost ${where} refused every recipient: ${outcome.refused.map((x) => `<${x.recipient}> ${x.reply}`).join('; ')}`);
    }
    expect(await command('DATA'), [354], 'DATA');
    s.trace?.(`C: (${s.data.length} bytes of message)`);
    await write(socket, s.data);
    expect(await command('.'), [250], 'the message');
    await command('QUIT').catch(() => undefined); // delivered; a rude goodbye changes nothing
    return outcome;
  } finally {
    s.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
  }
}

function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(new BurrowError('CONNECTION', `writing to the mailhost failed: ${describeError(err)}`, { cause: err })) : resolve()));
  });
}
