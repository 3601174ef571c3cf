/**
 * A catalog dump (dump.ts, or `sqlite3 bareos.db .dump` of a Burrow catalog) made into
 * a catalog file again: the step after restoring the BackupCatalog job's dump, what
 * Bareos's documentation does with `sqlite3 bareos.db < bareos.sql`.
 *
 * It never overwrites: a catalog file (or its WAL) that exists and is not empty is
 * refused before anything is read. The dump is loaded into a temporary file beside
 * the target, checked (integrity, foreign keys, a Burrow schema version this Burrow
 * knows), and only then linked into place. Only the statements a dump consists of are
 * run (CREATE, INSERT, the transaction and the sqlite_sequence lines); anything else,
 * such as ATTACH, is refused with its line number.
 */
import { closeSync, linkSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import Database from 'better-sqlite3';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { checkSchemaVersion, readSchemaVersion } from '../schema/migrate.js';
import { StatementSplitter, statementText } from './sql-text.js';

export interface LoadSummary {
  statements: number;
  schemaVersion: number;
}

const DUMP_STATEMENTS = [
  /^PRAGMA\s+foreign_keys\s*=\s*(OFF|0|false)\s*;$/i,
  /^BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?\s*;$/i,
  /^(COMMIT|END)(\s+TRANSACTION)?\s*;$/i,
  /^CREATE\s+(TABLE|(UNIQUE\s+)?INDEX|VIEW|TRIGGER)\s/i,
  /^INSERT\s+INTO\s/i,
  /^DELETE\s+FROM\s+"?sqlite_sequence"?\s*;$/i,
  /^ANALYZE\s+"?sqlite_(schema|master)"?\s*;$/i,
];

/** A non-empty file at this path (the catalog, or a WAL holding its latest pages). */
function occupied(path: string): boolean {
  return (statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 0;
}

/** Runs the dump's statements in batches; returns how many. */
function runDump(db: Database.Database, dumpFile: string): number {
  const fd = openSync(dumpFile, 'r');
  const splitter = new StatementSplitter();
  const decoder = new StringDecoder('utf8');
  const chunk = Buffer.alloc(1 << 20);
  let line = 1;
  let count = 0;
  const run = (statements: string[]): void => {
    for (const s of statements) {
      const at = line + (s.match(/^\s*/)?.[0].split('\n').length ?? 1) - 1;
      line += s.split('\n').length - 1;
      count++;
      const text = statementText(s);
      if (!DUMP_STATEMENTS.some((re) => re.test(text))) {
        throw new BurrowError('CATALOG', `${dumpFile}:${at}: not a statement of a catalog dump, refused: ${text.slice(0, 80)}`);
      }
      try {
        db.exec(text);
      } catch (err) {
        throw new BurrowError('CATALOG', `${dumpFile}:${at}: ${describeError(err)}`, { cause: err });
      }
    }
  };
  try {
    for (let n; (n = readSync(fd, chunk)) > 0;) run(splitter.push(decoder.write(chunk.subarray(0, n))));
    run(splitter.push(decoder.end(), true));
  } finally {
    closeSync(fd);
  }
  const rest = statementText(splitter.rest);
  if (rest !== '') throw new BurrowError('CATALOG', `${dumpFile}:${line}: the dump ends inside a statement (is it cut short?)`);
  if (db.inTransaction) throw new BurrowError('CATALOG', `${dumpFile}: the dump ends before its COMMIT (is it cut short?)`);
  return count;
}

/** What must hold of a loaded catalog before it replaces nothing and becomes the catalog. */
function checkLoaded(db: Database.Database, dumpFile: string): number {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw new BurrowError('CATALOG', `the catalog loaded from ${dumpFile} is damaged: ${String(integrity)}`);
  const orphans = db.pragma('foreign_key_check') as unknown[];
  if (orphans.length > 0) throw new BurrowError('CATALOG', `the catalog loaded from ${dumpFile} has ${orphans.length} rows whose referenced rows are missing`);
  if (readSchemaVersion(db) === 0) throw new BurrowError('CATALOG', `${dumpFile} is not the dump of a Burrow catalog (it has no SchemaVersion table)`);
  return checkSchemaVersion(db, dumpFile);
}

/** Loads `dumpFile` into a new catalog at `databaseFile`, which must not exist or be empty. */
export function loadSqliteCatalog(dumpFile: string, databaseFile: string): LoadSummary {
  for (const path of [databaseFile, `${databaseFile}-wal`]) {
    if (occupied(path)) throw new BurrowError('CATALOG', `catalog ${path} exists and is not empty; move it away first (the loaded dump would replace it)`);
  }
  if (!statSync(dumpFile, { throwIfNoEntry: false })?.isFile()) throw new BurrowError('NOT_FOUND', `no catalog dump at ${dumpFile}`);
  const temporary = `${databaseFile}.loading`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  try {
    const statements = runDump(db, dumpFile);
    const schemaVersion = checkLoaded(db, dumpFile);
    db.close();
    for (const path of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]) rmSync(path, { force: true }); // empty, checked above
    linkSync(temporary, databaseFile); // fails rather than replace a catalog that appeared meanwhile
    rmSync(temporary);
    return { statements, schemaVersion };
  } catch (err) {
    if (db.open) db.close();
    rmSync(temporary, { force: true });
    throw err instanceof BurrowError ? err : new BurrowError('CATALOG', `cannot load ${dumpFile} into ${databaseFile}: ${describeError(err)}`, { cause: err });
  }
}
