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
import { MailBuffer, deliver, describeFailure, shouldMail, type MailTarget } from './mail.js';

// As in Bareos, `all` takes in `audit` too (its stock Messages say `all, !audit`).
const ALL_TYPES: readonly MessageType[] = ['info', 'warning', 'error', 'fatal', 'terminate', 'saved', 'notsaved', 'skipped', 'restored', 'audit', 'security', 'mount'];

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

/** Writes one line; `jobId` is the job it belongs to (null for the Director's own lines). */
type Writer = (line: string, jobId: number | null) => void;

interface Target {
  accepts: (t: MessageType) => boolean;
  write: Writer;
}

/** One Messages resource, its destinations sorted by how they deliver. */
interface Routes {
  resource: MessagesResource;
  /** Files, stdout, stderr: written at once, and cannot fail in a way worth a job line. */
  local: Target[];
  /** Operator Command: run at once for each line. */
  operator: Target[];
  /** Mail Command: gathered per job, sent at its end. */
  mails: MailTarget[];
}

/** The end of a job as Mail Command substitutions and mail conditions see it. */
export interface JobEndInfo {
  status: string;
  vars: PercentVars;
}

/** A Mail or Operator Command that failed while delivering a job's lines. */
export interface DeliveryFailure {
  jobId: number;
  /** The Messages resource. */
  messages: string;
  /** In Bareos's words (mail.ts describeFailure), for the job log. */
  text: string;
}

export interface MessageRouterOptions {
  /** Paths in the configuration are relative to its directory. */
  resolvePath: (p: string) => string;
  log: Logger;
  /**
   * Puts a failed delivery in the job's log (the catalog, so `messages` and `list
   * joblog` show it). The daemon log has it anyway.
   */
  onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /**
   * The % codes of a job, for an Operator Command run for one of its lines (Bareos's
   * stock one says `-s "Bareos: Intervention needed for %j"`).
   */
  jobVars?: (jobId: number) => PercentVars | Promise<PercentVars>;
}

export class MessageRouter {
  private readonly routes = new Map<string, Routes>();
  /** Per job, per mail target: the lines gathered so far. */
  private readonly mail = new Map<number, Map<MailTarget, MailBuffer>>();
  private readonly log: Logger;

  constructor(resources: readonly MessagesResource[], private readonly o: MessageRouterOptions) {
    this.log = o.log;
    for (const res of resources) this.routes.set(res.name.toLowerCase(), this.build(res));
  }

  private build(res: MessagesResource): Routes {
    const routes: Routes = { resource: res, local: [], operator: [], mails: [] };
    for (const d of res.destinations) {
      const accepts = typeFilter(d.types);
      switch (d.destination) {
        case 'append':
        case 'file': {
          const file = this.o.resolvePath(d.address ?? '');
          mkdirSync(dirname(file), { recursive: true });
          if (d.destination === 'file') writeFileSync(file, '');
          routes.local.push({ accepts, write: (line) => appendFileSync(file, `${line}\n`) });
          break;
        }
        case 'stdout':
          routes.local.push({ accepts, write: (line) => process.stdout.write(`${line}\n`) });
          break;
        case 'stderr':
          routes.local.push({ accepts, write: (line) => process.stderr.write(`${line}\n`) });
          break;
        case 'console':
        case 'catalog':
        case 'director':
          break;
        case 'mail':
        case 'mailonerror':
        case 'mailonsuccess':
          if (!res.mailCommand) this.log.warn(`Messages "${res.name}": ${d.destination} needs a Mail Command; no mail will be sent`);
          routes.mails.push({ when: d.destination === 'mail' ? 'always' : d.destination === 'mailonerror' ? 'error' : 'success', recipients: d.address ?? '', accepts });
          break;
        case 'operator': {
          const command = res.operatorCommand;
          if (!command) this.log.warn(`Messages "${res.name}": operator needs an Operator Command; no message will be sent`);
          else {
            routes.operator.push({
              accepts,
              write: (line, jobId) => {
                // The job's names come from the catalog; without them the command still runs.
                const vars = Promise.resolve(jobId === null ? {} : this.o.jobVars?.(jobId) ?? {}).catch((): PercentVars => ({}));
                void vars.then((v) => this.send(res.name, 'operator', substitute(command, { ...v, r: d.address ?? '' }), `${line}\n`, jobId));
              },
            });
          }
          break;
        }
        default:
          this.log.warn(`Messages "${res.name}": destination ${d.destination} is not delivered yet by Burrow 0.1`);
      }
    }
    return routes;
  }

  /** Where a job's lines go besides the catalog: every destination of the resource. */
  sink(messagesName: string): MessageSink {
    const routes = this.routes.get(messagesName.toLowerCase());
    if (!routes) return () => undefined;
    return (type, line, jobId) => {
      if (jobId !== null) this.gather(jobId, routes.mails, type, line);
      this.write(routes, routes.local, type, line, jobId);
      this.write(routes, routes.operator, type, line, jobId);
    };
  }

  /**
   * Only the files, stdout and stderr of the resource: for lines about a failed mail
   * or operator command, which must not go back into a command that is failing.
   */
  localSink(messagesName: string): MessageSink {
    const routes = this.routes.get(messagesName.toLowerCase());
    return routes ? (type, line) => this.write(routes, routes.local, type, line, null) : () => undefined;
  }

  private write(routes: Routes, targets: readonly Target[], type: MessageType, line: string, jobId: number | null): void {
    for (const t of targets) {
      if (!t.accepts(type)) continue;
      try {
        t.write(line, jobId);
      } catch (err) {
        this.log.warn({ err: String(err) }, `Messages "${routes.resource.name}": cannot write a line`);
      }
    }
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

  /** Runs the command; a failure goes to the daemon log and, for a job's line, to its job log. */
  private async send(messages: string, what: 'mail' | 'operator', command: string, input: string, jobId: number | null): Promise<void> {
    const failure = await deliver(command, input);
    if (!failure) return;
    this.log.warn({ jobId, command, output: failure.output }, `Messages "${messages}" ${what}: "${command}" failed (${failure.reason})${failure.output.length ? `: ${failure.output.join(' | ')}` : ''}`);
    if (jobId !== null) this.o.onDeliveryFailure?.({ jobId, messages, text: describeFailure(failure) });
  }

  /** The job is over: send its mail as the destinations' conditions say, and forget it. */
  async jobEnded(jobId: number, messagesName: string, end: JobEndInfo): Promise<void> {
    const perJob = this.mail.get(jobId);
    this.mail.delete(jobId);
    const routes = this.routes.get(messagesName.toLowerCase());
    const mailCommand = routes?.resource.mailCommand;
    if (!perJob || !routes || !mailCommand) return;
    const sends: Array<Promise<void>> = [];
    for (const [target, buf] of perJob) {
      if (buf.empty || !shouldMail(target.when, end.status)) continue;
      const command = substitute(mailCommand, { ...end.vars, r: target.recipients });
      sends.push(this.send(routes.resource.name, 'mail', command, buf.body(), jobId));
    }
    await Promise.all(sends);
  }
}
