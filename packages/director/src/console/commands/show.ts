/**
 * show: the configuration in force, in its own syntax (configuration/print), as a
 * console's ACLs let it see it. Bareos's words: `show` or `show all` for everything,
 * `show jobs` (any type keyword, or the start of one: `show job`, `show dir`) for a
 * type, `show job=NAME` for one resource, `verbose` to add defaults and inherited
 * values as `#` lines, `show disabled [jobs|clients|schedules]`.
 *
 * Passwords are printed only to a console that may `configure` the Director (the
 * Director's own console; a named console whose CommandACL allows it), as Bareos
 * decides; everyone else reads them withheld. What a console may not see does not
 * exist for it: a Job outside its JobACL is "not found", and Director-wide resources
 * (the Director, Messages, JobDefs, Consoles, Profiles) are shown only to a console
 * that sees the whole catalog.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { defineCommand, type ConsoleContext } from '../command.js';
import type { Arg } from '../args.js';
import { choice, flag, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { describeRun } from '../../scheduler/describe.js';
import { parseRun } from '../../scheduler/run-spec.js';
import { printOne, resourcesOf, RESOURCE_TYPES, type LoadedResource, type ResourceType } from '../../configuration/print/index.js';

/** Bareos's type keywords, in its order (a prefix picks the first that starts with it). */
const KEYWORDS: ReadonlyArray<readonly [string, ResourceType]> = [
  ['directors', 'Director'], ['clients', 'Client'], ['jobs', 'Job'], ['jobdefs', 'JobDefs'], ['storages', 'Storage'],
  ['catalogs', 'Catalog'], ['schedules', 'Schedule'], ['filesets', 'FileSet'], ['pools', 'Pool'], ['messages', 'Messages'],
  ['profiles', 'Profile'], ['consoles', 'Console'],
];

const SECRETS = new Set(['password', 'dbPassword']);
/** What a withheld secret reads as in JSON (the text has the printer's own). */
const WITHHELD = '****';

/** A resource as shown: its configuration text, and its directives as data. */
export interface ShownResource {
  type: ResourceType;
  name: string;
  /** The resource in configuration syntax, as `show` prints it. */
  text: string;
  directives: Record<string, unknown>;
  /** A Schedule's Run lines as they were understood. */
  runs?: string[];
}

export interface ShowResources {
  /** The resource type, as the configuration spells it (Job, Client, ...), or `all`. */
  type: string;
  resources: ShownResource[];
}

/** `show disabled`: the names of what is disabled, by kind (only the kinds asked for). */
export interface ShowDisabled {
  type: 'disabled';
  disabled: { jobs?: string[]; clients?: string[]; schedules?: string[] };
}

export type ShowResult = ShowResources | ShowDisabled;

const DISABLED_KINDS = ['jobs', 'clients', 'schedules'] as const;
type DisabledKind = (typeof DISABLED_KINDS)[number];

const args = z.object({
  /** A type keyword (`jobs`, `job`, `dir`...) or `all`; none: everything. */
  kind: text().optional(),
  /** One resource of the type, by name. */
  name: text().optional(),
  verbose: flag().default(false),
  /** `show disabled`, `show disabled jobs`: the disabled Jobs, Clients, Schedules. */
  disabled: choice(['all', ...DISABLED_KINDS]).optional(),
}).strict();

/** Bareos's keyword matching: the typed word is the start of a keyword (`job`, `dir`, `fileset`). */
function typeOf(word: string): ResourceType {
  const w = word.toLowerCase();
  const hit = KEYWORDS.find(([keyword]) => keyword.startsWith(w));
  if (!hit) throw new BurrowError('BAD_REQUEST', `Resource ${word} not found; say one of all, ${KEYWORDS.map(([k]) => k).join(', ')}`);
  return hit[1];
}

function keywordOf(type: ResourceType): string {
  return KEYWORDS.find(([, t]) => t === type)?.[0] ?? type;
}

/** What a console may see: its ACLs for resources that have one, the whole catalog for the Director-wide ones. */
function visible(ctx: ConsoleContext, type: ResourceType, r: LoadedResource): boolean {
  const scope = consoleScope(ctx);
  const name = String(r.name);
  switch (type) {
    case 'Job': return scope.jobAllowed({ name, clientName: typeof r.client === 'string' ? r.client : null });
    case 'Client': return scope.clientAllowed(name);
    case 'Storage': return scope.storageAllowed(name);
    case 'Pool': return scope.poolAllowed(name);
    case 'FileSet': return scope.fileSetAllowed(name);
    case 'Catalog': return scope.catalogAllowed(name);
    case 'Schedule': return scope.scheduleAllowed(name);
    default: return scope.seesWholeCatalog;
  }
}

function directivesOf(r: LoadedResource, reveal: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r)
    .filter(([k, v]) => k !== 'source' && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [k, SECRETS.has(k) && !reveal ? WITHHELD : v]));
}

function shown(ctx: ConsoleContext, type: ResourceType, r: LoadedResource, verbose: boolean): ShownResource {
  const reveal = consoleScope(ctx).commandAllowed('configure');
  const out: ShownResource = {
    type, name: String(r.name), text: printOne(ctx.config, type, r, { verbose, revealSecrets: reveal }), directives: directivesOf(r, reveal),
  };
  if (type === 'Schedule') out.runs = (r.run as string[]).map((line) => describeRun(parseRun(line)));
  return out;
}

function showResources(ctx: ConsoleContext, a: z.output<typeof args>): ShowResources {
  const all = a.kind === undefined || a.kind.toLowerCase() === 'all';
  const types = all ? RESOURCE_TYPES : [typeOf(a.kind as string)];
  const resources = types.flatMap((type) => resourcesOf(ctx.config, type)
    .filter((r) => visible(ctx, type, r))
    .filter((r) => a.name === undefined || String(r.name).toLowerCase() === a.name.toLowerCase())
    .map((r) => shown(ctx, type, r, a.verbose)));
  const type = all ? 'all' : types[0] as ResourceType;
  if (a.name !== undefined && resources.length === 0) throw new BurrowError('NOT_FOUND', `${keywordOf(type as ResourceType)} resource ${a.name} not found.`);
  return { type, resources };
}

function showDisabled(ctx: ConsoleContext, which: 'all' | DisabledKind): ShowDisabled {
  const kinds = which === 'all' ? DISABLED_KINDS : [which];
  const pick = { jobs: 'Job', clients: 'Client', schedules: 'Schedule' } as const;
  const disabled: ShowDisabled['disabled'] = {};
  for (const kind of kinds) {
    const type = pick[kind];
    disabled[kind] = resourcesOf(ctx.config, type).filter((r) => r.enabled === false && visible(ctx, type, r)).map((r) => String(r.name));
  }
  return { type: 'disabled', disabled };
}

/**
 * The line's words: `verbose` anywhere; `all`, `disabled [kind]`, a type keyword, or
 * `keyword=name` for one resource.
 */
function showInput(words: readonly Arg[]): unknown {
  const verbose = words.some((w) => w.key === 'verbose' && w.value === undefined);
  const rest = words.filter((w) => !(w.key === 'verbose' && w.value === undefined));
  const [first, ...more] = rest;
  if (first === undefined) return { verbose };
  if (first.key === 'disabled' && first.value === undefined) {
    if (more.length > 1) throw new BurrowError('BAD_REQUEST', 'show disabled: say at most one of jobs, clients, schedules');
    return { verbose, disabled: more[0]?.key ?? 'all' };
  }
  if (more.length > 0) throw new BurrowError('BAD_REQUEST', `show: one resource type at a time, not also ${more.map((w) => w.key).join(', ')}`);
  return first.value === undefined ? { verbose, kind: first.key } : { verbose, kind: first.key, name: first.value };
}

function renderDisabled(d: ShowDisabled['disabled']): string {
  const titles: Record<DisabledKind, string> = { jobs: 'Jobs', clients: 'Clients', schedules: 'Schedules' };
  return DISABLED_KINDS.filter((k) => d[k] !== undefined).map((k) => {
    const names = d[k] ?? [];
    return names.length === 0 ? `No disabled ${titles[k]}.` : [`Disabled ${titles[k]}:`, ...names.map((n) => `   ${n}`)].join('\n');
  }).join('\n');
}

export const showCommand = defineCommand({
  name: 'show',
  help: 'Show resource records',
  usage: `show [all] [verbose] | show ${KEYWORDS.map(([k]) => k).join('|')} [verbose] | show job=<name> (likewise client=, pool=...) | show disabled [jobs|clients|schedules]`,
  args,
  readLine: showInput,
  run: (ctx, a): ShowResult => (a.disabled !== undefined ? showDisabled(ctx, a.disabled) : showResources(ctx, a)),
  render: (r) => ('disabled' in r ? renderDisabled(r.disabled) : r.resources.map((res) => res.text).join('\n\n')),
});
