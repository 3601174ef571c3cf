import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import { INITIAL_SCHEMA } from './0001-initial.js';

/**
 * Numbered schema migrations, applied in order on open, each in its own transaction
 * together with the row recording it in SchemaVersion. Append only: a released
 * migration is never edited, a change is the next number.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial tables', sql: INITIAL_SCHEMA },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS SchemaVersion (
  Version INTEGER PRIMARY KEY,
  Description TEXT NOT NULL,
  AppliedAt INTEGER NOT NULL
)`;

/** The newest version recorded in the database; 0 for a database without one. */
export function readSchemaVersion(db: Database.Database): number {
  const table = db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'SchemaVersion'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(Version) AS v FROM SchemaVersion').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Refuses a database written by a newer Burrow, before anything is changed: an old
 * Director must not write rows a newer schema would misread.
 */
export function checkSchemaVersion(db: Database.Database, where: string,
  migrations: readonly Migration[] = MIGRATIONS): number {
  const found = readSchemaVersion(db);
  const known = migrations.length;
  if (found > known) {
    throw new BurrowError('CATALOG',
      `catalog ${where} has schema version ${found}, but this Burrow knows only up to ` +
      `version ${known}; run a newer Burrow or point DbName at another catalog`);
  }
  return found;
}

/**
 * Brings the database up to the newest migration; returns the versions applied.
 * `migrations` is a parameter so that tests can exercise more than one step.
 */
export function migrate(db: Database.Database, where: string, now: number = Date.now(),
  migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new BurrowError('INTERNAL', `migration ${i + 1} is numbered ${m.version}`);
  });
  const found = checkSchemaVersion(db, where, migrations);
  const applied: number[] = [];
  for (const m of migrations.slice(found)) {
    const step = db.transaction(() => {
      db.exec(VERSION_TABLE);
      db.exec(m.sql);
      db.prepare('INSERT INTO SchemaVersion (Version, Description, AppliedAt) VALUES (?, ?, ?)')
        .run(m.version, m.description, now);
    });
    try {
      step.immediate();
    } catch (err) {
      throw new BurrowError('CATALOG',
        `catalog ${where}: migration ${m.version} (${m.description}) failed: ${String(err)}`, { cause: err });
    }
    applied.push(m.version);
  }
  return applied;
}
