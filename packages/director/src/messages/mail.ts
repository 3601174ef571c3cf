/**
 * Mail and operator destinations of a Messages resource. Mail destinations gather a
 * job's lines and, when the job ends, pipe them into the Messages resource's Mail
 * Command (`mail` always, `mail on error` only for failed jobs, `mail on success`
 * only for good ones); `operator` lines go out at once through the Operator Command.
 * Commands run directly (no shell, like Bareos's pipes) after Bareos's % substitutions;
 * a failing command is logged, never fatal to the job.
 */
import { runCommand } from '@burrow/common/scripts/command';
import type { Logger } from '@burrow/common/log/index';
import type { MessageType } from './job-lines.js';

/** A job's mail is capped so that a job with a million warnings cannot exhaust memory. */
const MAX_MAIL_BYTES = 1 << 20;

export type MailWhen = 'always' | 'error' | 'success';

export interface MailTarget {
  when: MailWhen;
  recipients: string;
  accepts: (type: MessageType) => boolean;
}

/** Runs a mail or operator command with `input` as its standard input; failures are logged. */
export async function deliver(command: string, input: string, log: Logger, what: string): Promise<void> {
  const output: string[] = [];
  const r = await runCommand(command, { input, onLine: (l) => { if (output.length < 20) output.push(l); } }).catch((err: unknown) => ({ exitCode: null, error: String(err) }));
  if (r.exitCode !== 0) log.warn(`${what}: "${command}" failed (${r.error ?? `exit ${r.exitCode}`}): ${output.join(' | ')}`);
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
