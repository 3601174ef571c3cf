/**
 * Console commands are data (STYLE.md habit 11): a name, its help, and a handler that
 * returns a typed result. The session renders results as text, or as one JSON
 * document per command in `.api json` mode.
 */
import type { Args } from './args.js';
import type { ConsoleContext } from './context.js';
import type { Dialog } from './dialog.js';

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

export function ok(text: string, data?: unknown): CommandResult {
  return { ok: true, text, data };
}

export function failed(text: string): CommandResult {
  return { ok: false, text };
}

/** Fixed-width table as Bareos's list commands print it. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const fmt = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  if (cells.length === 0) return 'No results to list.';
  return [rule, fmt(headers), rule, ...cells.map(fmt), rule].join('\n');
}
