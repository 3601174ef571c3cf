/**
 * The scripts Bareos's stock BackupCatalog job runs, and the one step after a
 * restore of its dump (packages/director/scripts/ holds the executables: the
 * scriptdir, see configs/README.md):
 *
 *   make_catalog_backup [-c CONFIG] CATALOG   dump the Catalog resource's database to
 *                                             <WorkingDirectory>/<DbName>.sql
 *   delete_catalog_backup [-c CONFIG] [CATALOG]  remove that dump (of every Catalog
 *                                             when none is named, as the stock job
 *                                             calls it without one)
 *   load_catalog_backup [-c CONFIG] CATALOG [DUMP]  load a dump (default: that same
 *                                             .sql) into the Catalog's database file,
 *                                             which must not exist yet
 *
 * The configuration is -c, else $BURROW_CONFIG (the Director sets it for every command
 * it runs), else /etc/burrow/burrow-dir.d. CATALOG is the Catalog resource's Name; a
 * DbName is accepted too, as Bareos's older shell script took the database name.
 * All database work is the catalog module's (catalog/sqlite/dump.ts, load.ts).
 */
import { rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDirectorConfig, type DirectorConfig } from '@burrow/common/config/index';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { dumpSqliteCatalog, loadSqliteCatalog } from '../catalog/index.js';
import { catalogFilesOf as files, findCatalog } from './catalog-of-config.js';
import { CONFIG_ENV, DEFAULT_DIRECTOR_CONFIG } from '../setup/command-environment.js';

export type CatalogTool = 'make_catalog_backup' | 'delete_catalog_backup' | 'load_catalog_backup';

const USAGE: Record<CatalogTool, string> = {
  make_catalog_backup: 'make_catalog_backup [-c config] catalog-name',
  delete_catalog_backup: 'delete_catalog_backup [-c config] [catalog-name]',
  load_catalog_backup: 'load_catalog_backup [-c config] catalog-name [dump-file]',
};

interface Context {
  configPath: string;
  config: DirectorConfig;
  say: (line: string) => void;
}

function make(ctx: Context, [name, ...extra]: string[]): void {
  if (name === undefined) throw new BurrowError('BAD_REQUEST', `no catalog named; usage: ${USAGE.make_catalog_backup}`);
  const catalog = findCatalog(ctx, name);
  if (extra.length > 0) ctx.say(`arguments after the catalog name (database user, password, host, type) are for MySQL and PostgreSQL; Burrow's SQLite catalog does not use them`);
  const f = files(ctx, catalog);
  const s = dumpSqliteCatalog(f.database, f.dump);
  ctx.say(`catalog "${catalog.name}" (${f.database}) dumped to ${f.dump}: ${s.tables} tables, ${s.rows} rows, ${s.bytes} bytes`);
}

function remove(ctx: Context, names: string[]): void {
  const catalogs = names.length > 0 ? names.map((n) => findCatalog(ctx, n)) : ctx.config.catalogs;
  for (const catalog of catalogs) {
    const { dump } = files(ctx, catalog);
    const there = statSync(dump, { throwIfNoEntry: false }) !== undefined;
    rmSync(dump, { force: true });
    ctx.say(there ? `removed ${dump}` : `no catalog dump at ${dump}`);
  }
}

function load(ctx: Context, [name, dumpFile, ...extra]: string[]): void {
  if (name === undefined || extra.length > 0) throw new BurrowError('BAD_REQUEST', `usage: ${USAGE.load_catalog_backup}`);
  const catalog = findCatalog(ctx, name);
  const f = files(ctx, catalog);
  const source = dumpFile ?? f.dump;
  const s = loadSqliteCatalog(source, f.database);
  ctx.say(`${source} loaded into ${f.database} (${s.statements} statements, catalog schema version ${s.schemaVersion}); start the Director on it`);
}

/** Runs one of the tools; returns its exit status (0 done, 1 failed, with the reason on stderr). */
export function main(tool: CatalogTool, argv: readonly string[]): number {
  const say = (line: string): void => { process.stdout.write(`${tool}: ${line}\n`); };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { c: { type: 'string' } }, allowPositionals: true, strict: true });
    const configPath = values.c ?? process.env[CONFIG_ENV] ?? DEFAULT_DIRECTOR_CONFIG;
    const ctx: Context = { configPath, config: loadDirectorConfig(configPath).config, say };
    if (tool === 'make_catalog_backup') make(ctx, positionals);
    else if (tool === 'delete_catalog_backup') remove(ctx, positionals);
    else load(ctx, positionals);
    return 0;
  } catch (err) {
    process.stderr.write(`${tool}: ${describeError(err)}\n`);
    return 1;
  }
}
