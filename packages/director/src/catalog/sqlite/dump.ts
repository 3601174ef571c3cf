/**
 * The catalog as SQL text, what Bareos's make_catalog_backup makes with
 * `echo .dump | sqlite3 bareos.db > bareos.sql`, written while the Director runs: one
 * read transaction on the WAL database is one snapshot, so the dump is consistent
 * even while jobs write (the BackupCatalog job itself is in it, as running).
 *
 * The text is the sqlite3 shell's (sql-text.ts): `PRAGMA foreign_keys=OFF;`,
 * `BEGIN TRANSACTION;`, each table's CREATE and its rows as INSERTs, sqlite_sequence
 * (so JobIds are never reused after a load), then indexes, triggers and views, and
 * `COMMIT;`. It is written to a temporary file and renamed into place, so a dump that
 * fails half-way never leaves a half dump for the backup to save as if it were whole;
 * it is readable by its owner only, as a catalog is.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { isCompleteStatement, tableName, valueLiteral, type SqlValue } from './sql-text.js';

export interface DumpSummary {
  tables: number;
  rows: number;
  bytes: number;
}

/** Buffers text and writes it in pieces of about a MiB. */
class DumpWriter {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const data = Buffer.from(this.parts.join(''), 'utf8');
    for (let done = 0; done < data.length;) done += writeSync(this.fd, data, done);
    this.bytes += data.length;
    this.parts = [];
    this.size = 0;
  }
}

/**
 * A stored CREATE statement with its terminator, as the shell's printSchemaLine writes
 * it: a comment at its end must not swallow the `;`, and a table whose name was
 * quoted gets IF NOT EXISTS.
 */
function schemaLine(sql: string): string {
  let text = sql;
  if (sql.includes('/*') || sql.includes('--')) {
    text = ['', '*/', '\n'].map((end) => sql + end).find((t) => isCompleteStatement(`${t};`)) ?? sql;
  }
  if (/^CREATE TABLE ['"]/.test(text)) return `CREATE TABLE IF NOT EXISTS ${text.slice(13)};\n`;
  return `${text};\n`;
}

interface SchemaRow { name: string; sql: string }

function dumpTable(db: Database.Database, table: SchemaRow, out: DumpWriter): number {
  if (table.name === 'sqlite_sequence') out.write('DELETE FROM sqlite_sequence;\n');
  else if (/^sqlite_stat./.test(table.name)) out.write('ANALYZE sqlite_schema;\n');
  else if (table.name.startsWith('sqlite_')) return 0;
  else if (table.sql.startsWith('CREATE VIRTUAL TABLE')) throw new BurrowError('CATALOG', `table ${table.name} is a virtual table; the catalog has none`);
  else out.write(schemaLine(table.sql));
  const prefix = `INSERT INTO ${tableName(table.name)} VALUES(`;
  const select = db.prepare(`SELECT * FROM "${table.name.replaceAll('"', '""')}"`).raw(true).safeIntegers(true);
  let rows = 0;
  for (const row of select.iterate() as IterableIterator<SqlValue[]>) {
    out.write(`${prefix}${row.map(valueLiteral).join(',')});\n`);
    rows++;
  }
  return rows;
}

function dumpAll(db: Database.Database, out: DumpWriter): DumpSummary {
  out.write('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n');
  const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql NOT NULL
    ORDER BY tbl_name = 'sqlite_sequence', rowid`).all() as SchemaRow[];
  let rows = 0;
  for (const t of tables) rows += dumpTable(db, t, out);
  const others = db.prepare(`SELECT sql FROM sqlite_schema WHERE sql NOT NULL AND type IN ('index', 'trigger', 'view')
    ORDER BY rowid`).all() as Array<{ sql: string }>;
  for (const { sql } of others) out.write(sql.includes('--') ? `${sql}\n;\n` : `${sql};\n`);
  out.write('COMMIT;\n');
  out.flush();
  return { tables: tables.filter((t) => !t.name.startsWith('sqlite_')).length, rows, bytes: out.bytes };
}

/** Writes the catalog at `databaseFile` as SQL text to `dumpFile` (replacing it whole, or not at all). */
export function dumpSqliteCatalog(databaseFile: string, dumpFile: string): DumpSummary {
  let db: Database.Database;
  try {
    db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BurrowError('CATALOG', `cannot open catalog ${databaseFile}: ${describeError(err)}`, { cause: err });
  }
  const temporary = `${dumpFile}.partial`;
  let fd: number | undefined;
  try {
    db.pragma('busy_timeout = 5000');
    rmSync(temporary, { force: true });
    fd = openSync(temporary, 'wx', 0o600);
    db.exec('BEGIN'); // one snapshot from the first read to the last
    const summary = dumpAll(db, new DumpWriter(fd));
    db.exec('COMMIT');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, dumpFile);
    return summary;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    if (err instanceof BurrowError) throw err;
    throw new BurrowError('CATALOG', `cannot dump catalog ${databaseFile} to ${dumpFile}: ${describeError(err)}`, { cause: err });
  } finally {
    db.close();
  }
}
