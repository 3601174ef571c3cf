/**
 * One resource type's schema and the two steps that apply it: `collectResource`
 * turns a parsed block into the schema's raw input (unknown directives are errors,
 * directives Bareos has but Burrow lacks are warnings), `validateResource` runs the
 * strict zod schema and maps every issue back to the directive's file and line.
 * The steps are apart so JobDefs can be merged into Jobs in between.
 */
import { z } from 'zod';
import { displayName, normalizeName } from '../names.js';
import type { BlockNode, DirectiveNode, ItemNode, Position } from '../syntax/ast.js';
import type { Field } from './fields.js';
import type { Problems } from './problems.js';

/** A nested block (FileSet `Include`, Job `RunScript`) turned into one array element of `prop`. */
export interface BlockSpec {
  readonly prop: string;
  readonly build: (node: BlockNode, ctx: BlockContext) => unknown;
  /** Append the built array's elements instead of the array itself. */
  readonly spread?: boolean;
}

export interface BlockContext {
  readonly problems: Problems;
  readonly resource: string;
}

/** What `-t` says of a Bareos directive Burrow does not act on. */
export interface Unavailable {
  readonly message: string;
  /** A warning where ignoring it is harmless; an error where Burrow cannot do what it asks. */
  readonly severity: 'warning' | 'error';
}

/** Bareos directives not available yet, and what to tell the administrator about them. */
export interface NotYetGroup {
  readonly directives: readonly string[];
  readonly message: string;
  readonly severity?: 'warning' | 'error';
}

const NOT_IMPLEMENTED: Unavailable = { message: 'not implemented by Burrow; ignored', severity: 'warning' };

export interface ResourceSpec<F extends Record<string, Field> = Record<string, Field>> {
  /** Canonical Bareos spelling, e.g. `JobDefs`. */
  readonly type: string;
  readonly fields: F;
  readonly schema: z.ZodObject<{ [K in keyof F]: F[K]['zod'] }, z.core.$strict>;
  /** normalized directive name -> property, including aliases (`port` -> `dirPort`). */
  readonly lookup: ReadonlyMap<string, string>;
  /** normalized names of Bareos directives Burrow does not act on -> what `-t` says. */
  readonly unimplemented: ReadonlyMap<string, Unavailable>;
  readonly blocks: ReadonlyMap<string, BlockSpec>;
}

export function defineResource<F extends Record<string, Field>>(def: {
  type: string;
  fields: F;
  aliases?: Record<string, keyof F & string>;
  /** Bareos directives Burrow ignores, with a warning. */
  unimplemented?: readonly string[];
  /** Bareos directives not available yet, in groups with their own message. */
  notYet?: readonly NotYetGroup[];
  blocks?: Record<string, BlockSpec>;
}): ResourceSpec<F> {
  const shape = Object.fromEntries(Object.entries(def.fields).map(([k, f]) => [k, f.zod])) as { [K in keyof F]: F[K]['zod'] };
  const lookup = new Map<string, string>();
  for (const key of Object.keys(def.fields)) lookup.set(key.toLowerCase(), key);
  for (const [alias, key] of Object.entries(def.aliases ?? {})) lookup.set(normalizeName(alias), key);
  return {
    type: def.type,
    fields: def.fields,
    schema: z.strictObject(shape),
    lookup,
    unimplemented: new Map([
      ...(def.unimplemented ?? []).map((d) => [normalizeName(d), NOT_IMPLEMENTED] as const),
      ...(def.notYet ?? []).flatMap((g) => g.directives.map((d) => [normalizeName(d), { message: g.message, severity: g.severity ?? 'warning' }] as const)),
    ]),
    blocks: new Map(Object.entries(def.blocks ?? {}).map(([k, b]) => [normalizeName(k), b])),
  };
}

/** A resource's raw schema input and where each property was set. */
export interface RawResource {
  readonly spec: ResourceSpec;
  readonly node: BlockNode;
  readonly name: string;
  /** `Job "backup1"`: how problems name this resource. */
  readonly label: string;
  readonly values: Record<string, unknown>;
  readonly where: Record<string, { at: Position; directive: string }>;
}

function resourceName(node: BlockNode): string {
  for (const item of node.body) {
    if (item.kind === 'directive' && item.key === 'name') return item.parts[0]?.[0]?.text ?? '';
  }
  return '';
}

function singleValue(d: DirectiveNode): string | undefined {
  const [first, ...others] = d.parts;
  if (others.length > 0 || !first || first.length !== 1) return undefined;
  return first[0]!.text;
}

/** A lone value as its text (quotes and escapes resolved); anything more as written. */
function verbatim(d: DirectiveNode): string {
  return singleValue(d) ?? d.raw;
}

function collectDirective(raw: RawResource, d: DirectiveNode, problems: Problems): void {
  const { spec, values, where, label } = raw;
  const report = (message: string): void => problems.error({ file: d.file, line: d.line, resource: label, directive: d.name, message });
  const prop = spec.lookup.get(d.key);
  if (!prop) {
    const unavailable = spec.unimplemented.get(d.key);
    if (!unavailable) report(`unknown directive in a ${spec.type} resource`);
    else if (unavailable.severity === 'error') report(unavailable.message);
    else problems.warn({ file: d.file, line: d.line, resource: label, directive: d.name, message: unavailable.message });
    return;
  }
  const field = spec.fields[prop]!;
  if (field.warn) problems.warn({ file: d.file, line: d.line, resource: label, directive: d.name, message: field.warn });
  const previous = values[prop];
  if ((field.arity === 'one' || field.arity === 'many') && d.parts.length > 1) { report('unexpected "=" in the value'); return; }
  switch (field.arity) {
    case 'one':
    case 'raw': {
      const value = field.arity === 'raw' ? verbatim(d) : singleValue(d);
      if (value === undefined) { report('takes a single value'); return; }
      if (previous !== undefined) {
        // Bareos keeps the last value; a doubled directive is usually a slip, so say so.
        const first = where[prop]!.at;
        problems.warn({ file: d.file, line: d.line, resource: label, directive: d.name,
          message: `set twice (first at ${first.file}:${first.line}, again at ${d.file}:${d.line}); the last value is used` });
      }
      values[prop] = value;
      // Problems with the value name the line whose value is used.
      where[prop] = { at: d, directive: d.name };
      break;
    }
    case 'many':
      values[prop] = [...((previous as string[] | undefined) ?? []), ...(d.parts[0] ?? []).map((v) => v.text)];
      break;
    case 'rawMany':
      values[prop] = [...((previous as string[] | undefined) ?? []), verbatim(d)];
      break;
    case 'custom': {
      if (!field.collect) { report(`is a block: write "${d.name} { ... }"`); return; }
      const element = field.collect(d);
      if (typeof element === 'string') { report(element); return; }
      values[prop] = [...((previous as unknown[] | undefined) ?? []), element];
      break;
    }
  }
  where[prop] ??= { at: d, directive: d.name };
}

function collectBlock(raw: RawResource, b: BlockNode, problems: Problems): void {
  const blockSpec = raw.spec.blocks.get(b.key);
  if (!blockSpec) {
    const unavailable = raw.spec.unimplemented.get(b.key);
    const entry = { file: b.file, line: b.line, resource: raw.label, directive: b.name };
    if (!unavailable) problems.error({ ...entry, message: `unknown block in a ${raw.spec.type} resource` });
    else if (unavailable.severity === 'error') problems.error({ ...entry, message: unavailable.message });
    else problems.warn({ ...entry, message: unavailable.message });
    return;
  }
  const built = blockSpec.build(b, { problems, resource: raw.label });
  const previous = (raw.values[blockSpec.prop] as unknown[] | undefined) ?? [];
  raw.values[blockSpec.prop] = blockSpec.spread ? [...previous, ...(built as unknown[])] : [...previous, built];
  raw.where[blockSpec.prop] ??= { at: b, directive: b.name };
}

export function collectResource(spec: ResourceSpec, node: BlockNode, problems: Problems): RawResource {
  const name = resourceName(node);
  const raw: RawResource = { spec, node, name, label: name ? `${spec.type} "${name}"` : spec.type, values: {}, where: {} };
  for (const item of node.body as readonly ItemNode[]) {
    if (item.kind === 'directive') collectDirective(raw, item, problems);
    else collectBlock(raw, item, problems);
  }
  return raw;
}

/** Runs the schema; returns undefined (after recording every issue) when it fails. */
export function validateResource<T>(raw: RawResource, problems: Problems): T | undefined {
  const result = raw.spec.schema.safeParse(raw.values);
  if (result.success) return result.data as T;
  for (const issue of result.error.issues) {
    const prop = String(issue.path[0] ?? '');
    const set = raw.where[prop];
    const missing = raw.values[prop] === undefined;
    problems.error({
      file: set?.at.file ?? raw.node.file,
      line: set?.at.line ?? raw.node.line,
      resource: raw.label,
      directive: set?.directive ?? (prop ? displayName(prop) : ''),
      message: missing && prop ? 'is required' : issue.message,
    });
  }
  return undefined;
}
