/**
 * Bacula 9.6 with many clients, for the many-clients row (suite/many-clients.ts): one
 * Director (SQLite catalog), one Storage daemon (a File device every job writes through
 * at once) and N bacula-fd processes, each on its own loopback port with its own
 * configuration, each backing up `root`. Started by the suite and always stopped.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@burrow/test/harness/ports';
import { runProcess } from '@burrow/test/harness/daemons';
import { BaculaProcesses, makeCatalog } from './bacula.js';
import type { ConsoleOutput, DaemonProcess } from './tool.js';

export interface ManyBacula {
  /** Runs the lines through Bacula's bconsole (then quit). */
  console(lines: string[], timeoutMs: number): Promise<ConsoleOutput>;
  /** The client names, bench-fd1 ... */
  readonly clients: readonly string[];
  daemons(): DaemonProcess[];
  stop(): Promise<void>;
}

export async function startManyBacula(root: string, count: number): Promise<ManyBacula> {
  const dir = mkdtempSync('/tmp/burrow-bench-bacula-many-');
  const work = (d: string): string => { mkdirSync(join(dir, d), { recursive: true }); return join(dir, d); };
  const pw = (): string => randomBytes(18).toString('hex');
  const clients = Array.from({ length: count }, (_, i) => `bench-fd${i + 1}`);
  const ports = { dir: await freePort(), sd: await freePort(), fds: [] as number[] };
  for (let i = 0; i < count; i++) ports.fds.push(await freePort());
  const p = { console: pw(), client: pw(), storage: pw() };
  writeFileSync(join(dir, 'query.sql'), '');
  writeFileSync(join(dir, 'bacula-dir.conf'), `
Director { Name = bench-dir; DIRport = ${ports.dir}; DirAddress = 127.0.0.1; Password = "${p.console}"; QueryFile = "${join(dir, 'query.sql')}"
  WorkingDirectory = "${work('dir')}"; PidDirectory = "${work('dir')}"; Maximum Concurrent Jobs = ${count}; Messages = Daemon }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${ports.sd}; Password = "${p.storage}"; Device = FileStorage; Media Type = File; Maximum Concurrent Jobs = ${count} }
Catalog { Name = MyCatalog; dbname = "bacula"; dbuser = ""; dbpassword = "" }
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-"; Maximum Volume Bytes = 500G; AutoPrune = no; Recycle = no }
FileSet { Name = BenchSet
  Include { Options { signature = MD5 }
    File = "${root}" } }
${clients.map((c, i) => `Client { Name = ${c}; Address = 127.0.0.1; FDPort = ${ports.fds[i]}; Catalog = MyCatalog; Password = "${p.client}"; AutoPrune = no }
Job { Name = backup-${c}; Type = Backup; Level = Full; Client = ${c}; FileSet = BenchSet; Storage = File; Pool = Full; Messages = Standard }`).join('\n')}
Job { Name = RestoreFiles; Type = Restore; Client = ${clients[0]}; FileSet = BenchSet; Storage = File; Pool = Full; Messages = Standard; Where = "${join(dir, 'restored')}" }
Messages { Name = Standard; console = all, !skipped, !saved; append = "${join(dir, 'dir', 'log')}" = all, !skipped; catalog = all, !skipped, !saved }
Messages { Name = Daemon; console = all, !skipped, !saved; append = "${join(dir, 'dir', 'log')}" = all, !skipped }
`);
  writeFileSync(join(dir, 'bacula-sd.conf'), `
Storage { Name = bench-sd; SDPort = ${ports.sd}; SDAddress = 127.0.0.1; WorkingDirectory = "${work('sd')}"; Pid Directory = "${work('sd')}"; Maximum Concurrent Jobs = ${count + 5} }
Director { Name = bench-dir; Password = "${p.storage}" }
Device { Name = FileStorage; Media Type = File; Archive Device = "${work('volumes')}"; LabelMedia = yes; Random Access = yes
  AutomaticMount = yes; RemovableMedia = no; AlwaysOpen = no }
Messages { Name = Standard; director = bench-dir = all }
`);
  clients.forEach((c, i) => writeFileSync(join(dir, `${c}.conf`), `
FileDaemon { Name = ${c}; FDport = ${ports.fds[i]}; FDAddress = 127.0.0.1; WorkingDirectory = "${work(c)}"; Pid Directory = "${work(c)}"; Maximum Concurrent Jobs = 2 }
Director { Name = bench-dir; Password = "${p.client}" }
Messages { Name = Standard; director = bench-dir = all, !skipped, !restored }
`));
  writeFileSync(join(dir, 'bconsole.conf'), `Director { Name = bench-dir; DIRport = ${ports.dir}; address = 127.0.0.1; Password = "${p.console}" }\n`);
  makeCatalog(join(dir, 'dir', 'bacula.db'));

  const processes = new BaculaProcesses(dir);
  try {
    await processes.start('sd', 'sd', join(dir, 'bacula-sd.conf'), ports.sd);
    for (const [i, c] of clients.entries()) await processes.start(c.replace(/^bench-/, ''), 'fd', join(dir, `${c}.conf`), ports.fds[i]!);
    await processes.start('dir', 'dir', join(dir, 'bacula-dir.conf'), ports.dir);
  } catch (err) {
    await processes.stop();
    throw err;
  }
  return {
    clients,
    console: (lines, timeoutMs) => runProcess('/usr/sbin/bconsole', ['-c', join(dir, 'bconsole.conf')], `${lines.join('\n')}\nquit\n`, timeoutMs),
    daemons: () => processes.daemons(),
    stop: () => processes.stop(),
  };
}
