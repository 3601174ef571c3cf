/**
 * Bareos's stock configuration on Burrow's real daemons (test/harness/stock.ts fills
 * test/fixtures/bareos-stock as a package would). Issue 10's "done when", one test per
 * part, so each part can be added as its feature lands:
 *   - `-t` of the three daemons and bconsole passes, with exactly the warnings declared
 *     for what is not available yet (a new silent ignore, or a new warning, shows here);
 *   - the tutorial session: label, run backup-bareos-fd, wait, messages, list, restore,
 *     and the restore is exact;
 *   - the levels land in their pools: Full in Full, Incremental in Incremental;
 *   - DefaultJob's Write Bootstrap: the Full's `.bsr`, with the Incremental appended;
 *   - the tray monitor's Director gets status from the FD and SD and nothing else;
 *   - the SelfTest FileSet's XXH128 digests are in the catalog, equal to the files';
 *   - Auditing = yes writes the console's commands to bareos-audit.log (and only there),
 *     and the query command reads the stock QueryFile (@scriptdir@/query.sql);
 *   - BackupCatalog runs OK with the shipped scripts, mails its bootstrap through bsmtp,
 *     and its catalog dump, restored and loaded, is a catalog a Director works on.
 * Every job's report is mailed by the stock Messages, through bsmtp, to a test SMTP server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { xxhash128 } from 'hash-wasm';
import { SmtpTestServer } from '@burrow/director/tools/bsmtp/testing';
import { parseBootstrapText } from '@burrow/common/bootstrap/text';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Burrow, runProcess } from '../harness/daemons.js';
import { BIN, SCRIPTDIR } from '../harness/paths.js';
import { prepareStock, type StockTree } from '../harness/stock.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

/**
 * Every warning `-t` gives for the stock configuration: program, file (relative to
 * /etc/bareos), resource, directive. Each is something declared not available yet
 * (or, for the Windows FileSet, not applicable on Linux); anything else is a bug.
 */
const EXPECTED_WARNINGS: readonly string[] = [
  // Windows-only FileSet directives: harmless on a Linux client.
  'burrow-dir bareos-dir.d/fileset/Windows All Drives.conf FileSet "Windows All Drives" Drive Type',
  'burrow-dir bareos-dir.d/fileset/Windows All Drives.conf FileSet "Windows All Drives" Enable VSS',
];

/** `program file resource first-part`: the first part is the directive, or the message of a warning about a whole resource. */
function warningsOf(stderr: string, program: string, etc: string): string[] {
  const prefix = `${program}: warning: `;
  return stderr.split('\n').filter((l) => l.startsWith(prefix)).map((l) => {
    const m = /^(.*?):(\d+): (.*?"): (.*?)(: |$)/.exec(l.slice(prefix.length));
    return m ? `${program} ${relative(etc, m[1]!)} ${m[3]} ${m[4]}` : `${program} unparsed: ${l}`;
  });
}

describe('Bareos\'s stock configuration', () => {
  let stock: StockTree;
  let tree: string;
  let burrow: Burrow | undefined;
  let smtp: SmtpTestServer;
  before(async () => {
    tree = mkdtempSync(join(tmpdir(), 'burrow-sbin-'));
    buildSampleTree(tree);
    smtp = await SmtpTestServer.start();
    stock = prepareStock({ selfTestTree: tree, smtpHost: `127.0.0.1:${smtp.port}` });
  });
  after(async () => {
    if (burrow) await burrow.stop();
    else rmSync(stock.dir, { recursive: true, force: true });
    rmSync(tree, { recursive: true, force: true });
    await smtp.close();
  });
  /** The first mail received whose subject matches, waiting for it. */
  const mailWithSubject = async (subject: RegExp): Promise<string> => {
    for (let n = 1; ; n++) {
      const text = (await smtp.mail(n)).data.toString('utf8');
      if (subject.test(/^Subject: (.*)\r$/m.exec(text)?.[1] ?? '')) return text;
    }
  };
  const daemons = async (): Promise<Burrow> => {
    burrow ??= await Burrow.startPrepared(stock);
    return burrow;
  };

  it('passes -t in every program, with only the warnings declared for what is not available yet', async () => {
    const found: string[] = [];
    for (const [program, bin, config] of [
      ['burrow-dir', BIN.dir, stock.configs.dir], ['burrow-sd', BIN.sd, stock.configs.sd],
      ['burrow-fd', BIN.fd, stock.configs.fd], ['bconsole', BIN.bconsole, stock.configs.console],
    ] as const) {
      const r = await runProcess(process.execPath, [bin, '-t', '-c', config], '', 30_000);
      assert.equal(r.code, 0, `${program} -t: ${r.stdout}${r.stderr}`);
      found.push(...warningsOf(r.stderr, program, stock.etc));
    }
    assert.deepEqual(found.sort(), [...EXPECTED_WARNINGS].sort());
  });

  it('runs the tutorial: label, backup-bareos-fd, wait, messages, list, an exact restore', async () => {
    const b = await daemons();
    const label = await b.console(['label storage=File volume=Full-0001 pool=Full']);
    assert.equal(label.code, 0, `${label.stdout}\n${b.logs()}`);
    const run = await b.console(['run job=backup-bareos-fd yes', 'wait', 'messages']);
    assert.equal(run.code, 0, `${run.stdout}\n${b.logs()}`);
    assert.match(run.stdout, /No prior Full backup Job record found/);
    assert.match(run.stdout, /Termination:\s+Backup OK/);
    assert.match(run.stdout, /Volume name\(s\):\s+Full-0001/);
    const list = await b.console(['list jobs', 'list volumes']);
    assert.match(list.stdout, /backup-bareos-fd/);
    assert.match(list.stdout, /Full-0001/);
    const where = join(stock.dir, 'restored');
    const restore = await b.console([`restore client=bareos-fd select current all done yes where=${where}`, 'wait', 'messages']);
    assert.equal(restore.code, 0, `${restore.stdout}\n${b.logs()}`);
    assert.match(restore.stdout, /Termination:\s+Restore OK/);
    assert.deepEqual(compareTrees(tree, join(where, tree)), []);
    // The stock Standard Messages mailed both reports (the restore's names no level).
    assert.match(await mailWithSubject(/^Bareos: Backup OK of bareos-fd Full$/), /Termination:\s+Backup OK/);
    assert.match(await mailWithSubject(/^Bareos: Restore OK of bareos-fd/), /Termination:\s+Restore OK/);
  });

  it('writes each level into its own pool: Full into Full, Incremental into Incremental', async () => {
    const b = await daemons();
    writeFileSync(join(tree, 'changed-for-incremental'), 'new\n');
    const run = await b.console(['run job=backup-bareos-fd level=Incremental yes', 'wait', 'messages', 'list volumes']);
    assert.equal(run.code, 0, `${run.stdout}\n${b.logs()}`);
    assert.match(run.stdout, /Backup Level:\s+Incremental/);
    assert.match(run.stdout, /Pool:\s+"Incremental"/);
    assert.match(run.stdout, /Labeled new Volume "Incremental-0002"/);
  });

  it('writes DefaultJob\'s bootstrap: the Full\'s, with the Incremental appended', () => {
    const bsr = join(stock.values.working_dir ?? '', 'bareos-fd.bsr');
    const text = readFileSync(bsr, 'utf8');
    assert.deepEqual([...text.matchAll(/^# .* - (backup-bareos-fd\.\S+) - (\w+)/gm)].map((m) => m[2]), ['Full', 'Incremental'], text);
    const sections = parseBootstrapText(text, bsr).sections;
    assert.deepEqual(sections.map((s) => s.volume), ['Full-0001', 'Incremental-0002'], text);
    assert.ok(sections.every((s) => s.mediaType === 'File' && s.fileIndexes.length === 1), text);
  });

  it('audits console commands to bareos-audit.log only, and answers a query from the stock QueryFile', async () => {
    const b = await daemons();
    const titles = readFileSync(join(SCRIPTDIR, 'query.sql'), 'utf8').split('\n').filter((l) => l.startsWith(':'));
    const pools = titles.findIndex((l) => l === ':List the attributes of a pool') + 1;
    const q = await b.console(['query', String(pools), 'Full']);
    assert.equal(q.code, 0, `${q.stdout}\n${b.logs()}`);
    assert.match(q.stdout, /\n +Name: Full\n +PoolType: Backup\n/);
    const logdir = stock.values.logdir ?? '';
    const audit = readFileSync(join(logdir, 'bareos-audit.log'), 'utf8');
    assert.match(audit, /^\d\d-\w{3} \d\d:\d\d bareos-dir: Console \[default\] from \[127\.0\.0\.1\] cmdline run job=backup-bareos-fd yes$/m, audit);
    assert.match(audit, /cmdline query$/m);
    assert.doesNotMatch(readFileSync(join(logdir, 'bareos.log'), 'utf8'), /cmdline/, 'the stock bareos.log takes all, !audit');
  });

  it('lets the tray monitor\'s Director ask the FD and SD for status and nothing else', async () => {
    const b = await daemons();
    const q = JSON.stringify;
    const monDir = join(stock.dir, 'mon', 'bareos-mon.conf');
    const monConsole = join(stock.dir, 'mon', 'bconsole.conf');
    mkdirSync(join(stock.dir, 'mon'), { recursive: true });
    // A Director named like the monitor, holding only the passwords the package gave the tray monitor.
    writeFileSync(monDir, `
Director { Name = bareos-mon; DirAddress = 127.0.0.1; DirPort = 0; Password = "mon-console"
  Working Directory = ${q(join(stock.dir, 'mon'))}; Pid Directory = ${q(join(stock.dir, 'mon'))}; Messages = Daemon }
Client { Name = bareos-fd; Address = localhost; FDPort = ${b.ports.fd}; Password = ${q(stock.monitor.fd)} }
Storage { Name = File; Address = localhost; SDPort = ${b.ports.sd}; Password = ${q(stock.monitor.sd)}; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbname = mon }
Pool { Name = Full; Label Format = "Mon-" }
FileSet { Name = SelfTest; Include { File = ${q(tree)} } }
Job { Name = backup-bareos-fd; Type = Backup; Level = Full; Client = bareos-fd; FileSet = SelfTest; Storage = File; Pool = Full; Messages = Standard }
Messages { Name = Standard; Console = all; Catalog = all }
Messages { Name = Daemon; Console = all }
`);
    const { port } = await b.spawnDaemon('mon', 'dir', monDir);
    writeFileSync(monConsole, `Director { Name = bareos-mon; Address = 127.0.0.1; DIRport = ${port}; Password = "mon-console" }\n`);
    const mon = (lines: string[]) => b.console(lines, monConsole);
    const status = await mon(['status client=bareos-fd', 'status storage=File']);
    assert.equal(status.code, 0, `${status.stdout}\n${b.logs()}`);
    assert.match(status.stdout, /bareos-fd Version/);
    assert.match(status.stdout, /bareos-sd Version/);
    const estimate = await mon(['estimate job=backup-bareos-fd']);
    assert.match(estimate.stdout, /Director "bareos-mon" has Monitor = yes: it may ask for status only, not for an estimate/);
    const run = await mon(['run job=backup-bareos-fd yes', 'wait', 'messages']);
    assert.match(run.stdout, /not for a backup session/);
    const label = await mon(['label storage=File volume=Mon-0001 pool=Full']);
    assert.match(label.stdout, /not for a label/);
    assert.match(b.output('fd'), /refused an estimate for Monitor Director \\"bareos-mon\\"/);
    assert.match(b.output('sd'), /refused a backup session for Monitor Director \\"bareos-mon\\"/);
    assert.match(b.output('sd'), /refused a label for Monitor Director \\"bareos-mon\\"/);
  });

  it('stores the SelfTest FileSet\'s XXH128 digests: each file\'s, in Bareos\'s base64', async () => {
    const b = await daemons();
    // Plain names only (the sample tree also has names that are not UTF-8, which a string
    // cannot carry), and no hard links (a second link is saved as a link, with no digest, as in Bareos).
    const files = readdirSync(tree).filter((n) => {
      const st = lstatSync(join(tree, n));
      return /^[\w.-]+$/.test(n) && st.isFile() && st.nlink === 1 && n !== 'changed-for-incremental';
    });
    assert.ok(files.length > 0);
    const reply = await b.console(['.api json', ...files.map((f) => `.bvfs_versions client=bareos-fd path=${tree}/ fname=${f}`)]);
    const docs = reply.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { result?: { versions?: Array<{ level: string; digest: string | null }> } });
    docs.shift(); // the reply to .api itself
    assert.equal(docs.length, files.length, reply.stdout);
    for (const [i, f] of files.entries()) {
      const expected = Buffer.from(await xxhash128(readFileSync(join(tree, f))), 'hex').toString('base64').replace(/=+$/, '');
      const full = docs[i]?.result?.versions?.find((v) => v.level === 'F');
      assert.equal(full?.digest, expected, `${f}: ${JSON.stringify(docs[i])}`);
    }
  });

  it('runs BackupCatalog with the shipped scripts, mails its bootstrap, and its dump loads into a working catalog', async () => {
    const b = await daemons();
    const dump = join(stock.values.working_dir ?? '', 'bareos.sql');
    const run = await b.console(['run job=BackupCatalog yes', 'wait', 'messages']);
    assert.equal(run.code, 0, `${run.stdout}\n${b.logs()}`);
    assert.match(run.stdout, /BeforeJob: make_catalog_backup: catalog "MyCatalog" .* dumped to \S+bareos\.sql/);
    assert.match(run.stdout, /AfterJob: delete_catalog_backup: removed \S+bareos\.sql/);
    assert.match(run.stdout, /Termination:\s+Backup OK\n/);
    const jobId = /JobId=(\d+)/.exec(run.stdout)?.[1];
    // Write Bootstrap = "|bsmtp ... -s \"Bootstrap for Job %j\"": the bootstrap is the mail's body.
    const bootstrap = await mailWithSubject(/^Bootstrap for Job BackupCatalog\./);
    assert.match(bootstrap, /^Volume="Full-0001"\r$/m, bootstrap);

    // The runbook with a second Director: its own catalog, loaded from the restored dump.
    const where = join(stock.dir, 'catalog-restored');
    const restore = await b.console([`restore client=bareos-fd jobid=${jobId} file=${dump} yes where=${where}`, 'wait', 'messages']);
    assert.match(restore.stdout, /Termination:\s+Restore OK/, `${restore.stdout}\n${b.logs()}`);
    const etc2 = join(stock.dir, 'etc2');
    const work2 = join(stock.dir, 'work2');
    mkdirSync(work2);
    cpSync(stock.etc, etc2, { recursive: true });
    const director2 = join(etc2, 'bareos-dir.d/director/bareos-dir.conf');
    writeFileSync(director2, readFileSync(director2, 'utf8').replaceAll(stock.values.working_dir ?? '', work2).replaceAll(stock.values.piddir ?? '', work2));
    const load = await runProcess(join(SCRIPTDIR, 'load_catalog_backup'), ['-c', join(etc2, 'bareos-dir.d'), 'MyCatalog', join(where, dump)], '', 30_000);
    assert.equal(load.code, 0, load.stdout + load.stderr);
    const { port: port2 } = await b.spawnDaemon('dir2', 'dir', join(etc2, 'bareos-dir.d'));
    const console2 = join(etc2, 'bconsole.conf');
    writeFileSync(console2, readFileSync(console2, 'utf8').replace(/(DirPort = )\d+/i, `$1${port2}`));
    const listed = await b.console(['list jobs', 'list volumes'], join(etc2, 'bconsole.conf'));
    assert.equal(listed.code, 0, `${listed.stdout}\n${b.logs()}`);
    assert.match(listed.stdout, /\| backup-bareos-fd\s+\|.*\| F\s+\|.*\| T\s+\|/);
    assert.match(listed.stdout, /\| Incremental-0002\s+\|/);
  });
});
