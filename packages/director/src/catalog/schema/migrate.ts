import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import { INITIAL_SCHEMA } from './0001-initial.js';
import { VERIFY_LEVELS_SCHEMA } from './0002-verify-levels.js';
import { MEDIA_LIFECYCLE_SCHEMA } from './0003-media-lifecycle.js';
import { LOG_IDS_SCHEMA } from './0004-log-ids.js';
import { CARTRIDGES_SCHEMA } from './0005-cartridges.js';
import { TAPE_FILES_SCHEMA } from './0006-tape-files.js';

/**
 * Numbered schema migrations, applied in order on open, each in its own transaction
 * together with the row recording it in SchemaVersion. Append only: a released
 * migration is never edited, a change is the next number.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /**
   * The migration rebuilds a table others refer to (SQLite's way to change a
   * constraint): it runs with foreign keys off, and the references are checked before
   * it commits.
   */
  rebuildsTables?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial tables', sql: INITIAL_SCHEMA },
  { version: 2, description: 'verify levels', sql: VERIFY_LEVELS_SCHEMA, rebuildsTables: true },
  { version: 3, description: 'media lifecycle', sql: MEDIA_LIFECYCLE_SCHEMA, rebuildsTables: true },
  { version: 4, description: 'log ids never reused', sql: LOG_IDS_SCHEMA, rebuildsTables: true },
  { version: 5, description: 'cartridge sets, locations and history', sql: CARTRIDGES_SCHEMA },
  { version: 6, description: 'VolFiles counts tape files', sql: TAPE_FILES_SCHEMA },
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
      if (m.rebuildsTables) checkForeignKeys(db);
      db.prepare('INSERT INTO SchemaVersion (Version, Description, AppliedAt) VALUES (?, ?, ?)')
        .run(m.version, m.description, now);
    });
    // The pragma is ignored inside a transaction, hence around it.
    const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      step.immediate();
    } catch (err) {
      throw new BurrowError('CATALOG',
        `catalog ${where}: migration ${m.version} (${m.description}) failed: ${String(err)}`, { cause: err });
    } finally {
      if (m.rebuildsTables && keysWereOn) db.pragma('foreign_keys = ON');
    }
    applied.push(m.version);
  }
  return applied;
}

/** Every reference still points at a row (a rebuilt table kept every row it had). */
function checkForeignKeys(db: Database.Database): void {
  const broken = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
  if (broken.length > 0) {
    const first = broken[0];
    throw new Error(`${broken.length} rows refer to missing rows (first: ${first?.table} row ${first?.rowid} -> ${first?.parent})`);
  }
}
