/**
 * Messages resources: where each job's lines go besides the catalog. Destinations:
 * `append`/`file` (a log file), `stdout`, `stderr`, `mail`, `mail on error`,
 * `mail on success` (through Mail Command at the job's end) and `operator` (through
 * Operator Command at once); `console` and `catalog` are served by the catalog log
 * itself (the `messages` command reads it). Syslog is accepted and announced as not
 * delivered, so nobody believes a line went there.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MessagesResource } from '@burrow/common/config/index';
import type { Logger } from '@burrow/common/log/index';
import type { MessageSink, MessageType } from './job-lines.js';
import { substitute, type PercentVars } from './percent.js';
import { MailBuffer, deliver, shouldMail, type MailTarget } from './mail.js';

const ALL_TYPES: readonly MessageType[] = ['info', 'warning', 'error', 'fatal', 'terminate', 'saved', 'notsaved', 'skipped', 'restored'];

/** Bareos's type lists: `all, !skipped` — start empty, add and remove in order. */
export function typeFilter(types: readonly string[]): (t: MessageType) => boolean {
  const on = new Set<string>();
  for (const raw of types) {
    const neg = raw.startsWith('!');
    const name = neg ? raw.slice(1) : raw;
    const names = name === 'all' ? ALL_TYPES : [name];
    for (const n of names) {
      if (neg) on.delete(n);
      else on.add(n);
    }
  }
  return (t) => on.has(t);
}

type Writer = (line: string) => void;

/** The end of a job as Mail Command substitutions and mail conditions see it. */
export interface JobEndInfo {
  status: string;
  vars: PercentVars;
}

export class MessageRouter {
  private readonly sinks = new Map<string, MessageSink>();
  private readonly mailTargets = new Map<string, { resource: MessagesResource; targets: MailTarget[] }>();
  /** Per job, per mail target: the lines gathered so far. */
  private readonly mail = new Map<number, Map<MailTarget, MailBuffer>>();

  constructor(resources: readonly MessagesResource[], resolvePath: (p: string) => string, private readonly log: Logger) {
    for (const res of resources) {
      const targets: Array<{ accepts: (t: MessageType) => boolean; write: Writer }> = [];
      const mails: MailTarget[] = [];
      this.mailTargets.set(res.name.toLowerCase(), { resource: res, targets: mails });
      for (const d of res.destinations) {
        const accepts = typeFilter(d.types);
        switch (d.destination) {
          case 'append':
          case 'file': {
            const file = resolvePath(d.address ?? '');
            mkdirSync(dirname(file), { recursive: true });
            if (d.destination === 'file') writeFileSync(file, '');
            targets.push({ accepts, write: (line) => appendFileSync(file, `${line}\n`) });
            break;
          }
          case 'stdout':
            targets.push({ accepts, write: (line) => process.stdout.write(`${line}\n`) });
            break;
          case 'stderr':
            targets.push({ accepts, write: (line) => process.stderr.write(`${line}\n`) });
            break;
          case 'console':
          case 'catalog':
          case 'director':
            break;
          case 'mail':
          case 'mailonerror':
          case 'mailonsuccess':
            if (!res.mailCommand) log.warn(`Messages "${res.name}": ${d.destination} needs a Mail Command; no mail will be sent`);
            mails.push({ when: d.destination === 'mail' ? 'always' : d.destination === 'mailonerror' ? 'error' : 'success', recipients: d.address ?? '', accepts });
            break;
          case 'operator': {
            const command = res.operatorCommand;
            if (!command) log.warn(`Messages "${res.name}": operator needs an Operator Command; no message will be sent`);
            else targets.push({ accepts, write: (line) => void deliver(substitute(command, { r: d.address ?? '' }), `${line}\n`, log, `Messages "${res.name}" operator`) });
            break;
          }
          default:
            log.warn(`Messages "${res.name}": destination ${d.destination} is not delivered yet by Burrow 0.1`);
        }
      }
      this.sinks.set(res.name.toLowerCase(), (type, line, jobId) => {
        if (jobId !== null) this.gather(jobId, mails, type, line);
        for (const t of targets) {
          if (!t.accepts(type)) continue;
          try {
            t.write(line);
          } catch (err) {
            log.warn({ err: String(err) }, `Messages "${res.name}": cannot write a line`);
          }
        }
      });
    }
  }

  sink(messagesName: string): MessageSink {
    return this.sinks.get(messagesName.toLowerCase()) ?? (() => undefined);
  }

  private gather(jobId: number, targets: readonly MailTarget[], type: MessageType, line: string): void {
    for (const t of targets) {
      if (!t.accepts(type)) continue;
      let perJob = this.mail.get(jobId);
      if (!perJob) this.mail.set(jobId, (perJob = new Map()));
      let buf = perJob.get(t);
      if (!buf) perJob.set(t, (buf = new MailBuffer()));
      buf.add(line);
    }
  }

  /** The job is over: send its mail as the destinations' conditions say, and forget it. */
  async jobEnded(jobId: number, messagesName: string, end: JobEndInfo): Promise<void> {
    const perJob = this.mail.get(jobId);
    this.mail.delete(jobId);
    const res = this.mailTargets.get(messagesName.toLowerCase());
    if (!perJob || !res?.resource.mailCommand) return;
    const sends: Array<Promise<void>> = [];
    for (const [target, buf] of perJob) {
      if (buf.empty || !shouldMail(target.when, end.status)) continue;
      const command = substitute(res.resource.mailCommand, { ...end.vars, r: target.recipients });
      sends.push(deliver(command, buf.body(), this.log, `Messages "${res.resource.name}" mail`));
    }
    await Promise.all(sends);
  }
}
