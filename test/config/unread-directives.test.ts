/**
 * Issue 10's rule: a directive Bareos has is implemented, refused by `-t`, or warned
 * about by name; nothing is parsed and silently unused. This test walks every resource
 * schema of the Director, the Storage daemon, the File daemon and bconsole, and fails
 * for a directive (a schema field) that
 *   - no code of that program reads (directive-reads.ts says how "reads" is decided),
 *   - and no declaration explains: a warning on the field (`one(..., NOT_YET)` or its
 *     own message: `-t` names it), `inert(field, why)` (accepted on purpose without
 *     effect), or LOADER_IMPLEMENTED below (the loader itself is the implementation).
 * It also fails for a declaration that has gone stale (a field marked inert that some
 * code now reads). Directives Bareos has that are not fields (a resource's
 * `unimplemented` / `notYet` lists) are warned or refused by name by construction.
 *
 * The first test plants a resource with a used and an unused directive (and a
 * look-alike property of another type) and checks the analysis finds exactly the
 * unused one, so this test cannot pass by finding nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ResourceSpec } from '@burrow/common/config/schema/resource';
import type { DaemonSchema } from '@burrow/common/config/schema/daemon';
import { REPO } from '../harness/paths.js';
import { indexReads, type ReadIndex } from './directive-reads.js';

const CONFIG_SRC = join(REPO, 'packages', 'common', 'src', 'config');
const src = (pkg: string, sub = ''): string => join(REPO, 'packages', pkg, 'src', sub);

/** Fields the configuration loader itself implements: `Type.field` -> why. */
const LOADER_IMPLEMENTED: Readonly<Record<string, string>> = {
  '*.name': 'names the resource: the loader keeps names unique and checks every reference to one (lookups go through findResource)',
  'Catalog.dbDriver': 'the loader refuses every driver but sqlite3, the only one Burrow has',
  'Client.catalog': 'Burrow has one Catalog (the loader refuses a second), so naming it changes nothing; the loader checks the name',
  'Pool.catalog': 'Burrow has one Catalog (the loader refuses a second), so naming it changes nothing; the loader checks the name',
  'Job.catalog': 'Burrow has one Catalog (the loader refuses a second), so naming it changes nothing; the loader checks the name',
  'JobDefs.catalog': 'Burrow has one Catalog (the loader refuses a second), so naming it changes nothing; the loader checks the name',
  'Pool.storage': 'the loader gives a Job without Storage its Pool\'s Storage, as Bareos does',
  'Job.jobDefs': 'applyJobDefs (config/director/job.ts) fills the Job from its JobDefs; nothing reads it after loading',
  'JobDefs.jobDefs': 'a JobDefs may build on another JobDefs: applyJobDefs follows the chain',
};

interface Scope {
  readonly program: string;
  /** Module under packages/common/src/config exporting the DaemonSchema, and its export name. */
  readonly schemaModule: string;
  readonly schemaExport: string;
  /** Whose non-config code counts as reading. */
  readonly dirs: readonly string[];
}

const SCOPES: readonly Scope[] = [
  { program: 'burrow-dir', schemaModule: 'director/load', schemaExport: 'directorSchema', dirs: [src('director'), src('common')] },
  { program: 'burrow-sd', schemaModule: 'daemons/storage', schemaExport: 'storageDaemonSchema', dirs: [src('storage-daemon'), src('common')] },
  { program: 'burrow-fd', schemaModule: 'daemons/filedaemon', schemaExport: 'fileDaemonSchema', dirs: [src('file-daemon'), src('common')] },
  { program: 'bconsole', schemaModule: 'daemons/console', schemaExport: 'consoleSchema', dirs: [src('director', 'console'), src('common')] },
];

/** Where each spec object is exported from (a module under config/ and a name), found by importing them all. */
async function specExports(): Promise<Map<ResourceSpec, { module: string; name: string }>> {
  const out = new Map<ResourceSpec, { module: string; name: string }>();
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return walk(p);
    return n.endsWith('.ts') && !n.endsWith('.test.ts') ? [p] : [];
  });
  for (const file of walk(CONFIG_SRC)) {
    const rel = relative(join(REPO, 'packages', 'common', 'src'), file).replace(/\.ts$/, '');
    const mod = await import(`@burrow/common/${rel}`) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      const looksLikeSpec = typeof value === 'object' && value !== null && 'fields' in value && 'schema' in value && 'lookup' in value;
      if (looksLikeSpec && !out.has(value as ResourceSpec)) out.set(value as ResourceSpec, { module: file, name });
    }
  }
  return out;
}

interface Finding {
  readonly field: string;
  readonly problem: 'unread' | 'stale';
}

/** The fields of one spec that break the rule in one program. */
function findings(index: ReadIndex, reads: ReadonlySet<unknown>, spec: { type: string; fields: ResourceSpec['fields'] }, where: { module: string; name: string }): Finding[] {
  const out: Finding[] = [];
  for (const [field, def] of Object.entries(spec.fields)) {
    const decls = index.fieldDeclarations(where.module, where.name, field);
    if (decls.length === 0) throw new Error(`no declaration found for ${where.name}.fields.${field}: the analysis is broken, fix it rather than this schema`);
    const read = decls.some((d) => reads.has(d));
    const declared = def.warn !== undefined || def.inert !== undefined
      || LOADER_IMPLEMENTED[`${spec.type}.${field}`] !== undefined || LOADER_IMPLEMENTED[`*.${field}`] !== undefined;
    if (!read && !declared) out.push({ field, problem: 'unread' });
    if (read && def.inert !== undefined) out.push({ field, problem: 'stale' });
  }
  return out;
}

function explain(program: string, type: string, f: Finding, dirs: readonly string[]): string {
  const where = dirs.map((d) => relative(REPO, d)).join(' or ');
  if (f.problem === 'stale') {
    return `${program}: ${type} "${f.field}" is marked inert(...) but code now reads it: drop the inert(...) wrapper so the schema tells the truth.`;
  }
  return `${program}: ${type} directive "${f.field}" is parsed but nothing in ${where} (outside common/src/config) reads it. Do one of:\n` +
    `  - read it where it takes effect (a property access on the loaded resource, e.g. resource.${f.field});\n` +
    `  - if Burrow does not act on it yet, give the field a warning so -t names it: one(schema, NOT_YET) or one(schema, 'why and what happens instead');\n` +
    `    (or, if Bareos has it and ignoring it could lose data, weaken security or change what is backed up, refuse it: a check that records an error);\n` +
    `  - if it is deliberately without effect (informational, or Burrow already behaves as its value says), wrap it: inert(one(...), 'why');\n` +
    `  - if the configuration loader is its implementation, add '${type}.${f.field}' to LOADER_IMPLEMENTED in ${relative(REPO, new URL(import.meta.url).pathname).replace('dist/', '').replace(/\.js$/, '.ts')} with the reason.`;
}

// One program for both tests: building it is the slow part (several seconds).
const PLANTED_SPEC = join(CONFIG_SRC, 'zz-planted-for-test.ts');
const PLANTED_READER = src('common', 'zz-planted-reader.ts');
let shared: ReadIndex | undefined;
function index(): ReadIndex {
  shared ??= indexReads(REPO, ['common', 'director', 'storage-daemon', 'file-daemon'], [
    {
      path: PLANTED_SPEC,
      text: `import type { z } from 'zod';
import { name, one, text } from './schema/fields.js';
import { defineResource } from './schema/resource.js';
import type { Sourced } from './schema/daemon.js';
import type { Frozen } from './schema/problems.js';
export const plantedSpec = defineResource({ type: 'Planted', fields: { name: one(name()), usedDirective: one(text().optional()), plantedUnusedDirective: one(text().optional()) } });
export type PlantedResource = Frozen<z.output<typeof plantedSpec.schema> & Sourced>;
`,
    },
    {
      path: PLANTED_READER,
      text: `import type { PlantedResource } from './config/zz-planted-for-test.js';
interface LookAlike { plantedUnusedDirective: string }
export function use(r: PlantedResource, other: LookAlike): string {
  return \`\${r.name} \${r.usedDirective ?? ''} \${other.plantedUnusedDirective}\`;
}
`,
    },
  ]);
  return shared;
}

test('the analysis finds a planted unread directive, and is not fooled by a look-alike property', () => {
  const ix = index();
  const reads = ix.readsUnder([src('common')]);
  const fields = { name: {}, usedDirective: {}, plantedUnusedDirective: {} } as unknown as ResourceSpec['fields'];
  const found = findings(ix, reads, { type: 'Planted', fields }, { module: PLANTED_SPEC, name: 'plantedSpec' });
  assert.deepEqual(found, [{ field: 'plantedUnusedDirective', problem: 'unread' }]);
  assert.match(explain('burrow-test', 'Planted', found[0]!, [src('common')]), /Planted directive "plantedUnusedDirective" is parsed but nothing in packages\/common\/src/);
});

test('every directive of every schema is read, warned about, or declared without effect', async () => {
  const ix = index();
  const exportsOf = await specExports();
  const problems: string[] = [];
  let checked = 0;
  for (const scope of SCOPES) {
    const mod = await import(`@burrow/common/config/${scope.schemaModule}`) as Record<string, DaemonSchema>;
    const schema = mod[scope.schemaExport];
    assert.ok(schema, `${scope.schemaModule} exports no ${scope.schemaExport}`);
    const reads = ix.readsUnder(scope.dirs);
    for (const spec of new Set(Object.values(schema.resources))) {
      const where = exportsOf.get(spec);
      assert.ok(where, `the ${spec.type} spec of ${scope.program} is not exported from a module under config/`);
      checked += Object.keys(spec.fields).length;
      for (const f of findings(ix, reads, spec, where)) problems.push(explain(scope.program, spec.type, f, scope.dirs));
    }
  }
  assert.ok(checked > 100, `only ${checked} directives were checked: the walk over the schemas is broken`);
  assert.deepEqual(problems, [], `\n${problems.join('\n\n')}\n`);
});
