/**
 * One console connection: each ConsoleCommand is parsed, dispatched through the
 * command table and answered with one ConsoleReply, as text or (in `.api json` mode)
 * as one JSON document. A failing command is an answer with ok=false, never the end
 * of the connection.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { parseCommand } from './args.js';
import type { Command, ConsoleContext, ConsoleServices, ConsoleSession, CommandResult } from './command.js';
import { consoleScope } from './scope.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import { aclFailure, auditWanted, commandLine, type AuditSource } from './audit.js';
import { announcingMedia } from './media-events.js';

export async function serveConsole(services: ConsoleServices, channel: Channel, signal: AbortSignal): Promise<void> {
  const session: ConsoleSession = { consoleName: channel.peer.name, api: false, address: hostOf(channel.remoteAddress) };
  for (;;) {
    const msg = await channel.receive(signal);
    if (msg.kind !== 'consoleCommand') throw channel.violation(`a console may not send ${msg.kind}`);
    const ctx = consoleContext(services, session);
    const result = await execute(ctx, msg.body.text);
    await channel.send('consoleReply', render(ctx, result));
  }
}

/** A command's context: the configuration in force now (a reload meanwhile changes the next command, not this one). */
export function consoleContext(services: ConsoleServices, session: ConsoleSession): ConsoleContext {
  const { config, env, daemonMessage } = services.live.current;
  return { ...services, config, env, daemonMessage, session };
}

/**
 * One console line: an answer to the conversation under way, or a command. An answer
 * refused (an error thrown) asks the same question again; a result ends the
 * conversation unless it asks a question of its own (a query that failed has nothing
 * left to ask).
 */
export async function execute(ctx: ConsoleContext, line: string): Promise<CommandResult> {
  const dialog = ctx.session.dialog;
  ctx.session.dialog = undefined;
  if (dialog) {
    if (line.trim() === '.') return failure(new BurrowError('BAD_REQUEST', 'Selection terminated.'));
    let refused = false;
    const result = await guard(() => dialog.answer(ctx, line), () => { refused = true; });
    ctx.session.dialog = result.next ?? (refused ? dialog : undefined);
    return result;
  }
  const result = await guard(() => {
    const parsed = parseCommand(line);
    const command = ctx.commands.get(parsed.name);
    if (!command) throw new BurrowError('BAD_REQUEST', `${parsed.name}: is an invalid command. Type "help" for the list.`);
    return dispatch(ctx, command, command.readLine(parsed.args), line);
  });
  ctx.session.dialog = result.next;
  return result;
}

/**
 * Runs a command for this console with its arguments as an object (read from a
 * console line, or JSON from another face): the one place CommandACL is enforced and
 * commands are audited (`line` is what the audit log shows; another face passes its
 * own rendering of the request). Refusals are logged, as Bareos logs them, and
 * answered as if the command did not exist for this console.
 */
export async function dispatch(ctx: ConsoleContext, command: Command, input: unknown, line: string): Promise<CommandResult> {
  const source: AuditSource = { consoleName: ctx.session.consoleName, from: ctx.session.address };
  if (!consoleScope(ctx).commandAllowed(command.name)) {
    await ctx.catalog.addLog(null, ctx.env.clock.now(), `Console "${ctx.session.consoleName}": command "${command.name}" refused by its CommandACL`);
    if (ctx.config.director.auditing) ctx.daemonMessage('audit', aclFailure(source, command.name));
    throw new BurrowError('NOT_ALLOWED', `${command.name}: is an invalid command or not permitted for this console.`);
  }
  if (auditWanted(ctx.config.director, command.name)) ctx.daemonMessage('audit', commandLine(source, line));
  return announcingMedia(ctx, command, input, () => command.invoke(ctx, input));
}

/**
 * `10.0.0.7:53122` -> `10.0.0.7`, `::1:53122` -> `::1`: where a console is, as Bareos's
 * audit lines name it. An IPv4 console of a dual-stack listener comes as
 * `::ffff:10.0.0.7`; it is named by its IPv4 address, as it connected.
 */
export function hostOf(remoteAddress: string): string {
  return remoteAddress.replace(/:[^:]*$/, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/**
 * One console line run as the Director's own console (unrestricted, as Bareos runs a
 * RunScript `Console =` line), answered as text. It has its own copy of the shared
 * state (a script's `messages` must not mark lines seen for the operator). A command
 * that would go on as a conversation fails: nobody is there to answer its question.
 */
export async function runAsDirector(services: ConsoleServices, line: string): Promise<{ ok: boolean; text: string }> {
  const { config, env, daemonMessage } = services.live.current;
  const ctx: ConsoleContext = { ...services, state: { ...services.state }, config, env, daemonMessage, session: { consoleName: DEFAULT_CONSOLE_NAME, api: false } };
  const result = await execute(ctx, line);
  const question = ctx.session.dialog;
  if (question) return { ok: false, text: `${result.text()}\n${line}: needs an answer to "${question.prompt.trim()}"; a console script cannot give one` };
  return { ok: result.ok, text: result.text() };
}

function failure(err: unknown): CommandResult {
  const e = toBurrowError(err);
  return { ok: false, result: { error: { code: e.code, message: e.message } }, text: () => e.message };
}

async function guard(work: () => Promise<CommandResult>, onError?: () => void): Promise<CommandResult> {
  try {
    return await work();
  } catch (err) {
    onError?.();
    return failure(err);
  }
}

function render(ctx: ConsoleContext, result: CommandResult): { ok: boolean; text: string; json: string; prompt: string } {
  const prompt = ctx.session.dialog?.prompt ?? '';
  if (!ctx.session.api) return { ok: result.ok, text: result.text(), json: '', prompt };
  const asked = prompt ? { prompt } : {};
  const doc = result.ok
    ? { jsonrpc: '2.0', id: null, result: result.result, ...asked }
    : { jsonrpc: '2.0', id: null, error: { code: 1, message: result.text(), data: result.result ?? null }, ...asked };
  return { ok: result.ok, text: '', json: JSON.stringify(doc), prompt };
}
