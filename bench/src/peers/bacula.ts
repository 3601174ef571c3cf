/**
 * Bacula 9.6 as the peer: its own Director (SQLite catalog), Storage daemon (File
 * device) and File daemon, started by the suite on loopback ports with configurations
 * in a temporary folder, driven by Bacula's bconsole, and always stopped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@burrow/test/harness/ports';
import { runProcess } from '@burrow/test/harness/daemons';
import { timed } from '../measure/stats.js';
import { bytesUnder } from '../measure/tree.js';
import { jobOutcome, type BackupSystem, type Compression, type Level } from './tool.js';

const COMPRESSION: Record<Compression, string> = { none: '', GZIP6: 'compression = GZIP6', fastest: 'compression = LZO' };
const JOB_TIMEOUT_MS = 60 * 60 * 1000;
const SQL_SCRIPT = '/usr/share/bacula-director/make_sqlite3_tables';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) { // 20 s at most
    if (child.exitCode !== null) throw new Error(`a Bacula daemon exited with ${child.exitCode}:\n${log()}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`a Bacula daemon did not listen on ${port}:\n${log()}`);
}

/** The Bacula catalog tables, from the package's own script (its SQL between the here-document marks). */
export function makeCatalog(dbFile: string): void {
  const script = readFileSync(SQL_SCRIPT, 'utf8');
  const sql = /<<END-OF-DATA\n([\s\S]*?)\nEND-OF-DATA/.exec(script)?.[1];
  if (!sql) throw new Error(`cannot find the SQL in ${SQL_SCRIPT}`);
  const r = spawnSync('sqlite3', [dbFile], { input: sql, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`creating the Bacula catalog failed: ${r.stderr}`);
}

function writeConfigs(dir: string, root: string, compression: Compression, ports: { dir: number; sd: number; fd: number }): void {
  const pw = (): string => randomBytes(18).toString('hex');
  const p = { console: pw(), client: pw(), storage: pw() };
  const work = (d: string): string => { mkdirSync(join(dir, d), { recursive: true }); return join(dir, d); };
  // Bacula insists on a query file for its `query` command, which the suite never uses.
  writeFileSync(join(dir, 'query.sql'), '');
  writeFileSync(join(dir, 'bacula-dir.conf'), `
Director { Name = bench-dir; DIRport = ${ports.dir}; DirAddress = 127.0.0.1; Password = "${p.console}"; QueryFile = "${join(dir, 'query.sql')}"
  WorkingDirectory = "${work('dir')}"; PidDirectory = "${work('dir')}"; Maximum Concurrent Jobs = 5; Messages = Daemon }
Client { Name = bench-fd; Address = 127.0.0.1; FDPort = ${ports.fd}; Catalog = MyCatalog; Password = "${p.client}"
  File Retention = 1 year; Job Retention = 1 year; AutoPrune = no }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${ports.sd}; Password = "${p.storage}"; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbname = "bacula"; dbuser = ""; dbpassword = "" }
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-"; Maximum Volume Bytes = 500G; AutoPrune = no; Recycle = no }
FileSet { Name = BenchSet
  Include { Options { signature = MD5; ${COMPRESSION[compression]} }
    File = "${root}" } }
Job { Name = backup-bench; Type = Backup; Level = Full; Client = bench-fd; FileSet = BenchSet; Storage = File; Pool = Full
  Messages = Standard; Write Bootstrap = "${join(dir, 'dir', '%c.bsr')}" }
Job { Name = RestoreFiles; Type = Restore; Client = bench-fd; FileSet = BenchSet; Storage = File; Pool = Full
  Messages = Standard; Where = "${join(dir, 'restored')}" }
Messages { Name = Standard; console = all, !skipped, !saved; append = "${join(dir, 'dir', 'log')}" = all, !skipped; catalog = all, !skipped, !saved }
Messages { Name = Daemon; console = all, !skipped, !saved; append = "${join(dir, 'dir', 'log')}" = all, !skipped }
`);
  writeFileSync(join(dir, 'bacula-sd.conf'), `
Storage { Name = bench-sd; SDPort = ${ports.sd}; SDAddress = 127.0.0.1; WorkingDirectory = "${work('sd')}"; Pid Directory = "${work('sd')}"; Maximum Concurrent Jobs = 5 }
Director { Name = bench-dir; Password = "${p.storage}" }
Device { Name = FileStorage; Media Type = File; Archive Device = "${work('volumes')}"; LabelMedia = yes; Random Access = yes
  AutomaticMount = yes; RemovableMedia = no; AlwaysOpen = no }
Messages { Name = Standard; director = bench-dir = all }
`);
  writeFileSync(join(dir, 'bacula-fd.conf'), `
FileDaemon { Name = bench-fd; FDport = ${ports.fd}; FDAddress = 127.0.0.1; WorkingDirectory = "${work('fd')}"; Pid Directory = "${work('fd')}"; Maximum Concurrent Jobs = 5 }
Director { Name = bench-dir; Password = "${p.client}" }
Messages { Name = Standard; director = bench-dir = all, !skipped, !restored }
`);
  writeFileSync(join(dir, 'bconsole.conf'), `Director { Name = bench-dir; DIRport = ${ports.dir}; address = 127.0.0.1; Password = "${p.console}" }\n`);
  makeCatalog(join(dir, 'dir', 'bacula.db'));
}

/** Bacula daemons started from configurations in `dir`, and how to stop them all (and remove `dir`). */
export class BaculaProcesses {
  readonly children: { name: string; child: ChildProcess; log: () => string }[] = [];

  constructor(readonly dir: string) {}

  /** Starts `/usr/sbin/bacula-<program> -f -c <config>` and waits until it listens on `port`. */
  async start(name: string, program: 'dir' | 'sd' | 'fd', config: string, port: number): Promise<void> {
    const child = spawn(`/usr/sbin/bacula-${program}`, ['-f', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    this.children.push({ name, child, log: () => out });
    await waitForPort(port, child, () => out);
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(({ child }) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    })));
    rmSync(this.dir, { recursive: true, force: true });
  }

  daemons(): Array<{ name: string; pid: number }> {
    return this.children.flatMap(({ name, child }) => (child.pid ? [{ name: `bacula-${name}`, pid: child.pid }] : []));
  }
}

export async function startBacula(root: string, compression: Compression): Promise<BackupSystem> {
  const dir = mkdtempSync('/tmp/burrow-bench-bacula-');
  const ports = { dir: await freePort(), sd: await freePort(), fd: await freePort() };
  const processes = new BaculaProcesses(dir);
  const stop = (): Promise<void> => processes.stop();
  try {
    writeConfigs(dir, root, compression, ports);
    for (const [name, port] of [['sd', ports.sd], ['fd', ports.fd], ['dir', ports.dir]] as const) {
      await processes.start(name, name, join(dir, `bacula-${name}.conf`), port);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const bconsole = (lines: string[]): ReturnType<typeof runProcess> =>
    runProcess('/usr/sbin/bconsole', ['-c', join(dir, 'bconsole.conf')], `${lines.join('\n')}\nquit\n`, JOB_TIMEOUT_MS);
  return {
    name: 'bacula',
    mtimeResolutionNs: 1_000_000_000n, // Bacula keeps whole seconds
    async backup(level: Level) {
      const { seconds, value: r } = await timed(() => bconsole([`run job=backup-bench level=${level} yes`, 'wait', 'messages']));
      return { seconds, jobId: jobOutcome(`bacula ${level} backup of ${root}`, 'Backup', r) };
    },
    async restore(jobId: number, where: string, files?: string[]) {
      const selection = files ? files.map((f) => `file="${f}"`).join(' ') : 'all';
      const { seconds, value: r } = await timed(() => bconsole([`restore client=bench-fd jobid=${jobId} ${selection} done yes where=${where}`, 'wait', 'messages']));
      jobOutcome(`bacula restore of job ${jobId}`, 'Restore', r);
      return { seconds };
    },
    storedBytes: () => bytesUnder(join(dir, 'volumes')),
    daemons: () => processes.daemons(),
    stop,
  };
}
