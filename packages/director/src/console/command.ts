/**
 * The console's contract, in one place. Console commands are data (STYLE.md habit 11):
 * a name, its help, and a handler that returns a result; the session renders results
 * as text, or as one JSON document per command in `.api json` mode.
 *
 * Terms:
 * - Command: one entry of the command table (`commands/index.ts`).
 * - ConsoleContext: everything a handler may use, passed in, nothing global; it also
 *   carries the command table itself, so `help` needs no import of the table.
 * - Dialog: a command that goes on as a conversation (Bareos's restore menu and file
 *   tree). Its result carries the next Dialog; the session then sends the dialog's
 *   prompt with the reply and hands the console's next line to it instead of the
 *   command table. bconsole shows the prompt and sends what is typed (or the next line
 *   of a pipe); in `.api json` mode the prompt is a field of the JSON document. A line
 *   "." (or the dialog's own quit) ends it, as in Bareos.
 *
 * This file imports only types of the Director's parts, never a command, so every
 * command and the session can import it without a cycle.
 */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { Args } from './args.js';
import type { Catalog } from '../catalog/index.js';
import type { JobEnv } from '../jobs/env.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { RestoreTree } from '../restore-tree/tree.js';
import type { LiveConfiguration } from '../configuration/live.js';

export interface CommandResult {
  ok: boolean;
  /** What a person reads. */
  text: string;
  /** What a script reads in `.api json` mode. */
  data?: unknown;
  /** The command goes on as a conversation: the next line goes to this dialog. */
  next?: Dialog;
}

export interface Command {
  name: string;
  help: string;
  usage: string;
  run: (ctx: ConsoleContext, args: Args) => Promise<CommandResult> | CommandResult;
}

export interface Dialog {
  readonly prompt: string;
  /** Answers one line; the result's `next` is the dialog that goes on (none: it ended). */
  answer(ctx: ConsoleContext, line: string): Promise<CommandResult> | CommandResult;
}

export function ok(text: string, data?: unknown): CommandResult {
  return { ok: true, text, data };
}

export function failed(text: string): CommandResult {
  return { ok: false, text };
}

/** A reply that asks again: `text`, then `prompt` for the next line. */
export function ask(text: string, next: Dialog, data?: unknown): CommandResult {
  return { ok: true, text, data, next };
}

/** State shared by every console of this Director (Bareos has one console message queue). */
export interface DirectorState {
  startedAt: number;
  /** The last job log line `messages` has shown. */
  lastShownLogId: number;
}

export interface ConsoleSession {
  consoleName: string;
  /** `.api json` mode: every command answers one JSON document. */
  api: boolean;
  /** A restricted console's own place in the job log (the shared one is the default console's). */
  lastShownLogId?: number;
  /** The conversation under way (restore menu, file tree), which gets the next line. */
  dialog?: Dialog;
  /** The last restore tree built, kept for the `.bvfs_*` calls on the same jobs. */
  browse?: { key: string; tree: RestoreTree };
  /** `.bvfs_restore path=b2NNN` selections, by name, until `restore file=?b2NNN` or `.bvfs_cleanup`. */
  bvfsSelections?: Map<string, BvfsSelection>;
}

/** Files a GUI chose through `.bvfs_restore`: nodes of the tree of those jobs. */
export interface BvfsSelection {
  client: string;
  jobIds: number[];
  tree: RestoreTree;
  nodes: number[];
}

export interface ConsoleContext {
  /** The configuration in force when the command started: one command sees one configuration. */
  config: DirectorConfig;
  catalog: Catalog;
  queue: JobQueue;
  /** What jobs submitted now use (the JobEnv of `config`). */
  env: JobEnv;
  /** Where `config` and `env` come from; `reload` replaces what it holds. */
  live: LiveConfiguration;
  state: DirectorState;
  scheduler: Scheduler;
  session: ConsoleSession;
  /** The command table, by name (what `help` lists and the session dispatches through). */
  commands: ReadonlyMap<string, Command>;
  /** Paths in the configuration are relative to its directory. */
  resolvePath: (p: string) => string;
}

/** What every console connection shares; each command gets it with the generation in force. */
export type ConsoleServices = Omit<ConsoleContext, 'session' | 'config' | 'env'>;
