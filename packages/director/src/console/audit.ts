/**
 * Auditing, as Bareos's Director does it (dird/ua_audit.cc): with `Auditing = yes`,
 * each console command is logged as a message of type `audit` through the Director's
 * own Messages resource (Bareos's stock `Daemon` messages append them to
 * bareos-audit.log), naming the console and where it connected from:
 *
 *   Console [admin] from [127.0.0.1] cmdline run job=backup-client1 yes
 *   Console [alice] from [10.0.0.7], Audit acl failure for Command delete
 *
 * The default console is `default`. Which commands: those Bareos audits (every one
 * except the few that only read the session's own state, listed here), or with
 * `Audit Events = run, restore, ...` only those named. A command CommandACL refuses
 * is logged as an ACL failure whatever Audit Events says. Answers to a command's
 * questions (the restore menu, query prompts) are not commands and are not logged.
 */
import type { DirectorConfig } from '@burrow/common/config/index';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';

/**
 * Commands Bareos's command table marks as not audited (ua_cmds.cc): they change
 * nothing and show nothing but the session's own state. Any other command, including
 * one added later, is audited.
 */
const NOT_AUDITED = new Set(['.api', 'help', 'messages', 'version', 'wait', 'quit', 'exit', 'time', 'whoami', '.help', '.quit', '.messages']);

/** Who sent a command: the console's name (Bareos's `default` for the Director's own) and address. */
export interface AuditSource {
  readonly consoleName: string;
  /** The console's address; absent for a run script's console line. */
  readonly from?: string;
}

function who(s: AuditSource): string {
  return `Console [${s.consoleName === DEFAULT_CONSOLE_NAME ? 'default' : s.consoleName}] from [${s.from ?? 'unknown'}]`;
}

/** Whether this Director logs this command (Auditing, Audit Events). */
export function auditWanted(director: DirectorConfig['director'], command: string): boolean {
  if (!director.auditing || NOT_AUDITED.has(command)) return false;
  if (director.auditEvents.length === 0) return true;
  return director.auditEvents.some((e) => e.toLowerCase() === command.toLowerCase());
}

/** The audit line of a command about to run (the line as typed, trailing line ends dropped). */
export function commandLine(s: AuditSource, line: string): string {
  return `${who(s)} cmdline ${line.replace(/[\r\n]+$/, '')}`;
}

/** The audit line of a command the console's CommandACL refused. */
export function aclFailure(s: AuditSource, command: string): string {
  return `${who(s)}, Audit acl failure for Command ${command}`;
}
