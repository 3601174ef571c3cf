import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BurrowError } from '../../errors/index.js';
import { findResource } from '../schema/daemon.js';
import { withConfigDir } from '../testing.js';
import { loadDirectorConfig } from './load.js';

// Fixtures live in src; tests run from dist.
const STOCK = fileURLToPath(new URL('../../../src/config/fixtures/stock', import.meta.url));

const BASE = `
Director { Name = dir; Password = pw; Messages = Standard }
Catalog { Name = MyCatalog; DbName = burrow }
Client { Name = c1; Address = host1; Password = pw }
Storage { Name = File; Address = sd; Password = pw; Device = FileStorage; Media Type = File }
Pool { Name = Full; Storage = File }
Messages { Name = Standard; Console = all }
FileSet { Name = fs; Include { File = /home } }
`;

function invalid(text: string, check: (message: string) => void): Promise<void> {
  return withConfigDir({ 'burrow-dir.conf': text }, (dir) => {
    assert.throws(() => loadDirectorConfig(join(dir, 'burrow-dir.conf')), (e: unknown) => {
      assert.ok(e instanceof BurrowError);
      assert.equal(e.code, 'CONFIG_INVALID');
      check(e.message.replaceAll(join(dir, 'burrow-dir.conf'), 'F'));
      return true;
    });
  });
}

test('the stock-style configuration loads with only warnings', () => {
  const { config, warnings } = loadDirectorConfig(STOCK);
  assert.equal(config.director.name, 'burrow-dir');
  assert.equal(config.director.dirPort, 9101);
  assert.equal(config.director.maximumConcurrentJobs, 10);
  assert.deepEqual(config.pools.map((p) => p.name), ['Full', 'Differential', 'Incremental', 'Scratch']);
  assert.equal(findResource(config.pools, 'full')?.maximumVolumeBytes, 50 * 1024 ** 3);
  assert.equal(findResource(config.pools, 'Incremental')?.volumeRetention, 30 * 86400);
  assert.equal(config.clients[0]?.jobRetention, 6 * 30 * 86400);
  assert.equal(config.catalogs[0]?.dbDriver, 'sqlite3');
  assert.deepEqual(config.schedules[0]?.run, ['Full 1st sat at 21:00', 'Differential 2nd-5th sat at 21:00', 'Incremental mon-fri at 21:00']);
  assert.deepEqual(config.schedules[1]?.run, ['Level=Full sun-sat at 21:10']);
  const linux = findResource(config.fileSets, 'LinuxAll')!;
  assert.deepEqual(linux.includes[0]?.files, ['/']);
  assert.deepEqual(linux.includes[0]?.options[0]?.values, { signature: 'MD5', onefs: false, fstype: ['btrfs', 'ext2', 'ext3', 'ext4', 'reiserfs', 'jfs', 'xfs', 'zfs'] });
  assert.ok(linux.excludeFiles.includes('/proc'));
  const std = findResource(config.messages, 'Standard')!;
  assert.deepEqual(std.destinations[1], { destination: 'mail', address: 'root@localhost', types: ['all', '!skipped', '!saved', '!audit'] });
  assert.deepEqual(std.destinations[2], { destination: 'console', types: ['all', '!skipped', '!saved', '!audit'] });
  assert.equal(config.director.auditing, true);
  assert.equal(config.director.queryFile, '/usr/lib/burrow/scripts/query.sql');
  assert.ok(warnings.every((w) => w.file && w.line > 0 && w.message));
  assert.ok(!warnings.some((w) => w.directive === 'Auditing' || w.directive === 'QueryFile'), 'both are acted on');
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.jobs[0]) && Object.isFrozen(config.jobs[0]?.storage));
});

test('JobDefs fill what a Job does not set, through chains, and defaults come last', () => {
  const { config } = loadDirectorConfig(STOCK);
  const job = findResource(config.jobs, 'backup-burrow-fd')!;
  assert.equal(job.type, 'Backup');
  assert.equal(job.level, 'Incremental');
  assert.equal(job.fileSet, 'SelfTest');
  assert.deepEqual(job.storage, ['File']);
  assert.equal(job.fullBackupPool, 'Full');
  const catalogJob = findResource(config.jobs, 'BackupCatalog')!;
  assert.equal(catalogJob.level, 'Full');
  assert.equal(catalogJob.priority, 11);
  assert.deepEqual(catalogJob.runBeforeJob, ['/usr/lib/burrow/scripts/make_catalog_backup MyCatalog']);
  return withConfigDir({ 'burrow-dir.conf': `${BASE}
JobDefs { Name = base; Type = Backup; Client = c1; FileSet = fs; Messages = Standard; Priority = 5 }
JobDefs { Name = mid; JobDefs = base; Pool = Full }
Job { Name = j; JobDefs = mid }
Job { Name = k; JobDefs = mid; Priority = 7; Storage = File }` }, (dir) => {
    const { config: c } = loadDirectorConfig(dir);
    const j = findResource(c.jobs, 'j')!;
    assert.deepEqual([j.type, j.client, j.pool, j.priority, j.maximumConcurrentJobs], ['Backup', 'c1', 'Full', 5, 1]);
    assert.deepEqual(j.storage, ['File'], 'storage falls back to the pool');
    assert.equal(findResource(c.jobs, 'k')!.priority, 7);
  });
});

test('names and directives match ignoring case and spaces', () =>
  withConfigDir({ 'burrow-dir.conf': `
director { name = dir; password = pw; DIRport = 9999; messages = Standard }
CATALOG { Name = cat; dbname = x }
client { NAME = c1; address = h; password = pw; FD Port = 9200 }
storage { name = File; sdaddress = sd; Password = pw; device = d; mediatype = File }
Pool { Name = p; MaximumVolumeBytes = 1k; maximum volume jobs = 3 }
messages { name = Standard; STDOUT = all }
File Set { Name = fs; include { file = /x; options { one fs = yes; COMPRESSION = gzip9 } } }
jobdefs { name = jd; Type = backup; Storage = file }
JOB { Name = j; Job Defs = JD; Client = C1; FileSet = FS; Pool = P; Messages = standard }` }, (dir) => {
    const { config } = loadDirectorConfig(dir);
    assert.equal(config.director.dirPort, 9999);
    assert.equal(config.clients[0]?.fdPort, 9200);
    assert.equal(config.storages[0]?.address, 'sd');
    assert.equal(config.pools[0]?.maximumVolumeBytes, 1024);
    assert.equal(config.pools[0]?.maximumVolumeJobs, 3);
    assert.deepEqual(config.fileSets[0]?.includes[0]?.options[0]?.values, { onefs: true, compression: { algorithm: 'GZIP', level: 9 } });
    assert.equal(config.jobs[0]?.type, 'Backup');
  }));

test('every problem is reported together with file, line, resource and directive', () =>
  invalid(`${BASE}
Pool { Name = Bad; Maximum Volume Bytes = lots; Recycle = perhaps; Frobnicate = 1 }
Client { Name = c2; Address = h; Password = pw; Catalog = Nope }
Catalog { Name = pg; DbDriver = postgresql; DbName = x }
Job { Name = j; Type = Backup; Client = ghost; FileSet = fs; Pool = Full; Storage = File; Messages = Standard; Replace = sometimes }
Job { Name = r; Type = Restore; Messages = Standard }
Storage { Name = s2; Password = pw; Device = d; Media Type = File }
`, (m) => {
    assert.match(m, /^configuration has \d+ problems:\n/);
    assert.match(m, /F:10: Pool "Bad": Maximum Volume Bytes: "lots" is not a size/);
    assert.match(m, /F:10: Pool "Bad": Recycle: "perhaps" is not a boolean/);
    assert.match(m, /F:10: Pool "Bad": Frobnicate: unknown directive in a Pool resource/);
    assert.match(m, /F:11: Client "c2": Catalog: Catalog "Nope" is not defined/);
    assert.match(m, /F:12: Catalog "pg": DbDriver: "postgresql" is not supported: Burrow's catalog is SQLite only/);
    assert.match(m, /F:13: Job "j": Client: Client "ghost" is not defined/);
    assert.match(m, /F:13: Job "j": Replace: "sometimes" is not one of always, ifnewer, ifolder, never/);
    assert.match(m, /F:14: Job "r": Client: is required for a Restore job/);
    assert.match(m, /F:14: Job "r": Pool: is required for a Restore job/);
    assert.match(m, /F:15: Storage "s2": Address: is required/);
  }));

test('Director count, duplicates, JobDefs loops and backup requirements', async () => {
  await invalid(BASE.replace('Director {', 'Pool {'), (m) => assert.match(m, /Director: a Director resource is required|Pool "dir": Password: unknown directive/));
  await invalid(`${BASE}\nDirector { Name = dir2; Password = x }`, (m) => assert.match(m, /F:10: Director: only one Director resource is allowed/));
  await invalid(`${BASE}\nPool { Name = FULL }`, (m) => assert.match(m, /F:10: Pool "FULL": Name: defined twice \(first at F:6\)/));
  await invalid(`${BASE}\nJobDefs { Name = a; JobDefs = b }\nJobDefs { Name = b; JobDefs = a }\nJob { Name = j; JobDefs = a; Type = Admin; Messages = Standard }`,
    (m) => assert.match(m, /JobDefs "b": JobDefs: JobDefs "a" refers back to itself|JobDefs "a": JobDefs: JobDefs "b" refers back to itself/));
  await invalid(`${BASE}\nJob { Name = j; Type = Backup; Client = c1; FileSet = fs; Messages = Standard }`,
    (m) => assert.match(m, /F:10: Job "j": Pool: is required for a Backup job/));
  await invalid(`${BASE}\nJob { Name = j; JobDefs = none; Type = Admin; Messages = Standard }`,
    (m) => assert.match(m, /F:10: Job "j": JobDefs: JobDefs "none" is not defined/));
});

test('FileSet options are validated: signatures, compression, regexes; patterns keep order', async () => {
  await withConfigDir({ 'burrow-dir.conf': `${BASE}
FileSet {
  Name = web
  Include {
    Options { Wild = "*.tmp"; Regex Dir = "^/var/cache"; Exclude = yes; Wild File = "*.o", "*.a" }
    Options { Signature = sha256; Compression = LZ4; Enhanced Wild = yes; Drive Type = fixed }
    Plugin = "bpipe:file=/DB/dump.sql:reader=/usr/bin/dump --all:writer=/usr/bin/load"
    File = /srv, "\\\\|/usr/bin/list-dirs"
    File = "</etc/burrow/files.list"
    Exclude Dir Containing = .nobackup
  }
  Exclude { File = /srv/tmp }
}` }, (dir) => {
    const { config, warnings } = loadDirectorConfig(dir);
    const web = findResource(config.fileSets, 'web')!;
    const inc = web.includes[0]!;
    assert.deepEqual(inc.files, ['/srv', '\\|/usr/bin/list-dirs', '</etc/burrow/files.list']);
    assert.deepEqual(inc.options[0]?.patterns, [
      { kind: 'wild', pattern: '*.tmp' }, { kind: 'regexdir', pattern: '^/var/cache' },
      { kind: 'wildfile', pattern: '*.o' }, { kind: 'wildfile', pattern: '*.a' },
    ]);
    assert.deepEqual(inc.options[0]?.values, { exclude: true });
    assert.deepEqual(inc.options[1]?.values, { signature: 'SHA256', compression: { algorithm: 'LZ4', level: 1 } });
    assert.deepEqual(inc.plugins, ['bpipe:file=/DB/dump.sql:reader=/usr/bin/dump --all:writer=/usr/bin/load']);
    assert.deepEqual(inc.excludeDirContaining, ['.nobackup']);
    assert.deepEqual(web.excludeFiles, ['/srv/tmp']);
    assert.ok(warnings.some((w) => w.directive === 'Drive Type' && /Windows/.test(w.message)));
    assert.ok(warnings.some((w) => w.directive === 'Enhanced Wild'));
  });
  await invalid(`${BASE}
FileSet { Name = bad
  Include { Options { Regex = "(unclosed"; Signature = CRC; One FS = sometimes; Colour = blue; Compression = ZSTD9 } }
  Include { Plugin = "bpipe:file=relative:reader=x"; Plugin = "mysql:x" }
}`, (m) => {
    assert.match(m, /F:11: FileSet "bad": Compression: "ZSTD9" is not one of/);
    assert.match(m, /F:12: FileSet "bad": Plugin: bpipe: file= must be an absolute path/);
    assert.match(m, /F:12: FileSet "bad": Plugin: plugin "mysql" is not known/);
    assert.match(m, /F:11: FileSet "bad": Regex: invalid regular expression "\(unclosed"/);
    assert.match(m, /F:11: FileSet "bad": Signature: "CRC" is not one of MD5/);
    assert.match(m, /F:11: FileSet "bad": One FS: "sometimes" is not yes or no/);
    assert.match(m, /F:11: FileSet "bad": Colour: unknown directive in an Options block/);
  });
});

test('Options Burrow does not act on: refused where ignoring them changes the backup, warned by name where harmless', async () => {
  await withConfigDir({ 'burrow-dir.conf': `${BASE}
FileSet { Name = bareos
  Include {
    Options { Portable = yes; Auto Exclude = no; HFS Plus Support = yes; Enhanced Wild = yes; Replace = never
      Shadowing = localwarn; Meta = "x"; Base Job = pmugsamc5; Drive Type = fixed }
    Options { Portable = no; Auto Exclude = yes; Replace = always; Shadowing = none; Force Encryption = no }
    File = /srv
  }
  Include { Options { Accurate = mcs5 }; File = /home }
  Include { Options { Signature = XXH128 }; Options { Wild = "*.c"; Accurate = ms1 }; File = /src }
}` }, (dir) => {
    const { warnings } = loadDirectorConfig(dir);
    const named = warnings.filter((w) => w.resource === 'FileSet "bareos"').map((w) => w.directive).sort();
    assert.deepEqual(named, ['Accurate', 'Auto Exclude', 'Base Job', 'Drive Type', 'Enhanced Wild', 'HFS Plus Support', 'Meta', 'Portable', 'Replace', 'Shadowing']);
    assert.match(warnings.find((w) => w.directive === 'Accurate')?.message ?? '', /no Signature applies here: contents are not compared/);
  });
  await invalid(`${BASE}
FileSet { Name = changed
  Include { Options { Strip Path = 2; Plugin = "python:module=x"; Force Encryption = yes; Check Changes = yes; Encryption = aes256 }
    Options { Shadowing = sometimes; Size = big; Accurate = mcsV } }
}`, (m) => {
    assert.match(m, /F:11: FileSet "changed": Strip Path: is not available in Burrow: the files would be saved under their full names/);
    assert.match(m, /F:11: FileSet "changed": Plugin: file plugins in Options are not available in Burrow/);
    assert.match(m, /F:11: FileSet "changed": Force Encryption: Burrow does not encrypt data on the client/);
    assert.match(m, /F:11: FileSet "changed": Check Changes: unknown directive in an Options block \(did you mean CheckFileChanges\?\)/);
    assert.match(m, /F:11: FileSet "changed": Encryption: unknown directive in an Options block/);
    assert.match(m, /F:12: FileSet "changed": Shadowing: "sometimes" is not one of none, localwarn/);
    assert.match(m, /F:12: FileSet "changed": Size: "big" is not a size match/);
    assert.match(m, /F:12: FileSet "changed": Accurate: illegal option letter "V"/);
  });
});

test('Messages destinations are checked', () =>
  invalid(`${BASE}\nMessages { Name = m2; Console = all, !nonsense; Append = all; Stdout = "x" = all }`, (m) => {
    assert.match(m, /F:10: Messages "m2": Console: unknown message type "!nonsense"/);
    assert.match(m, /F:10: Messages "m2": Append: expected "Append = address = types"/);
    assert.match(m, /F:10: Messages "m2": Stdout: takes only message types/);
  }));

test('Lan Address on a Client and a Storage is read, not warned of', () =>
  withConfigDir({ 'burrow-dir.conf': BASE.replace('Address = host1;', 'Address = 8.8.8.10; Lan Address = 10.0.0.10;').replace('Address = sd;', 'Address = 8.8.8.20; LanAddress = 10.0.0.20;') }, (dir) => {
    const { config, warnings } = loadDirectorConfig(join(dir, 'burrow-dir.conf'));
    assert.deepEqual([config.clients[0]?.address, config.clients[0]?.lanAddress], ['8.8.8.10', '10.0.0.10']);
    assert.deepEqual([config.storages[0]?.address, config.storages[0]?.lanAddress], ['8.8.8.20', '10.0.0.20']);
    assert.ok(!warnings.some((w) => /lan\s*address/i.test(w.directive)), JSON.stringify(warnings));
  }));
