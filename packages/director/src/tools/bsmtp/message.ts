/**
 * The mail bsmtp sends: the envelope addresses, the header fields Bareos's bsmtp writes
 * (From, To, Cc, Subject, Reply-To, Date, and with -8 the charset) and the body from
 * standard input, as the octets that follow SMTP's DATA command: CRLF line ends,
 * a leading "." doubled (RFC 5321 4.5.2), lines cut at SMTP's 998-octet limit. The
 * final "." line is the SMTP client's business.
 *
 * Better than Bareos where it is clearly better: a From without an address
 * (`-f "(Bareos) "`, as the stock BackupCatalog's bootstrap mail has) gets the default
 * sender's address instead of an envelope of `<(Bareos) >` that servers refuse; a
 * Subject that is not ASCII is encoded (RFC 2047) instead of sent raw; CR and LF in
 * header values (a substituted name) cannot start a header of their own; -8 also says
 * `MIME-Version` and `Content-Transfer-Encoding`, without which the charset means
 * nothing to a mail reader.
 */

export interface MailHeaders {
  /** The -f text as given, or undefined for the default sender. */
  from: string | undefined;
  /** user@hostname, used when -f is absent or names no address. */
  defaultSender: string;
  to: readonly string[];
  cc: string | undefined;
  replyTo: string | undefined;
  subject: string | undefined;
  utf8: boolean;
  date: Date;
}

/** SMTP's limit on a line, without its CRLF (RFC 5321 4.5.3.1.6). */
const MAX_LINE = 998;

/** The mailbox of an address as SMTP's MAIL FROM and RCPT TO want it, or null if it names none. */
export function mailbox(text: string): string | null {
  const angle = /<([^>]*)>/.exec(text);
  if (angle) return (angle[1] as string).trim();
  // Outside <>, parenthesised text is a comment (RFC 5322 3.2.2): "(Bareos) root@x".
  const bare = text.replace(/\([^)]*\)/g, ' ').trim();
  return bare !== '' && !/\s/.test(bare) ? bare : null;
}

export function envelopeSender(h: Pick<MailHeaders, 'from' | 'defaultSender'>): string {
  return (h.from !== undefined ? mailbox(h.from) : null) ?? h.defaultSender;
}

/** The From field: the -f text when it names an address, else that text before the default address. */
function fromField(h: MailHeaders): string {
  if (h.from === undefined) return h.defaultSender;
  if (mailbox(h.from) !== null) return h.from;
  const display = h.from.trim();
  return display === '' ? h.defaultSender : `${display} <${h.defaultSender}>`;
}

const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ');

/** RFC 2047 encoded word for text that is not plain ASCII. */
function headerText(value: string): string {
  const flat = oneLine(value);
  return /^[\x20-\x7e\t]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in local time: `Tue, 02 Jan 2024 10:11:12 +0100`. */
export function rfc5322Date(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

export function headerLines(h: MailHeaders): string[] {
  const lines = [`From: ${oneLine(fromField(h))}`, `To: ${h.to.map(oneLine).join(', ')}`];
  if (h.cc !== undefined) lines.push(`Cc: ${oneLine(h.cc)}`);
  if (h.subject !== undefined) lines.push(`Subject: ${headerText(h.subject)}`);
  if (h.replyTo !== undefined) lines.push(`Reply-To: ${oneLine(h.replyTo)}`);
  lines.push(`Date: ${rfc5322Date(h.date)}`);
  if (h.utf8) lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit');
  return lines;
}

/** The body's lines (LF or CRLF ends; a last line without one counts), cut to SMTP's line limit. */
function bodyLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start < body.length;) {
    let end = body.indexOf(0x0a, start);
    const next = end < 0 ? body.length : end + 1;
    if (end < 0) end = body.length;
    if (end > start && body[end - 1] === 0x0d) end--;
    for (let at = start; ; at += MAX_LINE) {
      lines.push(body.subarray(at, Math.min(end, at + MAX_LINE)));
      if (at + MAX_LINE >= end) break;
    }
    start = next;
  }
  return lines;
}

/**
 * Headers, a blank line and the body, ready to follow DATA. With `maxLines` > 0 the
 * body stops there and says how many lines it left out, in Bareos's words.
 */
export function messageData(h: MailHeaders, body: Buffer, maxLines = 0): Buffer {
  const crlf = Buffer.from('\r\n');
  const parts: Buffer[] = [Buffer.from(headerLines(h).join('\r\n') + '\r\n\r\n', 'utf8')];
  const lines = bodyLines(body);
  const kept = maxLines > 0 ? lines.slice(0, maxLines) : lines;
  for (const line of kept) {
    if (line[0] === 0x2e) parts.push(Buffer.from('.'));
    parts.push(line, crlf);
  }
  if (kept.length < lines.length) {
    parts.push(Buffer.from(`\r\n\r\n[maximum of ${maxLines} lines exceeded, skipped ${lines.length - maxLines} lines of output]\r\n`));
  }
  return Buffer.concat(parts);
}
