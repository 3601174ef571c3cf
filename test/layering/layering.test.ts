/**
 * The layering check (.dependency-cruiser.cjs): the repository's sources break none of
 * its rules, and, so that the check can never pass by matching nothing, a small tree
 * with one forbidden import per rule (and the allowed directions beside them) makes
 * every rule fire exactly where it should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** test/dist/layering/ -> the repository. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const RESOLVE_TSCONFIG = join('test', 'layering', 'tsconfig.json');

/** The rules' violations in the tree at `baseDir` (laid out as the repository is). */
async function violations(baseDir: string, roots: string[]): Promise<IViolation[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = join(baseDir, RESOLVE_TSCONFIG);
  // The parsed tsconfig too, as the CLI passes it: its baseUrl anchors the @burrow paths
  // (without it they are taken from the working directory).
  const result = await cruise(roots, { ...options, baseDir, tsConfig: { fileName: tsConfig } }, {}, { tsConfig: extractTSConfig(tsConfig) });
  return (result.output as ICruiseResult).summary.violations;
}

function describe(v: IViolation): string {
  const path = v.cycle ? v.cycle.map((c) => c.name).join(' -> ') : v.via ? v.via.map((c) => c.name).join(' -> ') : v.to;
  return `${v.rule.name}: ${v.from} -> ${path}`;
}

test('the sources keep the layering (DESIGN.md, STYLE habits 1-5)', async () => {
  const found = await violations(ROOT, ['packages', 'test', 'bench']);
  assert.deepEqual(found.map(describe), [], 'each line names the rule in .dependency-cruiser.cjs that says why');
});

/** A tree with one forbidden import per rule, and allowed imports beside them. */
const FIXTURE: Record<string, string> = {
  'node_modules/better-sqlite3/package.json': '{ "name": "better-sqlite3", "main": "index.js" }',
  'node_modules/better-sqlite3/index.js': 'module.exports = {};',
  'node_modules/left-pad/package.json': '{ "name": "left-pad", "main": "index.js" }',
  'node_modules/left-pad/index.js': 'module.exports = {};',

  // Allowed: the catalog opens SQLite and is reached through its index.
  'packages/director/src/catalog/sqlite/open.ts': "import Database from 'better-sqlite3';\nexport const db = Database;",
  'packages/director/src/catalog/index.ts': "export { db } from './sqlite/open.js';",
  'packages/director/src/jobs/uses-catalog.ts': "import { db } from '../catalog/index.js';\nimport { peer } from '@burrow/common/net/channel';\nexport const x = [db, peer];",
  'packages/director/src/jobs/plan.ts': 'export const plan = 1;',
  'packages/director/src/main.ts': "import { x } from './jobs/uses-catalog.js';\nexport const root = x;",
  'packages/common/src/net/channel.ts': "import { connect } from 'node:net';\nexport const peer = connect;",
  'packages/common/src/net/client.ts': "import { peer } from './channel.js';\nexport const client = peer;",
  'packages/common/src/proto/index.ts': 'export const proto = 1;',
  'packages/fsx/src/index.ts': 'export const fsx = 1;',

  // Forbidden, one rule each (the name says which).
  'packages/director/src/jobs/opens-db.ts': "import Database from 'better-sqlite3';\nexport const d = Database;",
  'packages/director/src/jobs/reaches-in.ts': "import { db } from '../catalog/sqlite/open.js';\nexport const d = db;",
  'packages/director/src/catalog/looks-up.ts': "import { plan } from '../jobs/plan.js';\nexport const p = plan;",
  'packages/director/src/console/bconsole.ts':
    "import { client } from '@burrow/common/net/client';\nimport { names } from './names.js';\nimport { bridge } from './bridge.js';\nimport { help } from './commands/help.js';\nimport pad from 'left-pad';\nimport { homedir } from 'node:os';\nexport const b = [client, names, bridge, help, pad, homedir];",
  'packages/director/src/console/names.ts': "export const names = ['status'];",
  'packages/director/src/console/bridge.ts': "import { x } from '../jobs/uses-catalog.js';\nexport const bridge = x;",
  'packages/director/src/console/commands/help.ts': "import { proto } from '@burrow/common/proto/index';\nexport const help = proto;",
  'packages/storage-daemon/src/dir/asks-director.ts': "import { db } from '@burrow/director/catalog/index';\nexport const d = db;",
  'packages/file-daemon/src/backup/borrows.ts': "import { block } from '@burrow/storage-daemon/volume/block';\nexport const b = block;",
  'packages/storage-daemon/src/offline/index.ts': "export { block } from '../volume/block.js';",
  // Allowed: an offline tool of another package reads volumes through the SD's offline door.
  'packages/file-daemon/src/extract/reads.ts': "import { block } from '@burrow/storage-daemon/offline/index';\nexport const r = block;",
  'packages/file-daemon/src/restore/reads.ts': "import { block } from '@burrow/storage-daemon/offline/index';\nexport const r = block;",
  'packages/storage-daemon/src/volume/block.ts': "import { sessions } from '../sessions/registry.js';\nexport const block = sessions;",
  'packages/storage-daemon/src/sessions/registry.ts': "import { proto } from '@burrow/common/proto/index';\nexport const sessions = proto;",
  'packages/storage-daemon/src/devices/tape.ts': "import { peer } from '@burrow/common/net/channel';\nexport const t = peer;",
  'packages/file-daemon/src/verify/disk.ts': "import { reporter } from '../dir/job-reporter.js';\nexport const v = reporter;",
  'packages/file-daemon/src/dir/job-reporter.ts': "import { proto } from '@burrow/common/proto/index';\nexport const reporter = proto;",
  'packages/file-daemon/src/main.ts': "import { reporter } from './dir/job-reporter.js';\nimport { fsx } from '@burrow/fsx';\nexport const m = [reporter, fsx];",
  'packages/director/src/sd/storage-link.ts': "import { plan } from '../jobs/plan.js';\nexport const s = plan;",
  'packages/director/src/jobs/dials.ts': "import { connect } from 'node:tls';\nexport const d = connect;",
  'packages/director/src/jobs/uses-utils.ts': "import { pad } from '../utils/strings.js';\nexport const u = pad;",
  'packages/director/src/utils/strings.ts': 'export const pad = 1;',
  'packages/storage-daemon/src/main.ts': 'export const sd = 1;',
  'packages/storage-daemon/src/dir/wires.ts': "import { sd } from '../main.js';\nexport const w = sd;",
  'packages/storage-daemon/src/volume/shortcut.ts': "import { fake } from './testing.js';\nexport const s = fake;",
  'packages/storage-daemon/src/volume/testing.ts': 'export const fake = 1;',
  'packages/storage-daemon/src/volume/block.test.ts': "import { fake } from './testing.js';\nexport const t = fake;",
  'packages/common/src/names/a.ts': "import { b } from './b.js';\nexport const a = () => b;",
  'packages/common/src/names/b.ts': "import { a } from './a.js';\nexport const b = () => a;",
};

/** What the check must say of FIXTURE: rule and importing module, and nothing else. */
const EXPECTED = [
  'sqlite-only-in-the-catalog packages/director/src/jobs/opens-db.ts',
  'catalog-through-its-index packages/director/src/jobs/reaches-in.ts',
  'catalog-below-the-director packages/director/src/catalog/looks-up.ts',
  'bconsole-only-common packages/director/src/console/bconsole.ts',
  'bconsole-imports-no-libraries packages/director/src/console/bconsole.ts',
  'bconsole-reaches-no-commands packages/director/src/console/bconsole.ts',
  'daemons-never-import-the-director packages/storage-daemon/src/dir/asks-director.ts',
  'packages-meet-only-in-common packages/storage-daemon/src/dir/asks-director.ts',
  'packages-meet-only-in-common packages/file-daemon/src/backup/borrows.ts',
  'offline-tools-only packages/file-daemon/src/restore/reads.ts',
  'volume-code-knows-no-sessions-or-network packages/storage-daemon/src/volume/block.ts',
  'volume-code-knows-no-sessions-or-network packages/storage-daemon/src/devices/tape.ts',
  'fd-conversation-on-top packages/file-daemon/src/verify/disk.ts',
  'director-peer-links-below-jobs packages/director/src/sd/storage-link.ts',
  'domain-code-opens-no-sockets packages/director/src/jobs/dials.ts',
  'no-grab-bag-folders packages/director/src/jobs/uses-utils.ts',
  'programs-are-not-imported packages/storage-daemon/src/dir/wires.ts',
  'no-test-code-in-production packages/storage-daemon/src/volume/shortcut.ts',
  'no-cycles packages/common/src/names/a.ts',
].sort();

test('every rule fires on a forbidden import, and only there', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'burrow-layering-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(FIXTURE)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), `${text}\n`);
  }
  await mkdir(join(base, 'test', 'layering'), { recursive: true });
  await copyFile(join(ROOT, RESOLVE_TSCONFIG), join(base, RESOLVE_TSCONFIG));

  const found = await violations(base, ['packages']);
  const said = [...new Set(found.map((v) => `${v.rule.name} ${v.from}`))].sort();
  assert.deepEqual(said, EXPECTED, found.map(describe).join('\n'));

  const rules = (await extractDepcruiseOptions(CONFIG)).ruleSet?.forbidden?.map((r) => r.name) ?? [];
  assert.ok(rules.length > 0);
  const exercised = new Set(EXPECTED.map((line) => line.split(' ')[0]));
  assert.deepEqual(rules.filter((name) => name !== undefined && !exercised.has(name)), [], 'a rule without a case here could match nothing and pass forever');
});
