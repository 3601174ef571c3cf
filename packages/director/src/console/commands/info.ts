/** show, messages, help, version, .api: the console's informational commands. */
import { VERSION } from '@burrow/common/daemon/version';
import { BurrowError } from '@burrow/common/errors/index';
import type { DirectorConfig } from '@burrow/common/config/index';
import { ok, type Command, type ConsoleContext } from '../command.js';
import { consoleScope } from '../scope.js';
import { COMMAND_NAMES } from '../command-names.js';
import { describeRun } from '../../scheduler/describe.js';
import { parseRun } from '../../scheduler/run-spec.js';

const SECRET = new Set(['password', 'dbPassword']);

/** A resource printed back in the configuration's own syntax (passwords withheld). */
function printResource(type: string, res: Record<string, unknown>): string {
  const lines = [`${type} {`];
  for (const [key, value] of Object.entries(res)) {
    if (key === 'source' || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const shown = SECRET.has(key) ? '"****"' : typeof value === 'object' ? JSON.stringify(value) : JSON.stringify(value);
    lines.push(`  ${key} = ${shown}`);
  }
  lines.push('}');
  return lines.join('\n');
}

const SHOWABLE: Record<string, { type: string; pick: (c: DirectorConfig) => readonly object[] }> = {
  director: { type: 'Director', pick: (c) => [c.director] },
  jobs: { type: 'Job', pick: (c) => c.jobs },
  jobdefs: { type: 'JobDefs', pick: (c) => c.jobDefs },
  clients: { type: 'Client', pick: (c) => c.clients },
  storages: { type: 'Storage', pick: (c) => c.storages },
  pools: { type: 'Pool', pick: (c) => c.pools },
  filesets: { type: 'FileSet', pick: (c) => c.fileSets },
  schedules: { type: 'Schedule', pick: (c) => c.schedules },
  messages: { type: 'Messages', pick: (c) => c.messages },
  catalogs: { type: 'Catalog', pick: (c) => c.catalogs },
  consoles: { type: 'Console', pick: (c) => c.consoles },
};
const SINGULAR: Record<string, string> = { job: 'jobs', client: 'clients', storage: 'storages', pool: 'pools', fileset: 'filesets', schedule: 'schedules', catalog: 'catalogs', console: 'consoles', dir: 'director' };

/** A restricted console sees only the resources its ACLs name, and no Director-wide ones. */
function showAllowed(ctx: ConsoleContext, type: string, r: Record<string, unknown>): boolean {
  const scope = consoleScope(ctx);
  if (!scope.restricted) return true;
  const name = String(r.name);
  switch (type) {
    case 'Job': return scope.jobAllowed({ name, clientName: typeof r.client === 'string' ? r.client : null });
    case 'Client': return scope.clientAllowed(name);
    case 'Storage': return scope.storageAllowed(name);
    case 'Pool': return scope.poolAllowed(name);
    case 'FileSet': return scope.fileSetAllowed(name);
    case 'Catalog': return scope.catalogAllowed(name);
    default: return false;
  }
}

export const showCommand: Command = {
  name: 'show',
  help: 'Show resources from the configuration',
  usage: `show ${Object.keys(SHOWABLE).join('|')} | show job=<name> (likewise client=, pool=...)`,
  run: (ctx, args) => {
    const first = args.list[0];
    if (!first) throw new BurrowError('BAD_REQUEST', `show: say one of ${Object.keys(SHOWABLE).join(', ')}`);
    const key = SHOWABLE[first.key] ? first.key : SINGULAR[first.key];
    const kind = key ? SHOWABLE[key] : undefined;
    if (!kind) throw new BurrowError('BAD_REQUEST', `show ${first.key}: say one of ${Object.keys(SHOWABLE).join(', ')}`);
    let resources = (kind.pick(ctx.config) as ReadonlyArray<Record<string, unknown>>).filter((r) => showAllowed(ctx, kind.type, r));
    if (first.value !== undefined) {
      resources = resources.filter((r) => String(r.name).toLowerCase() === first.value?.toLowerCase());
      if (resources.length === 0) throw new BurrowError('NOT_FOUND', `${kind.type} "${first.value}" is not defined`);
    }
    const data = resources.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'source' && !SECRET.has(k))));
    // Schedules also show how their Run lines were understood.
    const shown = resources.map((r) => printResource(kind.type, r)
      + (kind.type === 'Schedule' ? `\n${(r.run as string[]).map((line) => describeRun(parseRun(line))).join('\n')}` : ''));
    return ok(shown.join('\n'), { [key as string]: data });
  },
};

export const messagesCommand: Command = {
  name: 'messages',
  help: 'Show the job messages no console has seen yet',
  usage: 'messages',
  run: (ctx) => {
    const scope = consoleScope(ctx);
    if (!scope.restricted) {
      const lines = ctx.catalog.listLogsSince(ctx.state.lastShownLogId, 10_000);
      const last = lines[lines.length - 1];
      if (last) ctx.state.lastShownLogId = last.logId;
      const texts = lines.map((l) => l.text);
      return ok(texts.length ? texts.join('\n') : 'You have no messages.', { messages: texts });
    }
    // A restricted console reads only its jobs' lines, from its own place in the log.
    const lines = ctx.catalog.listLogsSince(ctx.session.lastShownLogId ?? 0, 10_000);
    const last = lines[lines.length - 1];
    if (last) ctx.session.lastShownLogId = last.logId;
    const seen = new Map<number, boolean>();
    const visible = (jobId: number | null): boolean => {
      if (jobId === null) return false;
      let v = seen.get(jobId);
      if (v === undefined) {
        const j = ctx.catalog.getJob(jobId);
        seen.set(jobId, (v = j !== undefined && scope.jobAllowed(j)));
      }
      return v;
    };
    const texts = lines.filter((l) => visible(l.jobId)).map((l) => l.text);
    return ok(texts.length ? texts.join('\n') : 'You have no messages.', { messages: texts });
  },
};

export const helpCommand: Command = {
  name: 'help',
  help: 'Print help on the commands',
  usage: 'help [command]',
  run: (ctx, args) => {
    const which = args.firstWord();
    if (which) {
      const c = ctx.commands.get(which);
      if (!c) throw new BurrowError('NOT_FOUND', `no command "${which}"`);
      return ok(`${c.name}: ${c.help}\nUsage: ${c.usage}`, { command: c.name, help: c.help, usage: c.usage });
    }
    const rows = [...ctx.commands.values()].map((c) => `  ${c.name.padEnd(10)} ${c.help}`);
    return ok(['  Command    Description', '  =======    ===========', ...rows, '', 'quit or exit leaves the console.'].join('\n'),
      { commands: [...ctx.commands.keys()], known: COMMAND_NAMES });
  },
};

export const versionCommand: Command = {
  name: 'version',
  help: 'Print the Director version',
  usage: 'version',
  run: (ctx) => ok(`${ctx.env.directorName} Version: ${VERSION} (Burrow)`, { name: ctx.env.directorName, version: VERSION }),
};

export const apiCommand: Command = {
  name: '.api',
  help: 'Switch the console to JSON answers (.api json) or back (.api off)',
  usage: '.api json|2|on | .api off|0',
  run: (ctx, args) => {
    const mode = args.firstWord() ?? 'json';
    if (['json', '2', 'on', '1'].includes(mode)) ctx.session.api = true;
    else if (['off', '0'].includes(mode)) ctx.session.api = false;
    else throw new BurrowError('BAD_REQUEST', `.api ${mode}: say json or off`);
    return ok(`api mode ${ctx.session.api ? 'json' : 'off'}`, { api: ctx.session.api ? 2 : 0 });
  },
};
