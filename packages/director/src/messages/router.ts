/**
 * Messages resources: where each job's lines go besides the catalog. Implemented
 * destinations: `append`/`file` (a log file), `stdout`, `stderr`; `console` and
 * `catalog` are served by the catalog log itself (the `messages` command reads it).
 * Mail, operator and syslog destinations are accepted and announced as not yet
 * delivered, so nobody believes a mail went out.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MessagesResource } from '@burrow/common/config/index';
import type { Logger } from '@burrow/common/log/index';
import type { MessageSink, MessageType } from '../jobs/job-log.js';

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

export class MessageRouter {
  private readonly sinks = new Map<string, MessageSink>();

  constructor(resources: readonly MessagesResource[], resolvePath: (p: string) => string, log: Logger) {
    for (const res of resources) {
      const targets: Array<{ accepts: (t: MessageType) => boolean; write: Writer }> = [];
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
          default:
            log.warn(`Messages "${res.name}": destination ${d.destination} is not delivered yet by Burrow 0.1`);
        }
      }
      this.sinks.set(res.name.toLowerCase(), (type, line) => {
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
}
