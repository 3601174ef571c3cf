import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteCatalog } from '../sqlite/open.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, readSchemaVersion, type Migration } from './migrate.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-schema-'));
  try { fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('migrations run from an empty database, record their version, and run once', () => {
  const db = new Database(':memory:');
  assert.equal(readSchemaVersion(db), 0);
  assert.deepEqual(migrate(db, 'mem', 123), MIGRATIONS.map((m) => m.version));
  assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  for (const t of ['Client', 'File', 'FileSet', 'Job', 'JobMedia', 'Log', 'Media', 'Path', 'Pool', 'SchemaVersion', 'Storage']) {
    assert.ok(tables.includes(t), `table ${t} exists`);
  }
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
  for (const i of ['File_JobPathName', 'JobMedia_Job', 'Job_Name']) assert.ok(indexes.includes(i), `index ${i}`);
  assert.deepEqual(migrate(db, 'mem'), []);
  db.close();
});

test('later migrations apply in order, and a failing one leaves the previous version intact', () => {
  const db = new Database(':memory:');
  const steps: Migration[] = [
    ...MIGRATIONS,
    { version: SCHEMA_VERSION + 1, description: 'add a column', sql: 'ALTER TABLE Client ADD COLUMN Uname TEXT' },
  ];
  assert.deepEqual(migrate(db, 'mem', 1, steps), steps.map((m) => m.version));
  const broken = [...steps, { version: SCHEMA_VERSION + 2, description: 'broken', sql: 'CREATE TABLE Client (x)' }];
  assert.throws(() => migrate(db, 'mem', 1, broken), { name: 'BurrowError', code: 'CATALOG', message: /migration \d+ \(broken\)/ });
  assert.equal(readSchemaVersion(db), SCHEMA_VERSION + 1);
  const misnumbered = [...steps, { version: 99, description: 'gap', sql: '' }];
  assert.throws(() => migrate(db, 'mem', 1, misnumbered), { code: 'INTERNAL' });
  db.close();
});

test('a catalog written by a newer Burrow is refused and left unchanged', () => {
  withDir((dir) => {
    const file = join(dir, 'burrow.db');
    openSqliteCatalog(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO SchemaVersion (Version, Description, AppliedAt) VALUES (?, ?, ?)')
      .run(SCHEMA_VERSION + 1, 'from the future', 0);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(file);
    assert.throws(() => openSqliteCatalog(file),
      { name: 'BurrowError', code: 'CATALOG', message: new RegExp(`schema version ${SCHEMA_VERSION + 1}`) });
    assert.ok(readFileSync(file).equals(before), 'the database file was not touched');
  });
});
