/**
 * The Director's configuration printed back in its own syntax (for `show`): every
 * resource of a type, or one by name, in an order Bareos's `show all` follows. What
 * prints here parses back to the same configuration (print.test.ts).
 */
import { findResource, type DirectorConfig } from '@burrow/common/config/index';
import { describeRun } from '../../scheduler/describe.js';
import { parseRun } from '../../scheduler/run-spec.js';
import { printResource, type LoadedResource, type PrintOptions } from './resource.js';

export { directiveName, type LoadedResource, type PrintOptions } from './resource.js';

/** Resource types in the order `show all` prints them, with where each lives in a loaded configuration. */
export const RESOURCE_TYPES = [
  'Director', 'Catalog', 'Client', 'Storage', 'Pool', 'Schedule', 'FileSet', 'Messages', 'JobDefs', 'Job', 'Console', 'Profile',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export function resourcesOf(config: DirectorConfig, type: ResourceType): readonly LoadedResource[] {
  const pick: Record<ResourceType, readonly object[]> = {
    Director: [config.director], Catalog: config.catalogs, Client: config.clients, Storage: config.storages, Pool: config.pools,
    Schedule: config.schedules, FileSet: config.fileSets, Messages: config.messages, JobDefs: config.jobDefs, Job: config.jobs,
    Console: config.consoles, Profile: config.profiles,
  };
  return pick[type] as readonly LoadedResource[];
}

/**
 * One resource, knowing the configuration around it: a Job's JobDefs (what it
 * inherits is not repeated), and with `verbose` how a Schedule's Run lines were
 * understood, as `#` lines (Bareos shows a schedule's parsed masks likewise).
 */
export function printOne(config: DirectorConfig, type: ResourceType, r: LoadedResource, o: Omit<PrintOptions, 'jobDefs'> = {}): string {
  const jobDefsName = (type === 'Job' || type === 'JobDefs') && typeof r.jobDefs === 'string' ? r.jobDefs : undefined;
  const jobDefs = jobDefsName === undefined ? undefined : findResource(config.jobDefs, jobDefsName);
  const text = printResource(type, r, { ...o, ...(jobDefs ? { jobDefs } : {}) });
  if (type !== 'Schedule' || !o.verbose) return text;
  const understood = (r.run as readonly string[]).flatMap((line) => describeRun(parseRun(line)).split('\n').map((l) => `  #  ${l}`));
  return `${text.slice(0, -1)}${understood.join('\n')}\n}`;
}

export interface ConfigSelection {
  readonly type: ResourceType;
  /** One resource by name (any case); none: every resource of the type. */
  readonly name?: string;
}

/** The whole configuration, or the selection, as text. */
export function printConfig(config: DirectorConfig, o: Omit<PrintOptions, 'jobDefs'> & { only?: ConfigSelection } = {}): string {
  const types = o.only ? [o.only.type] : RESOURCE_TYPES;
  const out: string[] = [];
  for (const type of types) {
    for (const r of resourcesOf(config, type)) {
      if (o.only?.name !== undefined && String(r.name).toLowerCase() !== o.only.name.toLowerCase()) continue;
      out.push(printOne(config, type, r, o));
    }
  }
  return `${out.join('\n\n')}\n`;
}
