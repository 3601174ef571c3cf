/**
 * bsmtp's command line, Bareos's options (core/src/tools/bsmtp.cc) so that the stock
 * `Mail Command`, `Operator Command` and `Write Bootstrap = "|bsmtp ..."` lines work
 * unchanged:
 *
 *   bsmtp [-4|-6|-a] [-8] [-c cc] [-d level|-dt] [-f from] [-h host[:port]]
 *         [-l maxlines] [-r reply-to] [-s subject] recipient...
 *
 * Options and recipients may come in any order (GNU getopt permutes them too); `--`
 * ends the options. Better than Bareos: `-h [2001:db8::1]:2525` and a bare IPv6
 * address are understood (Bareos cuts at the first colon), and a recipient argument
 * holding several addresses separated by commas (`%r` of `mail = a@x,b@y = all`) is
 * split into one RCPT each.
 */
import { BurrowError } from '@burrow/common/errors/index';

export const USAGE = `Usage: bsmtp [-f from] [-h mailhost[:port]] [-s subject] [-c copy] recipient ...
       -4          use IPv4 addresses only (the default, as in Bareos)
       -6          use IPv6 addresses only
       -a          use any address family
       -8          the message is UTF-8 (adds the MIME headers saying so)
       -c address  set the Cc: field (and send a copy there)
       -d level    debug level; 10 or more prints the SMTP conversation on stderr
       -dt         accepted for Bareos's timestamp switch; no effect
       -f from     set the From: field (default: user@hostname)
       -h host     use host[:port] as the SMTP server ([v6-address]:port for IPv6);
                   default $SMTPSERVER, else localhost, port 25
       -l lines    send at most this many lines of the body (default: unlimited)
       -r address  set the Reply-To: field
       -s subject  set the Subject: field
       -?          print this message
`;

export type AddressFamily = 0 | 4 | 6;

export interface MailHost {
  host: string;
  port: number;
}

export interface BsmtpOptions {
  server: MailHost;
  /** 4 or 6 restrict name resolution to that family; 0 takes any. */
  family: AddressFamily;
  utf8: boolean;
  debug: number;
  from: string | undefined;
  cc: string | undefined;
  replyTo: string | undefined;
  subject: string | undefined;
  /** 0: no limit. */
  maxLines: number;
  recipients: string[];
}

export type ParsedArgs = { help: true } | ({ help: false } & BsmtpOptions);

const SMTP_PORT = 25;
const TAKES_VALUE = new Set(['c', 'd', 'f', 'h', 'l', 'r', 's']);

function usageError(message: string): BurrowError {
  return new BurrowError('BAD_REQUEST', `${message}\n${USAGE}`);
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (no port). */
export function parseMailHost(spec: string, defaultPort = SMTP_PORT): MailHost {
  let host = spec;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(spec);
  if (bracketed) {
    host = bracketed[1] as string;
    port = bracketed[2];
  } else if (spec.split(':').length === 2) {
    [host, port] = spec.split(':') as [string, string];
  }
  if (host === '') throw usageError(`bsmtp: no mail host in "${spec}"`);
  if (port === undefined) return { host, port: defaultPort };
  const n = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) throw usageError(`bsmtp: bad port "${port}" in "${spec}"`);
  return { host, port: n };
}

/** The option letters and their values, and the recipients, in Bareos's getopt style. */
function scan(argv: readonly string[]): { values: Array<[string, string]>; positional: string[] } {
  const values: Array<[string, string]> = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help') { values.push(['?', '']); continue; }
    if (!arg.startsWith('-') || arg === '-') { positional.push(arg); continue; }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      if (!TAKES_VALUE.has(letter)) { values.push([letter, '']); continue; }
      const inline = arg.slice(j + 1);
      if (inline !== '') values.push([letter, inline]);
      else if (i + 1 < argv.length) values.push([letter, argv[++i] as string]);
      else throw usageError(`bsmtp: option -${letter} needs a value`);
      break;
    }
  }
  return { values, positional };
}

function count(letter: string, value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`bsmtp: -${letter} takes a number, not "${value}"`);
  return Number(value);
}

export function parseBsmtpArgs(argv: readonly string[], env: { SMTPSERVER?: string | undefined } = {}): ParsedArgs {
  const { values, positional } = scan(argv);
  const o: BsmtpOptions = {
    server: parseMailHost(env.SMTPSERVER || 'localhost'), family: 4, utf8: false, debug: 0,
    from: undefined, cc: undefined, replyTo: undefined, subject: undefined, maxLines: 0, recipients: [],
  };
  for (const [letter, value] of values) {
    switch (letter) {
      case '4': o.family = 4; break;
      case '6': o.family = 6; break;
      case 'a': o.family = 0; break;
      case '8': o.utf8 = true; break;
      case 'c': o.cc = value; break;
      case 'd': if (value !== 't') o.debug = Math.max(1, count('d', value)); break;
      case 'f': o.from = value; break;
      case 'h': o.server = parseMailHost(value); break;
      case 'l': o.maxLines = count('l', value); break;
      case 'r': o.replyTo = value; break;
      case 's': o.subject = value; break;
      case '?': return { help: true };
      default: throw usageError(`bsmtp: unknown option -${letter}`);
    }
  }
  o.recipients = positional.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== '');
  if (o.recipients.length === 0) throw usageError('bsmtp: no recipient given');
  return { help: false, ...o };
}
