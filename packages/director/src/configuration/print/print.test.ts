import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResource, loadDirectorConfig, type DirectorConfig } from '@burrow/common/config/index';
import { printConfig } from './index.js';
import { printDuration, printSize, quote } from './values.js';

/** Every resource type, with sizes, durations, booleans, escapes, lists and nested blocks. */
const RICH = String.raw`
Director { Name = rich-dir; Password = "dir \"secret\" \\ pw"; DirPort = 9191; DirAddress = 127.0.0.1
  QueryFile = "/etc/burrow/query.sql"; Working Directory = "/var/lib/burrow"; Maximum Concurrent Jobs = 4; Messages = Daemon
  Description = "The rich one"; Auditing = yes; Audit Events = run, restore
  DirAddresses = { ipv6 = { addr = "::1"; port = 9192 }
    ipv4 = { addr = 127.0.0.1 }
    ip = { port = 9193 } } }
Client { Name = c1; Address = c1.example.org; FD Port = 9202; Password = pw1; Catalog = MyCatalog
  File Retention = 1 year 6 months; Job Retention = 3 weeks 2 days 5 hours; AutoPrune = no; Maximum Concurrent Jobs = 2 }
Client { Name = "c 2"; Address = 10.0.0.2; Password = "p w 2"; Enabled = no }
Storage { Name = File; Address = sd.example.org; SD Port = 9203; Password = sdpw; Device = FileStorage, Other; Media Type = File; Maximum Concurrent Jobs = 3 }
Catalog { Name = MyCatalog; dbdriver = sqlite3; dbname = burrow; DB User = bareos; DB Password = "db pw" }
Pool { Name = Full; Pool Type = Backup; Label Format = "Full-"; Maximum Volume Bytes = 1g 512m 3k 7; Maximum Volumes = 100
  Volume Retention = 365 days; Volume Use Duration = 23h; Recycle = yes; AutoPrune = yes; Storage = File; Maximum Volume Jobs = 1 }
Pool { Name = Incremental; Maximum Volume Bytes = 1 GB; Volume Retention = 30 days; Recycle = no }
Schedule { Name = WeeklyCycle
  Run = Full 1st sat at 21:00
  Run = Differential 2nd-5th sat at 21:00
  Run = Level=Incremental Pool=Incremental mon-fri at 21:00 }
Schedule { Name = Off; Enabled = no; Run = daily at 02:00 }
FileSet { Name = "Linux All"; Description = "all of it"
  Include {
    Options { Signature = SHA256; Compression = GZIP9; One FS = no; FS Type = ext4; FS Type = xfs; Wild = "*.o"; Exclude = yes }
    Options { Signature = XXH128; Regex Dir = "^/var/(cache|tmp)$"; Accurate = mcs5 }
    File = /; File = "/home/with \"quotes\""; File = "\\|/usr/bin/list-files"
    Exclude Dir Containing = .nobackup
  }
  Include { File = /srv; Plugin = "bpipe:file=/MYSQL/dump.sql:reader=mysqldump --all-databases:writer=mysql" }
  Exclude { File = /proc; File = /tmp }
}
FileSet { Name = Plain; Include { File = /etc } }
Messages { Name = Standard
  Mail Command = "/usr/bin/bsmtp -h localhost -f \"\(Burrow\) \<%r\>\" -s \"Burrow: %t %e of %c %l\" %r"
  Operator Command = "/usr/bin/bsmtp -h localhost %r"
  Mail = root@localhost = all, !skipped, !audit
  Operator = ops@localhost = mount
  Console = all, !skipped, !saved, !audit
  Append = "/var/log/burrow/burrow.log" = all, !skipped, !audit
  Catalog = all, !skipped }
Messages { Name = Daemon; Append = "/var/log/burrow/burrow-audit.log" = audit; Console = all, !skipped }
JobDefs { Name = DefaultJob; Type = Backup; Level = Incremental; Client = c1; FileSet = "Linux All"; Schedule = WeeklyCycle
  Storage = File; Messages = Standard; Pool = Incremental; Priority = 10; Full Backup Pool = Full; Write Bootstrap = "/var/lib/burrow/%c.bsr" }
Job { Name = backup-c1; JobDefs = DefaultJob; Priority = 11; Max Run Time = 2 hours; Allow Duplicate Jobs = no; Accurate = yes
  Run Before Job = "/bin/echo before %n"
  RunScript { RunsWhen = After; RunsOnFailure = yes; RunsOnClient = no; Command = "/bin/echo \"after\" %e"; Console = "list jobs" } }
Job { Name = RestoreFiles; Type = Restore; Client = c1; FileSet = Plain; Storage = File; Pool = Full; Messages = Standard; Where = "/tmp/bareos restores"; Replace = ifnewer }
Job { Name = VerifyC1; Type = Verify; Level = Catalog; Client = "c 2"; FileSet = Plain; Pool = Full; Messages = Standard; Verify Job = backup-c1 }
Console { Name = alice; Password = alicepw; JobACL = backup-c1, "!Restore.*"; ClientACL = c1; CommandACL = list, llist, restore
  WhereACL = "/srv/restores"; Restore Owner = 2001:100; Profile = readonly }
Profile { Name = readonly; CommandACL = .api, list, llist, status; Job ACL = *all*; Where ACL = *all* }
`;

function withoutSources(config: DirectorConfig): unknown {
  return JSON.parse(JSON.stringify(config, (key, value: unknown) => (key === 'source' ? undefined : value)));
}

function load(text: string): DirectorConfig {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-print-'));
  try {
    writeFileSync(join(dir, 'burrow-dir.conf'), text);
    return loadDirectorConfig(join(dir, 'burrow-dir.conf')).config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every resource of a rich configuration prints back to the same resource', () => {
  const config = load(RICH);
  const printed = printConfig(config, { revealSecrets: true });
  const again = load(printed);
  assert.deepEqual(withoutSources(again), withoutSources(config), printed);
  // And verbose output (defaults and inherited values as # lines) reads back the same too.
  assert.deepEqual(withoutSources(load(printConfig(config, { revealSecrets: true, verbose: true }))), withoutSources(config));
});

test('what show prints: Bareos spellings, withheld passwords, units, inherited values only when verbose', () => {
  const config = load(RICH);
  const pool = printConfig(config, { only: { type: 'Pool', name: 'Full' } });
  assert.match(pool, /^Pool \{\n {2}Name = "Full"\n/);
  assert.match(pool, /\n {2}MaximumVolumeBytes = 1 g 512 m 3 k 7\n/);
  assert.match(pool, /\n {2}VolumeUseDuration = 23 hours\n/);
  assert.match(pool, /\n {2}VolumeRetention = 1 years\n/, 'set, even though it is the default');
  assert.match(pool, /\n {2}Recycle = yes\n/);
  assert.match(pool, /\n {2}PoolType = Backup\n/, 'a keyword of its directive, bare as Bareos prints it');
  assert.match(printConfig(config, { only: { type: 'FileSet', name: 'Linux All' } }), /\n {6}Signature = SHA256\n {6}Compression = GZIP9\n/);
  const director = printConfig(config, { only: { type: 'Director' } });
  assert.match(director, /Password = "\*{16}"/);
  assert.doesNotMatch(director, /secret/);
  const catalog = printConfig(config, { only: { type: 'Catalog' } });
  assert.match(catalog, /DbPassword = "\*{16}"/);
  const job = printConfig(config, { only: { type: 'Job', name: 'backup-c1' } });
  assert.match(job, /JobDefs = "DefaultJob"/);
  assert.doesNotMatch(job, /Level =/, 'inherited from the JobDefs: not repeated');
  assert.match(job, /RunScript \{\n {4}RunsWhen = After\n/);
  assert.match(job, /Command = "\/bin\/echo \\"after\\" %e"/);
  const verbose = printConfig(config, { only: { type: 'Job', name: 'backup-c1' }, verbose: true });
  assert.match(verbose, /\n {2}# {2}Level = Incremental\n/);
  assert.match(verbose, /\n {2}# {2}Replace = always\n/, 'a default');
  const console = printConfig(config, { only: { type: 'Console', name: 'alice' } });
  assert.match(console, /JobACL = "backup-c1", "!Restore\.\*"/);
  assert.match(console, /RestoreOwner = "2001:100"/);
  const schedule = printConfig(config, { only: { type: 'Schedule', name: 'WeeklyCycle' }, verbose: true });
  assert.match(schedule, /Run = "Full 1st sat at 21:00"/);
  assert.match(schedule, /# +hour=21 minute=00/, 'verbose shows how the Run lines were understood');
});

test('values in the syntax the parser reads', () => {
  assert.equal(quote('a "b" \\c'), '"a \\"b\\" \\\\c"');
  assert.equal(printSize(0), '0');
  assert.equal(printSize(2 ** 30 + 5), '1 g 5');
  assert.equal(printDuration(86_400 * 400 + 61), '1 years 1 months 5 days 1 minutes 1 seconds');
  assert.ok(findResource(load(RICH).clients, 'C 2'));
});
