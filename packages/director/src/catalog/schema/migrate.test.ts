import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteCatalog } from '../sqlite/open.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, readSchemaVersion, type Migration } from './migrate.js';

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-schema-'));
  try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
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

test('a catalog written by a newer Burrow is refused and left unchanged', async () => {
  await withDir((dir) => {
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

test('a catalog made by schema version 1 upgrades to stored verify levels, keeping every row and the job id counter', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'burrow.db');
    const v1 = new Database(file);
    migrate(v1, 'v1', 1, MIGRATIONS.slice(0, 1));
    v1.exec(`
      INSERT INTO Client (ClientId, Name) VALUES (1, 'c');
      INSERT INTO FileSet (FileSetId, Name, Digest, CreateTime) VALUES (1, 'Set', 'd', 0);
      INSERT INTO Pool (PoolId, Name) VALUES (1, 'Full');
      INSERT INTO Media (MediaId, VolumeName, PoolId, MediaType, CreateTime) VALUES (1, 'Vol-0001', 1, 'File', 0);
      INSERT INTO Path (PathId, Path) VALUES (1, X'2F746D702F');
      INSERT INTO Job (JobId, Job, Name, Type, Level, JobStatus, ClientId, FileSetId, PoolId, SchedTime)
        VALUES (1, 'b.1', 'b', 'B', 'F', 'T', 1, 1, 1, 10),
               (2, 'v.2', 'v', 'V', ' ', 'T', 1, 1, NULL, 20),
               (3, 'v.3', 'v', 'V', ' ', 'T', 1, 1, NULL, 30),
               (4, 'v.4', 'v', 'V', ' ', 'T', 1, 1, NULL, 40),
               (5, 'v.5', 'v', 'V', ' ', 'E', 1, 1, NULL, 50),
               (6, 'r.6', 'r', 'R', ' ', 'T', 1, NULL, NULL, 60),
               (7, 'b.7', 'b', 'B', 'I', 'T', 1, 1, 1, 70);
      INSERT INTO JobMedia (JobId, MediaId, FirstIndex, LastIndex, StartAddr, EndAddr, VolIndex) VALUES (1, 1, 1, 1, 0, 100, 1);
      INSERT INTO File (JobId, PathId, Name, FileIndex, MediaId, Attributes) VALUES (1, 1, X'61', 1, 1, X'00'), (4, 1, X'61', 1, NULL, X'00');
      INSERT INTO Log (JobId, Time, LogText) VALUES
        (2, 1, '01-Jan 10:00 dir JobId 2: Start Verify JobId=2 Level=InitCatalog Job=v.2'),
        (3, 1, '01-Jan 10:00 dir JobId 3: Start Verify JobId=3 Level=Catalog Job=v.3'),
        (5, 1, '01-Jan 10:00 dir JobId 5: Start Verify JobId=5 Level=VolumeToCatalog Job=v.5');
      DELETE FROM Job WHERE JobId = 7;
    `);
    v1.close();

    const catalog = openSqliteCatalog(file);
    const level = async (id: number): Promise<string | undefined> => (await catalog.getJob(id))?.level;
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6].map(level)), ['F', 'V', 'C', 'V', 'O', ' ']);
    assert.equal((await catalog.listJobMedia(1)).length, 1, 'rows that refer to a job are kept');
    assert.equal((await catalog.getLog(3)).length, 1);
    // The counter survives the rebuild: JobId 7 was handed out once, and never again.
    const next = await catalog.createJob({ name: 'v', type: 'V', level: 'd', clientId: 1, fileSetId: 1, poolId: null, schedTime: 80 });
    assert.equal(next, 8);
    assert.equal((await catalog.getJob(next))?.level, 'd');
    // References are enforced again after the migration.
    await assert.rejects(catalog.addLog(999, 1, 'x'), { name: 'BurrowError', code: 'CATALOG' });
    catalog.close();

    const raw = new Database(file, { readonly: true });
    assert.equal(readSchemaVersion(raw), SCHEMA_VERSION);
    assert.deepEqual(raw.pragma('foreign_key_check'), []);
    const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Job'").pluck().all();
    for (const i of ['Job_Name', 'Job_Client', 'Job_Status']) assert.ok(indexes.includes(i), `index ${i}`);
    assert.deepEqual(raw.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'Job_new%'").all(), []);
    raw.close();
  });
});

test('a catalog made by schema version 2 gains the media lifecycle columns, keeping every volume and what refers to it', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'burrow.db');
    const v2 = new Database(file);
    migrate(v2, 'v2', 1, MIGRATIONS.slice(0, 2));
    v2.exec(`
      INSERT INTO Client (ClientId, Name) VALUES (1, 'c');
      INSERT INTO FileSet (FileSetId, Name, Digest, CreateTime) VALUES (1, 'Set', 'd', 0);
      INSERT INTO Pool (PoolId, Name, MaxVolJobs, VolUseDuration, Recycle) VALUES (1, 'Full', 3, 86400000, 0), (2, 'Inc', 0, 0, 1);
      INSERT INTO Media (MediaId, VolumeName, PoolId, MediaType, VolStatus, VolBytes, VolJobs, MaxVolBytes, VolRetention,
          FirstWritten, LastWritten, LabelDate, Enabled, CreateTime)
        VALUES (7, 'Full-0007', 1, 'File', 'Full', 5000, 2, 9000, 100, 10, 20, 5, 1, 1),
               (9, 'Inc-0009', 2, 'File', 'Read-Only', 0, 0, 0, 200, NULL, NULL, NULL, 0, 2);
      INSERT INTO Path (PathId, Path) VALUES (1, X'2F');
      INSERT INTO Job (JobId, Job, Name, Type, Level, JobStatus, ClientId, FileSetId, PoolId, SchedTime)
        VALUES (1, 'b.1', 'b', 'B', 'F', 'T', 1, 1, 1, 10);
      INSERT INTO JobMedia (JobId, MediaId, FirstIndex, LastIndex, StartAddr, EndAddr, VolIndex) VALUES (1, 7, 1, 1, 0, 100, 1);
      INSERT INTO File (JobId, PathId, Name, FileIndex, MediaId, Attributes) VALUES (1, 1, X'61', 1, 7, X'00');
    `);
    v2.close();

    const catalog = openSqliteCatalog(file);
    const full = await catalog.getMedia(7);
    assert.deepEqual([full?.volumeName, full?.volStatus, full?.volBytes, full?.volJobs, full?.maxVolBytes, full?.volRetention,
      full?.firstWritten, full?.lastWritten, full?.labelDate, full?.initialWrite],
    ['Full-0007', 'Full', 5000, 2, 9000, 100, 10, 20, 5, 10], 'every column kept; the first write is the initial one');
    assert.deepEqual([full?.maxVolJobs, full?.volUseDuration, full?.recycle, full?.enabled, full?.recycleCount],
      [3, 86_400_000, false, 1, 0], 'the new limits are the pool\'s, as "update volume fromallpools" would set them');
    assert.deepEqual([(await catalog.getMedia(9))?.volStatus, (await catalog.getMedia(9))?.enabled, (await catalog.getMedia(9))?.recycle], ['Read-Only', 0, true]);
    assert.equal((await catalog.listJobMedia(1))[0]?.volumeName, 'Full-0007', 'job media still point at the volume');
    assert.equal((await catalog.listFiles(1))[0]?.mediaId, 7);
    assert.equal((await catalog.getJob(1))?.purgedFiles, false);
    assert.equal((await catalog.getPool('Full'))?.cleaningPrefix, 'CLN');
    // The statuses version 2 refused, and a new volume numbered after the highest.
    const added = await catalog.createMedia({ volumeName: 'New-1', poolId: 2, mediaType: 'File', volStatus: 'Unlabeled' });
    assert.equal(added, 10);
    await catalog.updateMedia(added, { volStatus: 'Cleaning' });
    await assert.rejects(catalog.createMedia({ volumeName: 'Bad', poolId: 99, mediaType: 'File' }), { name: 'BurrowError', code: 'CATALOG' });
    catalog.close();

    const raw = new Database(file, { readonly: true });
    assert.equal(readSchemaVersion(raw), SCHEMA_VERSION);
    assert.deepEqual(raw.pragma('foreign_key_check'), []);
    const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Media'").pluck().all();
    for (const i of ['Media_Pool', 'Media_RecyclePool']) assert.ok(indexes.includes(i), `index ${i}`);
    raw.close();
  });
});

test('a catalog made by schema version 5 counts VolFiles as tape files: from its JobMedia on tape, 0 on disk', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'burrow.db');
    const v5 = new Database(file);
    migrate(v5, 'v5', 1, MIGRATIONS.slice(0, 5));
    const tape = (tapeFile: number, block: number): number => tapeFile * 2 ** 32 + block;
    v5.exec(`
      INSERT INTO Client (ClientId, Name) VALUES (1, 'c');
      INSERT INTO FileSet (FileSetId, Name, Digest, CreateTime) VALUES (1, 'Set', 'd', 0);
      INSERT INTO Pool (PoolId, Name) VALUES (1, 'Tapes');
      INSERT INTO Media (MediaId, VolumeName, PoolId, MediaType, VolStatus, VolBytes, VolFiles, CreateTime)
        VALUES (1, 'T1', 1, 'LTO', 'Append', 900000, 57, 1), (2, 'D1', 1, 'File', 'Append', 5000, 12, 1), (3, 'T2', 1, 'LTO', 'Append', 64, 0, 1);
      INSERT INTO Job (JobId, Job, Name, Type, Level, JobStatus, ClientId, FileSetId, PoolId, SchedTime)
        VALUES (1, 'b.1', 'b', 'B', 'F', 'T', 1, 1, 1, 10), (2, 'b.2', 'b', 'B', 'F', 'T', 1, 1, 1, 20);
      INSERT INTO JobMedia (JobId, MediaId, FirstIndex, LastIndex, StartAddr, EndAddr, VolIndex)
        VALUES (1, 1, 1, 20, ${tape(1, 0)}, ${tape(1, 30)}, 1), (1, 1, 20, 40, ${tape(2, 0)}, ${tape(2, 9)}, 2),
               (2, 1, 1, 17, ${tape(3, 0)}, ${tape(3, 4)}, 1), (2, 2, 1, 12, 64, 4800, 1);
    `);
    v5.close();

    const catalog = openSqliteCatalog(file);
    assert.deepEqual(await Promise.all(['T1', 'D1', 'T2'].map(async (n) => (await catalog.getMediaByName(n))?.volFiles)), [4, 0, 0],
      'T1: the label\'s tape file and three of data; D1: under 4 GiB; T2: its label only (corrected at its first append)');
    catalog.close();
  });
});
