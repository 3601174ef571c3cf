/**
 * One console connection: each ConsoleCommand is parsed, dispatched through the
 * command table and answered with one ConsoleReply, as text or (in `.api json` mode)
 * as one JSON document. A failing command is an answer with ok=false, never the end
 * of the connection.
 */
import { toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { Args, parseCommand } from './args.js';
import type { ConsoleContext } from './context.js';
import { COMMANDS } from './commands/index.js';
import type { CommandResult } from './table.js';

export async function serveConsole(base: Omit<ConsoleContext, 'session'>, channel: Channel, signal: AbortSignal): Promise<void> {
  const ctx: ConsoleContext = { ...base, session: { consoleName: channel.peer.name, api: false } };
  for (;;) {
    const msg = await channel.receive(signal);
    if (msg.kind !== 'consoleCommand') throw channel.violation(`a console may not send ${msg.kind}`);
    const result = await execute(ctx, msg.body.text ?? '');
    await channel.send('consoleReply', render(ctx, result));
  }
}

export async function execute(ctx: ConsoleContext, line: string): Promise<CommandResult> {
  try {
    const parsed = parseCommand(line);
    const command = COMMANDS.get(parsed.name);
    if (!command) return { ok: false, text: `${parsed.name}: is an invalid command. Type "help" for the list.` };
    return await command.run(ctx, new Args(parsed.args));
  } catch (err) {
    const e = toBurrowError(err);
    return { ok: false, text: e.message, data: { error: { code: e.code, message: e.message } } };
  }
}

function render(ctx: ConsoleContext, result: CommandResult): { ok: boolean; text: string; json: string } {
  if (!ctx.session.api) return { ok: result.ok, text: result.text, json: '' };
  const doc = result.ok
    ? { jsonrpc: '2.0', id: null, result: result.data ?? { text: result.text } }
    : { jsonrpc: '2.0', id: null, error: { code: 1, message: result.text, data: result.data ?? null } };
  return { ok: result.ok, text: '', json: JSON.stringify(doc) };
}
