import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { fileRow, NON_UTF8, seed } from '../conformance.js';
import { dumpSqliteCatalog } from './dump.js';
import { loadSqliteCatalog } from './load.js';
import { openSqliteCatalog } from './open.js';
import { isCompleteStatement, realLiteral, StatementSplitter, tableName, textLiteral } from './sql-text.js';

/** Whether the Debian sqlite3 shell is here to compare with (it is on Burrow's test machines). */
const SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-dump-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A catalog with a finished job, files with a non-UTF-8 name, and log text with quotes and line ends. */
async function sampleCatalog(file: string): Promise<{ jobId: number }> {
  const c = openSqliteCatalog(file);
  const s = await seed(c);
  const jobId = await c.createJob({ name: 'backup-client1', type: 'B', level: 'F', clientId: s.clientId, fileSetId: s.fileSetId, poolId: s.poolId, schedTime: 1 });
  await c.startJob(jobId, 2);
  await c.insertFiles(jobId, [fileRow(NON_UTF8, 1, s.mediaId, 64), fileRow("/data/it's\nodd", 2, s.mediaId, 128)]);
  await c.addLog(jobId, 3, "Termination:  Backup OK\n  it's \\n done\r\n");
  await c.finishJob(jobId, { status: 'T', endTime: 4, jobFiles: 2, jobBytes: 30, readBytes: 30, jobErrors: 0, since: null });
  c.close();
  return { jobId };
}

test('the dump is the sqlite3 shell\'s .dump, byte for byte, and taken from one snapshot while a writer is open', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bareos.db');
  await sampleCatalog(db);
  // A Director's write in progress: its rows are not committed, so not in the dump.
  const writer = new Database(db);
  writer.exec("BEGIN IMMEDIATE; INSERT INTO Client (Name) VALUES ('uncommitted-fd')");
  const summary = dumpSqliteCatalog(db, join(dir, 'bareos.sql'));
  writer.exec('ROLLBACK');
  writer.close();
  const dump = readFileSync(join(dir, 'bareos.sql'), 'utf8');
  assert.equal(summary.bytes, Buffer.byteLength(dump));
  assert.ok(summary.rows > 5 && summary.tables > 5, JSON.stringify(summary));
  assert.ok(!dump.includes('uncommitted-fd'));
  assert.match(dump, /^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE SchemaVersion/);
  assert.match(dump, /\nDELETE FROM sqlite_sequence;\n(INSERT INTO sqlite_sequence VALUES\('\w+',\d+\);\n)*INSERT INTO sqlite_sequence VALUES\('Job',1\);\n/);
  assert.ok(dump.includes(`X'${NON_UTF8.subarray('/data/'.length).toString('hex')}'`), 'a non-UTF-8 name is a BLOB literal');
  assert.ok(dump.endsWith('COMMIT;\n'));
  assert.equal(statSync(join(dir, 'bareos.sql')).mode & 0o777, 0o600);
  if (!SQLITE3) return t.skip('the sqlite3 shell is not installed; compared only with the expected shape');
  const shell = spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8' });
  assert.equal(shell.status, 0, shell.stderr);
  assert.equal(dump, shell.stdout);
});

test('a dump loads into a fresh catalog that has the same rows, names byte for byte, and is a working catalog', async (t) => {
  const dir = tempDir(t);
  const { jobId } = await sampleCatalog(join(dir, 'old.db'));
  dumpSqliteCatalog(join(dir, 'old.db'), join(dir, 'bareos.sql'));
  const loaded = loadSqliteCatalog(join(dir, 'bareos.sql'), join(dir, 'new.db'));
  assert.equal(loaded.schemaVersion > 0, true);
  assert.ok(!existsSync(join(dir, 'new.db.loading')));
  dumpSqliteCatalog(join(dir, 'new.db'), join(dir, 'again.sql'));
  assert.equal(readFileSync(join(dir, 'again.sql'), 'utf8'), readFileSync(join(dir, 'bareos.sql'), 'utf8'));

  const c = openSqliteCatalog(join(dir, 'new.db'));
  t.after(() => c.close());
  assert.equal((await c.getJob(jobId))?.status, 'T');
  const paths = (await c.listFiles(jobId)).map((f) => f.path);
  assert.ok(paths.some((p) => p.equals(NON_UTF8)));
  assert.ok(paths.some((p) => p.equals(Buffer.from("/data/it's\nodd"))));
  assert.equal((await c.getLog(jobId))[0]?.text, "Termination:  Backup OK\n  it's \\n done\r\n");
  // sqlite_sequence came along: a new job does not take an old job's id.
  const old = await c.getJob(jobId);
  assert.ok(old);
  assert.ok(await c.createJob({ name: 'n', type: 'B', level: 'F', clientId: old.clientId, fileSetId: old.fileSetId, poolId: old.poolId, schedTime: 9 }) > jobId);
});

test('the sqlite3 shell loads a Burrow dump, and Burrow loads the shell\'s', async (t) => {
  if (!SQLITE3) return t.skip('the sqlite3 shell is not installed');
  const dir = tempDir(t);
  await sampleCatalog(join(dir, 'old.db'));
  dumpSqliteCatalog(join(dir, 'old.db'), join(dir, 'burrow.sql'));
  const load = spawnSync('sqlite3', [join(dir, 'shell.db')], { input: readFileSync(join(dir, 'burrow.sql')) });
  assert.equal(load.status, 0, load.stderr.toString());
  writeFileSync(join(dir, 'shell.sql'), spawnSync('sqlite3', [join(dir, 'shell.db'), '.dump']).stdout);
  loadSqliteCatalog(join(dir, 'shell.sql'), join(dir, 'new.db'));
  dumpSqliteCatalog(join(dir, 'new.db'), join(dir, 'new.sql'));
  assert.equal(readFileSync(join(dir, 'new.sql'), 'utf8'), readFileSync(join(dir, 'burrow.sql'), 'utf8'));
});

test('load refuses an existing catalog, statements no dump has, a dump cut short, and a dump of something else', async (t) => {
  const dir = tempDir(t);
  await sampleCatalog(join(dir, 'old.db'));
  const dump = join(dir, 'bareos.sql');
  dumpSqliteCatalog(join(dir, 'old.db'), dump);
  const before = readFileSync(join(dir, 'old.db'));
  assert.throws(() => loadSqliteCatalog(dump, join(dir, 'old.db')), /old\.db exists and is not empty; move it away first/);
  assert.ok(readFileSync(join(dir, 'old.db')).equals(before));

  const text = readFileSync(dump, 'utf8');
  writeFileSync(join(dir, 'attach.sql'), text.replace('COMMIT;', "ATTACH DATABASE '/tmp/x.db' AS x;\nCOMMIT;"));
  assert.throws(() => loadSqliteCatalog(join(dir, 'attach.sql'), join(dir, 'a.db')), /attach\.sql:\d+: not a statement of a catalog dump, refused: ATTACH DATABASE/);
  writeFileSync(join(dir, 'short.sql'), text.slice(0, text.lastIndexOf('INSERT INTO Log')));
  assert.throws(() => loadSqliteCatalog(join(dir, 'short.sql'), join(dir, 'b.db')), /ends before its COMMIT/);
  writeFileSync(join(dir, 'cut.sql'), text.slice(0, text.lastIndexOf('INSERT INTO Log') + 20));
  assert.throws(() => loadSqliteCatalog(join(dir, 'cut.sql'), join(dir, 'b.db')), /ends inside a statement/);
  writeFileSync(join(dir, 'other.sql'), 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(x);\nINSERT INTO t VALUES(1);\nCOMMIT;\n');
  assert.throws(() => loadSqliteCatalog(join(dir, 'other.sql'), join(dir, 'c.db')), /not the dump of a Burrow catalog/);
  for (const f of ['a.db', 'b.db', 'c.db', 'a.db.loading', 'b.db.loading', 'c.db.loading']) assert.ok(!existsSync(join(dir, f)), f);
});

test('SQL text: text and real literals as the shell writes them, quoted table names', () => {
  assert.equal(textLiteral('plain'), "'plain'");
  assert.equal(textLiteral("it's"), "'it''s'");
  assert.equal(textLiteral("a'b\nc\\nd\rx"), "replace(replace('a''b\\012c\\nd\\rx','\\r',char(13)),'\\012',char(10))");
  assert.equal(textLiteral('a\\n\\012\nb'), "replace('a\\n\\012(\\n0)b','(\\n0)',char(10))");
  assert.equal(realLiteral(0.1), '0.10000000000000000555');
  assert.equal(realLiteral(3), '3.0');
  assert.equal(realLiteral(-0.5), '-0.5');
  assert.equal(realLiteral(1.5e19), '15000000000000000000.0');
  assert.equal(realLiteral(1e-5), '1.0000000000000000818e-05');
  assert.equal(realLiteral(1e300), '1.0000000000000000525e+300');
  assert.equal(realLiteral(-Infinity), '-1e999');
  for (const r of [0.1, 1 / 3, 1e-5, 1e300, 2.5e-300, 123456.789]) assert.equal(Number(realLiteral(r)), r);
  assert.equal(tableName('Job'), 'Job');
  assert.equal(tableName('order'), '"order"');
  assert.equal(tableName('my "t"'), '"my ""t"""');
});

test('SQL text: statements cut at ; outside quotes and comments, triggers at END;, across pieces', () => {
  const s = new StatementSplitter();
  const text = "INSERT INTO t VALUES('a;b'); -- c;\n/* d; */ CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT \"x;\"; END;\nINSERT INTO [w;] VALUES(1);";
  const got: string[] = [];
  for (let i = 0; i < text.length; i += 3) got.push(...s.push(text.slice(i, i + 3)));
  got.push(...s.push('', true));
  assert.deepEqual(got.map((x) => x.trim()), [
    "INSERT INTO t VALUES('a;b');",
    '-- c;\n/* d; */ CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT "x;"; END;',
    'INSERT INTO [w;] VALUES(1);',
  ]);
  assert.equal(s.rest, '');
  assert.equal(isCompleteStatement('CREATE TABLE t(x) -- note\n;'), true);
  assert.equal(isCompleteStatement('CREATE TABLE t(x) -- note;'), false);
});
