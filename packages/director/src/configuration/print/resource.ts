/**
 * A loaded Director resource printed back in configuration syntax, as Bareos's `show`
 * prints it: its directives in the schema's order, each named in Bareos's spelling
 * without spaces (`MaximumVolumeBytes`), passwords withheld. Only what the resource
 * sets is printed; `verbose` adds, as `#` lines, the defaults and what a Job takes
 * from its JobDefs (Bareos marks those the same way). The output parses back to the
 * same resource (print.test.ts).
 *
 * Directives whose value is a structure (FileSet Include/Exclude, Messages
 * destinations, RunScript, Restore Owner) have printers of their own (blocks.ts);
 * everything else is printed from the schema alone.
 */
import type { Sourced } from '@burrow/common/config/index';
import { directorSchema } from '@burrow/common/config/director/load';
import type { Field } from '@burrow/common/config/schema/fields';
import { BLOCK_PRINTERS } from './blocks.js';
import { numberKind, printText, printValue, quote, takesKeyword } from './values.js';

export interface PrintOptions {
  /** Defaults, and what a Job takes from its JobDefs, as `#` lines (Bareos's `show ... verbose`). */
  readonly verbose?: boolean;
  /** Passwords as written; otherwise withheld, as Bareos withholds them. */
  readonly revealSecrets?: boolean;
  /** The JobDefs a Job or JobDefs names: what it sets, the Job does not. */
  readonly jobDefs?: Sourced;
}

/** A loaded resource: its properties and where each directive was set. */
export type LoadedResource = Sourced & { readonly [prop: string]: unknown };

const SECRETS = new Set(['password', 'dbPassword']);
/** What Bareos prints for a withheld password. */
const WITHHELD = '****************';
const INDENT = '  ';

/** `maximumVolumeBytes` -> `MaximumVolumeBytes`, `jobAcl` -> `JobACL`: what the parser reads as the same directive. */
export function directiveName(prop: string): string {
  return (prop.charAt(0).toUpperCase() + prop.slice(1)).replace(/Acl$/, 'ACL');
}

/** How a property came to have its value: written in this resource, taken from its JobDefs, or its default. */
function origin(r: LoadedResource, prop: string, jobDefs: Sourced | undefined): 'set' | 'inherited' | 'default' {
  const at = r.source.directives[prop];
  if (!at) return 'default';
  const parent = jobDefs?.source.directives[prop];
  return parent && parent.file === at.file && parent.line === at.line ? 'inherited' : 'set';
}

function valueLines(prop: string, field: Field, value: unknown, o: PrintOptions): string[] {
  const name = directiveName(prop);
  const block = BLOCK_PRINTERS[prop];
  if (block) return block(value);
  if (SECRETS.has(prop) && !o.revealSecrets) return [`${name} = ${quote(WITHHELD)}`];
  const kind = numberKind(field);
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    // Raw lines (Run, RunBeforeJob...) each had a directive of their own; lists go on one line.
    const shown = value.map((v: string) => printValue(v, kind));
    return field.arity === 'rawMany' ? shown.map((v) => `${name} = ${v}`) : [`${name} = ${shown.join(', ')}`];
  }
  if (typeof value === 'string') return [`${name} = ${printText(value, takesKeyword(field))}`];
  return [`${name} = ${printValue(value as number | boolean, kind)}`];
}

/** `Type {` ... `}`: one resource of the Director's configuration. */
export function printResource(type: string, r: LoadedResource, o: PrintOptions = {}): string {
  const spec = directorSchema.resources[type];
  if (!spec) throw new RangeError(`no ${type} resources in a Director's configuration`);
  const lines = [`${spec.type} {`];
  for (const [prop, field] of Object.entries(spec.fields)) {
    const value = r[prop];
    if (value === undefined) continue;
    const how = origin(r, prop, o.jobDefs);
    if (how !== 'set' && !o.verbose) continue;
    const mark = how === 'set' ? '' : '#  ';
    for (const line of valueLines(prop, field, value, o)) lines.push(...line.split('\n').map((l) => `${INDENT}${mark}${l}`));
  }
  lines.push('}');
  return lines.join('\n');
}
