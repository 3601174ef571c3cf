/**
 * The console's contract, in one place. Console commands are data (STYLE.md habit 11):
 * each is a name, its help, an argument schema, a handler that returns a typed result
 * (plain data, never text) and a renderer that turns that result into Bareos's text.
 * bconsole gets the text, `.api json` the result itself, and an HTTP API can call the
 * same handler with JSON arguments: the schema reads both.
 *
 * Terms:
 * - CommandSpec<S, R>: what a command family writes (`commands/*.ts`): schema S,
 *   result R, handler, renderer. `defineCommand` makes it a Command.
 * - Command: one entry of the command table (`commands/index.ts`), its types erased
 *   so one table holds every command; `invoke` checks the arguments, runs, renders.
 * - CommandResult: what the session gets back: ok, the result, its text on demand,
 *   and maybe the next Dialog.
 * - Question<R> / Dialog: a command that goes on as a conversation (Bareos's restore
 *   menu and file tree). A handler replies `ask(result, question)`; the session sends
 *   the question's prompt with the reply and hands the console's next line to it
 *   instead of the command table. Its answers are the command's results too, rendered
 *   by the same renderer. bconsole shows the prompt and sends what is typed (or the
 *   next line of a pipe); in `.api json` mode the prompt is a field of the JSON
 *   document. A line "." (or the dialog's own quit) ends it, as in Bareos.
 * - ConsoleContext: everything a handler may use, passed in, nothing global; it also
 *   carries the command table itself, so `help` needs no import of the table.
 *
 * This file imports only types of the Director's parts and the argument checker,
 * never a command, so every command and the session import it without a cycle.
 */
import type { z } from 'zod';
import type { DirectorConfig } from '@burrow/common/config/index';
import { argsError } from './arg-types.js';
import { keywordInput, type Arg } from './args.js';
import type { Catalog } from '../catalog/index.js';
import type { JobEnv } from '../jobs/env.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { RestoreTree } from '../restore-tree/tree.js';
import type { Generation, LiveConfiguration } from '../configuration/live.js';
import type { ReloadOutcome } from '../configuration/reload.js';

/** A question of a conversation; its answers are results of the command that asked. */
export interface Question<R> {
  readonly prompt: string;
  answer(ctx: ConsoleContext, line: string): Reply<R> | Promise<Reply<R>>;
}

/** A result that asks a question: the conversation goes on with the next line. */
export class Asking<R> {
  constructor(readonly result: R, readonly next: Question<R>) {}
}

/** What a handler (or an answer to one of its questions) returns. */
export type Reply<R> = R | Asking<R>;

export function ask<R>(result: R, next: Question<R>): Asking<R> {
  return new Asking(result, next);
}

export interface CommandSpec<S extends z.ZodType, R> {
  name: string;
  help: string;
  usage: string;
  /** The arguments: a console line's keywords (see `keywordInput`), or a JSON object. */
  args: S;
  /** The field a bare first word fills (`list jobs`, `status dir`, `help run`). */
  positional?: string;
  /** A console line that is not plain keywords (`show job=NAME`), read into the schema's input. */
  readLine?(words: readonly Arg[]): unknown;
  /** Runs the command: plain data out, errors thrown as BurrowError. */
  run(ctx: ConsoleContext, args: z.output<S>): Reply<R> | Promise<Reply<R>>;
  /** Bareos's text for a result; pure (no catalog, no clock), so it is tested alone. */
  render(result: R): string;
  /** Whether a result counts as success (bconsole's exit status); every result does unless said. */
  succeeded?(result: R): boolean;
  /** Told of every refusal, bad arguments included, before the session answers it (restore audits them). */
  refused?(ctx: ConsoleContext, err: unknown): void | Promise<unknown>;
}

/** What the session gets back from a command or an answer, the result's type erased. */
export interface CommandResult {
  ok: boolean;
  /** Plain data (JSON-safe): what `.api json` sends. */
  result: unknown;
  /** What a person reads, rendered when asked for. */
  text(): string;
  /** The command goes on as a conversation: the next line goes to this dialog. */
  next?: Dialog;
}

export interface Dialog {
  readonly prompt: string;
  answer(ctx: ConsoleContext, line: string): Promise<CommandResult>;
}

/** An entry of the command table. */
export interface Command {
  readonly name: string;
  readonly help: string;
  readonly usage: string;
  readonly args: z.ZodType;
  readonly positional?: string;
  /** Reads a console line's words into the input `invoke` takes. */
  readLine(words: readonly Arg[]): unknown;
  /** Checks the arguments (BAD_REQUEST naming the keyword), runs the handler. */
  invoke(ctx: ConsoleContext, input: unknown): Promise<CommandResult>;
}

/** A Command that keeps its typed spec (for tests and for callers that want R). */
export type TypedCommand<S extends z.ZodType, R> = Command & { readonly spec: CommandSpec<S, R> };

export function defineCommand<S extends z.ZodType, R>(spec: CommandSpec<S, R>): TypedCommand<S, R> {
  const settle = (reply: Reply<R>): CommandResult => {
    const asking = reply instanceof Asking;
    const result = asking ? reply.result : reply;
    return {
      ok: spec.succeeded?.(result) ?? true,
      result,
      text: () => spec.render(result),
      next: asking ? dialogOf(reply.next) : undefined,
    };
  };
  const dialogOf = (q: Question<R>): Dialog => ({
    prompt: q.prompt,
    answer: async (ctx, line) => settle(await q.answer(ctx, line)),
  });
  return {
    name: spec.name, help: spec.help, usage: spec.usage, args: spec.args, positional: spec.positional, spec,
    readLine: (words) => (spec.readLine ? spec.readLine(words) : keywordInput(words, spec.positional)),
    invoke: async (ctx, input) => {
      try {
        const parsed = spec.args.safeParse(input);
        if (!parsed.success) throw argsError(spec, parsed.error);
        return settle(await spec.run(ctx, parsed.data));
      } catch (err) {
        await spec.refused?.(ctx, err);
        throw err;
      }
    },
  };
}

/** State shared by every console of this Director (Bareos has one console message queue). */
export interface DirectorState {
  startedAt: number;
  /** The last job log line `messages` has shown. */
  lastShownLogId: number;
}

export interface ConsoleSession {
  consoleName: string;
  /** Where the console connected from (its IP address); none for the Director's own run-script console. */
  address?: string;
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
  /** The Director's own messages of `config` (audit lines), to its `Messages =` resource's destinations. */
  daemonMessage: Generation['daemonMessage'];
  /** Where `config` and `env` come from; `reload` replaces what it holds. */
  live: LiveConfiguration;
  /** Reads the configuration file again and puts it in force if it passes every check (configuration/reload.ts). */
  reload: () => Promise<ReloadOutcome>;
  state: DirectorState;
  scheduler: Scheduler;
  session: ConsoleSession;
  /** The command table, by name (what `help` lists and the session dispatches through). */
  commands: ReadonlyMap<string, Command>;
  /** Paths in the configuration are relative to its directory. */
  resolvePath: (p: string) => string;
}

/** What every console connection shares; each command gets it with the generation in force. */
export type ConsoleServices = Omit<ConsoleContext, 'session' | 'config' | 'env' | 'daemonMessage'>;
