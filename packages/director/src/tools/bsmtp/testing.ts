/**
 * A small SMTP server for tests (bsmtp's own and the end-to-end mail tests): listens on
 * loopback port 0, speaks just enough RFC 5321 to take a message, undoes the
 * dot-stuffing, and keeps what it received. It can refuse senders or recipients,
 * offer no EHLO, or say nothing at all, to test the client's failures.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
  helo: string;
  /** MAIL FROM as sent, inside the <>, with any parameters after it. */
  from: string;
  to: string[];
  /** The message as received (CRLF line ends, dot-stuffing undone). */
  data: Buffer;
  /** Every command line of the session, in order. */
  commands: string[];
}

export interface SmtpTestServerOptions {
  /** Recipients answered with 550. */
  refuseRecipients?: string[];
  /** Answer MAIL FROM with 550. */
  refuseSender?: boolean;
  /** Answer EHLO with 502, so the client must fall back to HELO. */
  noEhlo?: boolean;
  /** Accept connections and never say a word. */
  silent?: boolean;
  /** The loopback address to listen on (default 127.0.0.1; '::1' for IPv6). */
  host?: string;
}

export class SmtpTestServer {
  readonly mails: ReceivedMail[] = [];
  private readonly sockets = new Set<Socket>();
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: Server, readonly port: number, private readonly o: SmtpTestServerOptions) {}

  static async start(o: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, o.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const s = new SmtpTestServer(server, typeof address === 'object' && address ? address.port : 0, o);
    server.on('connection', (socket) => s.serve(socket));
    return s;
  }

  /** Resolves with the `count`-th mail received (1-based), waiting up to `timeoutMs`. */
  async mail(count = 1, timeoutMs = 15_000): Promise<ReceivedMail> {
    const until = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = until - Date.now();
      if (left <= 0) throw new Error(`SMTP test server: ${this.mails.length} mail(s) received, waited for ${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.mails[count - 1] as ReceivedMail;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.o.silent) return;
    const say = (line: string): void => { socket.write(`${line}\r\n`); };
    const mail: ReceivedMail = { helo: '', from: '', to: [], data: Buffer.alloc(0), commands: [] };
    let inData = false;
    const data: Buffer[] = [];
    let pending = Buffer.alloc(0);
    say('220 test.invalid ESMTP ready');
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      let nl: number;
      while ((nl = pending.indexOf('\r\n')) >= 0) {
        const line = pending.subarray(0, nl);
        pending = pending.subarray(nl + 2);
        if (inData) {
          if (line.length === 1 && line[0] === 0x2e) {
            inData = false;
            this.received({ ...mail, to: [...mail.to], commands: [...mail.commands], data: Buffer.concat(data) });
            data.length = 0;
            say('250 2.0.0 queued');
          } else {
            data.push(line[0] === 0x2e ? line.subarray(1) : line, Buffer.from('\r\n'));
          }
          continue;
        }
        const text = line.toString('latin1');
        mail.commands.push(text);
        inData = this.answer(text, mail, say, () => socket.end());
      }
    });
  }

  /** Answers one command; returns true when the message text follows. */
  private answer(line: string, mail: ReceivedMail, say: (l: string) => void, end: () => void): boolean {
    const verb = line.split(/[ :]/)[0]?.toUpperCase();
    const arg = /<([^>]*)>(.*)$/.exec(line);
    switch (verb) {
      case 'EHLO':
        if (this.o.noEhlo) { say('502 5.5.2 command not recognized'); break; }
        mail.helo = line.slice(5);
        say('250-test.invalid greets you'); say('250-8BITMIME'); say('250 SIZE 10000000');
        break;
      case 'HELO': mail.helo = line.slice(5); say('250 test.invalid'); break;
      case 'MAIL':
        if (this.o.refuseSender) { say('550 5.7.1 sender refused'); break; }
        mail.from = `${arg?.[1] ?? ''}${arg?.[2] ?? ''}`; mail.to = []; say('250 2.1.0 ok');
        break;
      case 'RCPT':
        if (this.o.refuseRecipients?.includes(arg?.[1] ?? '')) { say('550 5.1.1 no such user'); break; }
        mail.to.push(arg?.[1] ?? ''); say('250 2.1.5 ok');
        break;
      case 'DATA': say('354 end with <CRLF>.<CRLF>'); return true;
      case 'RSET': mail.to = []; say('250 ok'); break;
      case 'QUIT': say('221 2.0.0 bye'); end(); break;
      default: say('500 5.5.1 unknown command');
    }
    return false;
  }

  private received(mail: ReceivedMail): void {
    this.mails.push(mail);
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
