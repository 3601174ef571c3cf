/**
 * A command that goes on as a conversation (Bareos's restore menu and file tree):
 * its result carries the next Dialog; the session then sends the dialog's prompt with
 * the reply and hands the console's next line to it instead of the command table.
 * bconsole shows the prompt and sends what is typed (or the next line of a pipe);
 * in `.api json` mode the prompt is a field of the JSON document. A line "." (or
 * the dialog's own quit) ends it, as in Bareos.
 */
import type { ConsoleContext } from './context.js';
import type { CommandResult } from './table.js';

export interface Dialog {
  readonly prompt: string;
  /** Answers one line; the result's `next` is the dialog that goes on (none: it ended). */
  answer(ctx: ConsoleContext, line: string): Promise<CommandResult> | CommandResult;
}

/** A reply that asks again: `text`, then `prompt` for the next line. */
export function ask(text: string, next: Dialog, data?: unknown): CommandResult {
  return { ok: true, text, data, next };
}
