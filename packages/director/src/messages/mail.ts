/**
 * Mail and operator destinations of a Messages resource. Mail destinations gather a
 * job's lines and, when the job ends, pipe them into the Messages resource's Mail
 * Command (`mail` always, `mail on error` only for failed jobs, `mail on success`
 * only for good ones); `operator` lines go out at once through the Operator Command.
 * Commands run directly (no shell, like Bareos's pipes) after Bareos's % substitutions;
 * a failing command is reported in the job log and the daemon log, never fatal to the job.
 */
import { runCommand } from '@burrow/common/scripts/command';
import { describeError } from '@burrow/common/errors/index';
import type { MessageType } from './job-lines.js';

/** A job's mail is capped so that a job with a million warnings cannot exhaust memory. */
const MAX_MAIL_BYTES = 1 << 20;

export type MailWhen = 'always' | 'error' | 'success';

export interface MailTarget {
  when: MailWhen;
  recipients: string;
  accepts: (type: MessageType) => boolean;
}

/** How a mail or operator command failed: what ran, why, and what it said (its first lines). */
export interface CommandFailure {
  command: string;
  reason: string;
  output: string[];
}

/** Runs a mail or operator command with `input` as its standard input; returns its failure, if it failed. */
export async function deliver(command: string, input: string): Promise<CommandFailure | null> {
  const output: string[] = [];
  const r = await runCommand(command, { input, onLine: (l) => { if (output.length < 20 && l.trim() !== '') output.push(l); } })
    .catch((err: unknown) => ({ exitCode: null, error: describeError(err) }));
  if (r.exitCode === 0) return null;
  return { command, reason: r.error ?? `exit status ${r.exitCode}`, output };
}

/**
 * The failure in Bareos's words ("Mail program terminated in error.", CMD=, ERR=, and
 * a "Mail prog:" line per line the program said), for the job log.
 */
export function describeFailure(f: CommandFailure): string {
  return ['Mail program terminated in error.', `CMD=${f.command}`, `ERR=${f.reason}`, ...f.output.map((l) => `Mail prog: ${l}`)].join('\n');
}

/** One job's gathered mail for one destination. */
export class MailBuffer {
  private text = '';
  private truncated = false;

  add(line: string): void {
    if (this.text.length + line.length + 1 > MAX_MAIL_BYTES) {
      this.truncated = true;
      return;
    }
    this.text += `${line}\n`;
  }

  body(): string {
    return this.truncated ? `${this.text}... (further lines left out; see the job log)\n` : this.text;
  }

  get empty(): boolean {
    return this.text.length === 0;
  }
}

export function shouldMail(when: MailWhen, status: string): boolean {
  const good = status === 'T' || status === 'W';
  return when === 'always' || (when === 'success' ? good : !good);
}
