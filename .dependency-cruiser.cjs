/**
 * The layering of Burrow, checked (DESIGN.md "The parts", STYLE.md habits 1-5): which
 * module may import which. `npm test` runs these rules over every package's sources
 * (test/layering/layering.test.ts, which also proves on a small tree that each rule
 * fires); `npx depcruise packages test bench` prints the same verdict.
 *
 * The rules speak of directions (a daemon and the Director, the catalog and the rest,
 * domain code and the network), not of today's file names, so that code can move
 * within a layer without touching them. Paths are relative to the repository root;
 * `@burrow/...` imports resolve to the packages' sources (test/layering/tsconfig.json).
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Sources of every program a package ships (package.json `bin`): `dist/x.js` is `src/x.ts`. */
function programEntryPoints() {
  const packages = join(__dirname, 'packages');
  const entries = [];
  for (const name of readdirSync(packages)) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const target of Object.values(pkg.bin ?? {})) {
      const source = target.replace(/^\.\//, '').replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
      entries.push(`^packages/${name}/${source.replace(/[.]/g, '\\.')}$`);
    }
  }
  return entries;
}

/** Test code: test files, test helpers (`testing.ts`), conformance suites, the e2e tree. */
const TEST_CODE = ['\\.test\\.ts$', '(^|/)testing\\.ts$', '(^|/)conformance\\.ts$', '^test/'];

/** The network as Node offers it. */
const NETWORK_BUILTINS = '^(node:)?(net|tls|dgram|http|https|http2)$';

/** better-sqlite3, wherever pnpm keeps it (or unresolved, by its name). */
const SQLITE = '(^|/)better-sqlite3(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'sqlite-only-in-the-catalog',
      comment:
        'Only the catalog module opens the database (STYLE habits 3 and 4, DESIGN.md "Catalog"): '
        + 'the rest of the Director sees the Catalog interface, so SQLite and PostgreSQL can stand in for each other.',
      severity: 'error',
      from: { pathNot: '^packages/director/src/catalog/' },
      to: { path: SQLITE },
    },
    {
      name: 'catalog-through-its-index',
      comment:
        'Outside catalog/, the catalog is what catalog/index.ts exports (the Catalog interface, row types, '
        + 'openSqliteCatalog): its SQLite implementation and schema are its own business.',
      severity: 'error',
      from: { path: '^packages/director/src/', pathNot: '^packages/director/src/catalog/' },
      to: { path: '^packages/director/src/catalog/', pathNot: '^packages/director/src/catalog/index\\.ts$' },
    },
    {
      name: 'catalog-below-the-director',
      comment:
        'The catalog knows nothing of jobs, consoles or peers: it is the bottom of the Director, '
        + 'so a conformance suite can run it alone.',
      severity: 'error',
      from: { path: '^packages/director/src/catalog/' },
      to: { path: '^packages/director/src/', pathNot: '^packages/director/src/catalog/' },
    },
    {
      name: 'bconsole-only-common',
      comment:
        'bconsole runs on an administrator\'s desk: it and everything it imports use only @burrow/common '
        + '(and its own small console/ leaves), never Director parts that open the catalog or start jobs.',
      severity: 'error',
      from: { path: '^packages/director/src/console/bconsole\\.ts$' },
      to: { reachable: true, path: '^packages/|' + SQLITE, pathNot: '^packages/(common/|director/src/console/)' },
    },
    {
      name: 'bconsole-imports-no-libraries',
      comment:
        'bconsole itself imports Node\'s builtins, @burrow/common and its console/ leaves only: '
        + 'what it needs of a library, common gives it.',
      severity: 'error',
      from: { path: '^packages/director/src/console/bconsole\\.ts$' },
      to: { dependencyTypesNot: ['core'], pathNot: '^packages/(common/|director/src/console/)' },
    },
    {
      name: 'bconsole-reaches-no-commands',
      comment:
        'The console commands run inside the Director (they hold a ConsoleContext with the catalog and the queue); '
        + 'bconsole only knows their names.',
      severity: 'error',
      from: { path: '^packages/director/src/console/bconsole\\.ts$' },
      to: { reachable: true, path: '^packages/director/src/console/(commands|restore)/|^packages/director/src/console/session\\.ts$' },
    },
    {
      name: 'daemons-never-import-the-director',
      comment:
        'The Storage and File daemons never open the catalog or run Director code (STYLE habit 4, Bareos\'s askdir/catreq): '
        + 'they ask the Director over the wire.',
      severity: 'error',
      from: { path: '^packages/(storage-daemon|file-daemon)/' },
      to: { path: '^packages/director/|' + SQLITE },
    },
    {
      name: 'packages-meet-only-in-common',
      comment:
        'The parts share code only through @burrow/common (and the @burrow/fsx library): no daemon imports '
        + 'another daemon, and common imports none of them. The one door: the SD\'s offline/index.ts, for the '
        + 'offline tools of other packages (see offline-tools-only).',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: ['^packages/($1|common|fsx)/', '^packages/storage-daemon/src/offline/index\\.ts$'] },
    },
    {
      name: 'offline-tools-only',
      comment:
        'bextract restores with the File daemon\'s restore writer and bscan fills the Director\'s catalog, both from '
        + 'volumes read without the Storage daemon (DESIGN.md "Volume format"): they read them through the SD\'s '
        + 'offline/index.ts, the one reader of the volume format, and nothing else of another package reaches it.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/(storage-daemon/|file-daemon/src/(extract|tools)/|director/src/(scan|tools)/)' },
      to: { path: '^packages/storage-daemon/src/offline/' },
    },
    {
      name: 'volume-code-knows-no-sessions-or-network',
      comment:
        'The SD\'s volume format and devices are used offline by bls/bextract/bscan (DESIGN.md "Volume format"): '
        + 'they never import session, conversation or network code.',
      severity: 'error',
      from: { path: '^packages/storage-daemon/src/(volume|devices|offline)/' },
      to: {
        path: ['^packages/storage-daemon/src/(dir|fd|sessions)/', '^packages/common/src/net/', NETWORK_BUILTINS],
      },
    },
    {
      name: 'fd-conversation-on-top',
      comment:
        'The File daemon\'s side of the Director conversation (dir/) drives the rest: backup, restore, verify, '
        + 'scripts take what they need as parameters (narrow types), and only the composition root imports dir/.',
      severity: 'error',
      from: { path: '^packages/file-daemon/src/', pathNot: ['^packages/file-daemon/src/(dir/|main\\.ts$)', ...TEST_CODE] },
      to: { path: '^packages/file-daemon/src/dir/' },
    },
    {
      name: 'director-peer-links-below-jobs',
      comment:
        'The Director\'s conversations with its peers (sd/, fd/, named for the peer, STYLE habit 5) are a layer '
        + 'below the job runners: a job uses them, they never reach back into jobs/.',
      severity: 'error',
      from: { path: '^packages/director/src/(sd|fd)/' },
      to: { path: '^packages/director/src/jobs/' },
    },
    {
      name: 'domain-code-opens-no-sockets',
      comment:
        'Job logic, the catalog, volumes, devices, the walker and the restore writer see a peer Channel, never '
        + 'sockets (STYLE habit 3): the network is common/net\'s. (A test may make a socket file to back up.)',
      severity: 'error',
      from: {
        path: '^packages/[^/]+/src/(jobs|catalog|console|media|scheduler|restore-tree|volume|devices|backup|restore|fileset|accurate|verify|digest)/',
        pathNot: TEST_CODE,
      },
      to: { path: NETWORK_BUILTINS },
    },
    {
      name: 'no-grab-bag-folders',
      comment: 'Folders are nouns of the domain (STYLE habit 1): nothing depends on a utils/ or helpers/ drawer.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^packages/.*/(utils?|helpers?|misc)/' },
    },
    {
      name: 'programs-are-not-imported',
      comment:
        'Each program has one composition root (STYLE habit 2): it reads arguments and config and wires the parts; '
        + 'nothing imports it (the tests spawn the built program instead).',
      severity: 'error',
      from: {},
      to: { path: programEntryPoints() },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Test files and test helpers (testing.ts, conformance suites) are imported only by tests.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'no-cycles',
      comment:
        'An import cycle means two modules are one: merge them, or cut the contract out into a module both use. '
        + 'Type-only imports count too: a cycle of types is a contract cut across files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports are dependencies of the design even though tsc erases them.
    tsPreCompilationDeps: true,
    // Absolute: TypeScript finds no sources for a tsconfig named relative to the working directory.
    tsConfig: { fileName: join(__dirname, 'test', 'layering', 'tsconfig.json') },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|\\.d\\.ts$|(^|/)generated\\.js$' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    cache: false,
  },
};
