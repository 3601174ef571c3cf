/**
 * What every daemon's loader shares: sorting parsed resources by type, rejecting
 * duplicate names, validating, checking that a named resource exists, and lookup.
 */
import { displayName, normalizeName } from '../names.js';
import type { BlockNode, Position } from '../syntax/ast.js';
import type { ConfigProblem, Problems } from './problems.js';
import { collectResource, validateResource, type RawResource, type ResourceSpec } from './resource.js';

export interface DaemonSchema {
  /** `burrow-dir`: names the main file and the `.d` directory. */
  readonly daemonName: string;
  /** Resource type spellings (any case/spaces) -> spec; two spellings may share a spec. */
  readonly resources: Readonly<Record<string, ResourceSpec>>;
  /** Bareos resource types this daemon has but Burrow ignores, with a warning. */
  readonly ignored: readonly string[];
}

/** Where a directive was written (the last occurrence, whose value is used). */
export interface DirectiveSource extends Position {
  /** As written, e.g. `SDAddress`. */
  readonly directive: string;
}

/** Where a resource was defined, and where each of its set directives was. */
export interface ResourceSource extends Position {
  /** How problems name the resource: `Device "FileStorage"`. */
  readonly label: string;
  /** Property -> where it was set; a property left to its default has no entry. */
  readonly directives: Readonly<Record<string, DirectiveSource>>;
}

/** Every parsed resource carries where it was defined. */
export interface Sourced { readonly source: ResourceSource }

/**
 * A problem about one property of a loaded resource, found after loading (an address
 * that does not resolve, a directory that cannot be written): it names the directive's
 * line, or the resource's when the value is a default.
 */
export function problemAt(resource: Sourced, prop: string, message: string): ConfigProblem {
  const set = resource.source.directives[prop];
  return {
    file: set?.file ?? resource.source.file,
    line: set?.line ?? resource.source.line,
    resource: resource.source.label,
    directive: set?.directive ?? displayName(prop),
    message,
  };
}

export function collectDaemon(nodes: readonly BlockNode[], schema: DaemonSchema, problems: Problems): Map<ResourceSpec, RawResource[]> {
  const byType = new Map<string, ResourceSpec>();
  for (const [type, spec] of Object.entries(schema.resources)) byType.set(normalizeName(type), spec);
  const ignored = new Set(schema.ignored.map(normalizeName));
  const out = new Map<ResourceSpec, RawResource[]>();
  for (const spec of byType.values()) out.set(spec, []);
  for (const node of nodes) {
    const spec = byType.get(node.key);
    if (!spec) {
      const entry = { file: node.file, line: node.line, resource: node.name, directive: '' };
      if (ignored.has(node.key)) problems.warn({ ...entry, message: `resource type not implemented by Burrow; ignored` });
      else problems.error({ ...entry, message: `unknown resource type for ${schema.daemonName}` });
      continue;
    }
    const raw = collectResource(spec, node, problems);
    const list = out.get(spec)!;
    const twin = raw.name ? list.find((r) => r.name.toLowerCase() === raw.name.toLowerCase()) : undefined;
    if (twin) {
      problems.error({ file: node.file, line: node.line, resource: raw.label, directive: 'Name',
        message: `defined twice (first at ${twin.node.file}:${twin.node.line})` });
      continue;
    }
    list.push(raw);
  }
  return out;
}

/** A problem about a whole loaded resource (no one directive is to blame). */
export function problemAtResource(resource: Sourced, message: string): ConfigProblem {
  return { file: resource.source.file, line: resource.source.line, resource: resource.source.label, directive: '', message };
}

/** Validates each raw resource; invalid ones are left out (their problems recorded). */
export function validateAll<T>(raws: readonly RawResource[], problems: Problems): (T & Sourced)[] {
  const out: (T & Sourced)[] = [];
  for (const raw of raws) {
    const value = validateResource<T>(raw, problems);
    if (value === undefined) continue;
    const directives = Object.fromEntries(Object.entries(raw.where).map(([prop, w]) => [prop, { file: w.at.file, line: w.at.line, directive: w.directive }]));
    out.push({ ...value, source: { file: raw.node.file, line: raw.node.line, label: raw.label, directives } });
  }
  return out;
}

/** Case-insensitive lookup by name, as administrators expect from Bareos. */
export function findResource<T extends { readonly name: string }>(list: readonly T[], name: string): T | undefined {
  const wanted = name.toLowerCase();
  return list.find((r) => r.name.toLowerCase() === wanted);
}

/** Records an error unless each name in `names` is a resource in `targets`. */
export function checkReferences(opts: {
  problems: Problems;
  from: RawResource;
  prop: string;
  names: readonly string[] | string | undefined;
  targets: readonly { readonly name: string }[];
  targetType: string;
}): void {
  const { problems, from, prop, targets, targetType } = opts;
  const names = opts.names === undefined ? [] : typeof opts.names === 'string' ? [opts.names] : opts.names;
  for (const n of names) {
    if (findResource(targets, n)) continue;
    const set = from.where[prop];
    problems.error({
      file: set?.at.file ?? from.node.file,
      line: set?.at.line ?? from.node.line,
      resource: from.label,
      directive: set?.directive ?? prop,
      message: `${targetType} "${n}" is not defined`,
    });
  }
}

/** Requires exactly one resource of a type (Director in burrow-dir, Storage in burrow-sd...). */
export function exactlyOne<T>(list: readonly T[], raws: readonly RawResource[], type: string, problems: Problems, anywhere: Position): T | undefined {
  if (raws.length === 1) return list[0];
  const at = raws[1]?.node ?? anywhere;
  problems.error({ file: at.file, line: at.line, resource: type, directive: '',
    message: raws.length === 0 ? `a ${type} resource is required` : `only one ${type} resource is allowed (found ${raws.length})` });
  return undefined;
}
