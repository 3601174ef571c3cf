/** show: resources of the configuration in force, as a console's ACLs let it see them. */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import type { DirectorConfig } from '@burrow/common/config/index';
import { defineCommand, type ConsoleContext } from '../command.js';
import type { Arg } from '../args.js';
import { consoleScope } from '../scope.js';
import { describeRun } from '../../scheduler/describe.js';
import { parseRun } from '../../scheduler/run-spec.js';

const SECRET = new Set(['password', 'dbPassword']);
/** What a withheld secret reads as, in the text and in JSON alike. */
const WITHHELD = '****';

const SHOWABLE = {
  director: { type: 'Director', pick: (c: DirectorConfig): readonly object[] => [c.director] },
  jobs: { type: 'Job', pick: (c: DirectorConfig): readonly object[] => c.jobs },
  jobdefs: { type: 'JobDefs', pick: (c: DirectorConfig): readonly object[] => c.jobDefs },
  clients: { type: 'Client', pick: (c: DirectorConfig): readonly object[] => c.clients },
  storages: { type: 'Storage', pick: (c: DirectorConfig): readonly object[] => c.storages },
  pools: { type: 'Pool', pick: (c: DirectorConfig): readonly object[] => c.pools },
  filesets: { type: 'FileSet', pick: (c: DirectorConfig): readonly object[] => c.fileSets },
  schedules: { type: 'Schedule', pick: (c: DirectorConfig): readonly object[] => c.schedules },
  messages: { type: 'Messages', pick: (c: DirectorConfig): readonly object[] => c.messages },
  catalogs: { type: 'Catalog', pick: (c: DirectorConfig): readonly object[] => c.catalogs },
  consoles: { type: 'Console', pick: (c: DirectorConfig): readonly object[] => c.consoles },
} as const;
type Kind = keyof typeof SHOWABLE;
const KINDS = Object.keys(SHOWABLE) as Kind[];
const SINGULAR: Record<string, Kind> = {
  job: 'jobs', client: 'clients', storage: 'storages', pool: 'pools', fileset: 'filesets', schedule: 'schedules',
  catalog: 'catalogs', console: 'consoles', dir: 'director',
};

/** A resource as shown: its directives (secrets withheld), and for a Schedule how its Run lines were understood. */
export interface ShownResource {
  directives: Record<string, unknown>;
  runs?: string[];
}

export interface ShowResult {
  /** The resource type, as the configuration spells it (Job, Client, ...). */
  type: string;
  resources: ShownResource[];
}

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

function shown(type: string, r: Record<string, unknown>): ShownResource {
  const directives = Object.fromEntries(Object.entries(r)
    .filter(([k, v]) => k !== 'source' && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [k, SECRET.has(k) ? WITHHELD : v]));
  return type === 'Schedule' ? { directives, runs: (r.run as string[]).map((line) => describeRun(parseRun(line))) } : { directives };
}

/** A resource printed back (passwords withheld), then how a Schedule's Run lines were understood. */
function printResource(type: string, r: ShownResource): string {
  const lines = [`${type} {`];
  for (const [key, value] of Object.entries(r.directives)) lines.push(`  ${key} = ${JSON.stringify(value)}`);
  lines.push('}', ...(r.runs ?? []));
  return lines.join('\n');
}

const args = z.object({
  /** The resource type: `show jobs`, or `show job=NAME` (likewise client=, pool=...). */
  kind: z.string(),
  name: z.string().optional(),
}).strict();

/**
 * `show job=NAME` names the type by its keyword: the line's first word, bare or with a
 * value, is the kind, and its value the name.
 */
function showInput(words: readonly Arg[]): unknown {
  const [first, ...rest] = words;
  if (!first) throw new BurrowError('BAD_REQUEST', `show: say one of ${KINDS.join(', ')}`);
  if (rest.length > 0) throw new BurrowError('BAD_REQUEST', `show: one resource type at a time, not ${rest.map((w) => w.key).join(', ')}`);
  return first.value === undefined ? { kind: first.key } : { kind: first.key, name: first.value };
}

export const showCommand = defineCommand({
  name: 'show',
  help: 'Show resources from the configuration',
  usage: `show ${KINDS.join('|')} | show job=<name> (likewise client=, pool=...)`,
  args,
  readLine: showInput,
  run: (ctx, a): ShowResult => {
    const word = a.kind.toLowerCase();
    const key = Object.hasOwn(SHOWABLE, word) ? word as Kind : Object.hasOwn(SINGULAR, word) ? SINGULAR[word] : undefined;
    if (!key) throw new BurrowError('BAD_REQUEST', `show ${a.kind}: say one of ${KINDS.join(', ')}`);
    const { type, pick } = SHOWABLE[key];
    let resources = (pick(ctx.config) as ReadonlyArray<Record<string, unknown>>).filter((r) => showAllowed(ctx, type, r));
    if (a.name !== undefined) {
      resources = resources.filter((r) => String(r.name).toLowerCase() === a.name?.toLowerCase());
      if (resources.length === 0) throw new BurrowError('NOT_FOUND', `${type} "${a.name}" is not defined`);
    }
    return { type, resources: resources.map((r) => shown(type, r)) };
  },
  render: (r) => r.resources.map((res) => printResource(r.type, res)).join('\n'),
});
