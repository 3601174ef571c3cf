/** messages, help, version, .api: the console's informational commands. */
import { z } from 'zod';
import { VERSION } from '@burrow/common/daemon/version';
import { BurrowError } from '@burrow/common/errors/index';
import { defineCommand } from '../command.js';
import { choice } from '../arg-types.js';
import { consoleScope } from '../scope.js';

export interface MessagesResult {
  /** The job log lines this console had not seen, oldest first. */
  messages: string[];
}

export const messagesCommand = defineCommand({
  name: 'messages',
  help: 'Show the job messages no console has seen yet',
  usage: 'messages',
  args: z.object({}).strict(),
  run: async (ctx): Promise<MessagesResult> => {
    const scope = consoleScope(ctx);
    if (!scope.restricted) {
      const lines = await ctx.catalog.listLogsSince(ctx.state.lastShownLogId, 10_000);
      const last = lines[lines.length - 1];
      if (last) ctx.state.lastShownLogId = last.logId;
      return { messages: lines.map((l) => l.text) };
    }
    // A restricted console reads only its jobs' lines, from its own place in the log.
    const lines = await ctx.catalog.listLogsSince(ctx.session.lastShownLogId ?? 0, 10_000);
    const last = lines[lines.length - 1];
    if (last) ctx.session.lastShownLogId = last.logId;
    const seen = new Map<number, boolean>();
    const visible = async (jobId: number | null): Promise<boolean> => {
      if (jobId === null) return false;
      let v = seen.get(jobId);
      if (v === undefined) {
        const j = await ctx.catalog.getJob(jobId);
        seen.set(jobId, (v = j !== undefined && scope.jobAllowed(j)));
      }
      return v;
    };
    const messages: string[] = [];
    for (const l of lines) if (await visible(l.jobId)) messages.push(l.text);
    return { messages };
  },
  render: (r) => (r.messages.length ? r.messages.join('\n') : 'You have no messages.'),
});

interface CommandHelp {
  name: string;
  help: string;
  usage: string;
}

/** One command's help (`help run`), or every command's (`help`). */
export type HelpResult = CommandHelp | { commands: CommandHelp[] };

export const helpCommand = defineCommand({
  name: 'help',
  help: 'Print help on the commands',
  usage: 'help [command]',
  args: z.object({ command: z.string().optional() }).strict(),
  positional: 'command',
  run: (ctx, args): HelpResult => {
    const about = ({ name, help, usage }: CommandHelp): CommandHelp => ({ name, help, usage });
    if (args.command === undefined) return { commands: [...ctx.commands.values()].map(about) };
    const c = ctx.commands.get(args.command.toLowerCase());
    if (!c) throw new BurrowError('NOT_FOUND', `no command "${args.command}"`);
    return about(c);
  },
  render: (r) => {
    if (!('commands' in r)) return `${r.name}: ${r.help}\nUsage: ${r.usage}`;
    const rows = r.commands.map((c) => `  ${c.name.padEnd(10)} ${c.help}`);
    return ['  Command    Description', '  =======    ===========', ...rows, '', 'quit or exit leaves the console.'].join('\n');
  },
});

export interface VersionResult {
  name: string;
  version: string;
}

export const versionCommand = defineCommand({
  name: 'version',
  help: 'Print the Director version',
  usage: 'version',
  args: z.object({}).strict(),
  run: (ctx): VersionResult => ({ name: ctx.env.directorName, version: VERSION }),
  render: (r) => `${r.name} Version: ${r.version} (Burrow)`,
});

export interface ApiResult {
  /** Bareos's numbers: 2 for JSON answers, 0 for text. */
  api: 2 | 0;
}

export const apiCommand = defineCommand({
  name: '.api',
  help: 'Switch the console to JSON answers (.api json) or back (.api off)',
  usage: '.api json|2|on | .api off|0',
  args: z.object({ mode: choice(['json', '2', 'on', '1', 'off', '0'], 'say json or off').default('json') }).strict(),
  positional: 'mode',
  run: (ctx, args): ApiResult => {
    ctx.session.api = !['off', '0'].includes(args.mode);
    return { api: ctx.session.api ? 2 : 0 };
  },
  render: (r) => `api mode ${r.api === 2 ? 'json' : 'off'}`,
});
