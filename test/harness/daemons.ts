/**
 * Starts a real Director, Storage daemon and File daemon (the built binaries) on
 * loopback with temporary configurations, and drives them with the real bconsole.
 * Waits on the daemons' own "listening" log lines, with timeouts that print what the
 * daemons said, and always tidies up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './paths.js';
import { freePort } from './ports.js';

export interface BurrowOptions {
  /** Paths the FileSet includes. */
  include: string[];
  exclude?: string[];
  /** Extra lines for the FileSet's Options block (e.g. `Compression = GZIP`). */
  options?: string[];
  maximumVolumeBytes?: string;
  labelFormat?: string | null;
  /** Extra directives for the Full pool (e.g. `Maximum Volume Jobs = 1`). */
  poolDirectives?: string[];
  /** The device's Label Media (default yes): with no, only the label command labels volumes. */
  labelMedia?: boolean;
  /** Extra directives for the backup Job (e.g. `Accurate = yes`, a RunScript block). */
  jobDirectives?: string[];
  /** Extra directives for the File daemon's own resource (e.g. `Allowed Script Dir = ...`). */
  fdDirectives?: string[];
  /** Extra directives for the Director's own resource (e.g. `QueryFile = ...`, `Auditing = yes`). */
  directorDirectives?: string[];
  /** Extra destinations of the Director's own Messages resource, Daemon (e.g. an audit log). */
  daemonMessages?: string[];
  /** Extra directives for the SD's Device FileStorage (e.g. `Count = 2`). */
  deviceDirectives?: string[];
  /** Extra directives for the Director's Storage File and Client test-fd (e.g. `Maximum Concurrent Jobs = 4`). */
  storageDirectives?: string[];
  clientDirectives?: string[];
  /**
   * Extra resources for the Director's configuration (a Schedule, more Jobs, another
   * Client). `@FDPORT@` and `@CLIENTPASSWORD@` stand for the File daemon's port and
   * password, for a second Client resource that reaches the same File daemon;
   * `@SDPORT@` and `@SDPASSWORD@` the Storage daemon's, for a second Storage resource;
   * `@WORKDIR@` for the Director's Working Directory (where its catalog is).
   */
  directorResources?: string;
  /** Extra resources for the Storage daemon's configuration (e.g. a second, Monitor, Director). */
  sdResources?: string;
  /** Extra directives for the Storage daemon's own (Storage) resource (e.g. `TLS Enable = no`). */
  sdDirectives?: string[];
  /** Extra resources for the File daemon's configuration. */
  fdResources?: string;
}

/** The configuration (file or directory) each program reads. */
export interface DaemonConfigs {
  dir: string;
  sd: string;
  fd: string;
  console: string;
}

/** A topology written elsewhere (e.g. the stock trees of stock.ts): where its configs are, its ports and passwords. */
export interface PreparedTopology {
  /** A temporary directory owned by the run: removed by stop(). */
  dir: string;
  configs: DaemonConfigs;
  ports: { dir: number; sd: number; fd: number };
  passwords: { console: string; client: string; storage: string };
}

/** Which built program a daemon runs. */
export type DaemonProgram = 'dir' | 'sd' | 'fd';

export interface Daemon {
  name: string;
  process: ChildProcess;
  output: () => string;
}

export interface ConsoleResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Burrow {
  readonly daemons: Daemon[] = [];

  private constructor(
    readonly dir: string,
    readonly ports: { dir: number; sd: number; fd: number },
    readonly passwords: { console: string; client: string; storage: string },
    readonly configs: DaemonConfigs,
  ) {}

  get volumes(): string {
    return join(this.dir, 'volumes');
  }

  /** The Director's Working Directory in the topology start() writes: its catalog is `bacula.db` there. */
  get directorWorkDir(): string {
    return join(this.dir, 'dir');
  }

  /** The one-client topology this harness writes itself, shaped by `opts`. */
  static async start(opts: BurrowOptions): Promise<Burrow> {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-e2e-'));
    const ports = { dir: await freePort(), sd: await freePort(), fd: await freePort() };
    const pw = (): string => randomBytes(18).toString('base64');
    const etc = join(dir, 'etc');
    const configs = { dir: join(etc, 'burrow-dir.conf'), sd: join(etc, 'burrow-sd.conf'), fd: join(etc, 'burrow-fd.conf'), console: join(etc, 'bconsole.conf') };
    const b = new Burrow(dir, ports, { console: pw(), client: pw(), storage: pw() }, configs);
    b.writeConfigs(opts);
    await b.startAll();
    return b;
  }

  /** Starts the three daemons from configurations written by the caller. */
  static async startPrepared(t: PreparedTopology): Promise<Burrow> {
    const b = new Burrow(t.dir, t.ports, t.passwords, t.configs);
    await b.startAll();
    return b;
  }

  private async startAll(): Promise<void> {
    try {
      await this.spawnDaemon('sd', 'sd', this.configs.sd);
      await this.spawnDaemon('fd', 'fd', this.configs.fd);
      await this.spawnDaemon('dir', 'dir', this.configs.dir);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private writeConfigs(o: BurrowOptions): void {
    mkdirSync(join(this.dir, 'etc'), { recursive: true });
    const q = (s: string): string => JSON.stringify(s);
    writeFileSync(this.configs.dir, `
Director { Name = test-dir; DirAddress = 127.0.0.1; DirPort = ${this.ports.dir}; Password = ${q(this.passwords.console)}
  Working Directory = ${q(this.directorWorkDir)}; Pid Directory = ${q(this.directorWorkDir)}; Maximum Concurrent Jobs = 5; Messages = Daemon
  ${(o.directorDirectives ?? []).join('\n  ')} }
Client { Name = test-fd; Address = 127.0.0.1; FDPort = ${this.ports.fd}; Password = ${q(this.passwords.client)}; Catalog = MyCatalog
  ${(o.clientDirectives ?? []).join('\n  ')} }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${this.ports.sd}; Password = ${q(this.passwords.storage)}; Device = FileStorage; Media Type = File
  ${(o.storageDirectives ?? []).join('\n  ')} }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "bacula" }
Pool { Name = Full; Pool Type = Backup; ${o.labelFormat === null ? '' : `Label Format = ${q(o.labelFormat ?? 'Vol-')}`}
  ${o.maximumVolumeBytes ? `Maximum Volume Bytes = ${o.maximumVolumeBytes}` : ''}
  ${(o.poolDirectives ?? []).join('\n  ')} }
FileSet { Name = TestSet
  Include {
    Options { ${(o.options ?? ['Signature = SHA256']).join('\n      ')} }
    ${o.include.map((p) => `File = ${q(p)}`).join('\n    ')}
  }
  ${o.exclude?.length ? `Exclude { ${o.exclude.map((p) => `File = ${q(p)}`).join('\n ')} }` : ''}
}
Job { Name = backup-test; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard
  ${(o.jobDirectives ?? []).join('\n  ')} }
${(o.directorResources ?? '').replaceAll('@FDPORT@', String(this.ports.fd)).replaceAll('@CLIENTPASSWORD@', q(this.passwords.client)).replaceAll('@WORKDIR@', this.directorWorkDir)
    .replaceAll('@SDPORT@', String(this.ports.sd)).replaceAll('@SDPASSWORD@', q(this.passwords.storage))}
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Where = ${q(join(this.dir, 'restored'))} }
Messages { Name = Standard; Console = all; Append = ${q(join(this.dir, 'dir', 'log'))} = all; Catalog = all }
Messages { Name = Daemon; Console = all
  ${(o.daemonMessages ?? []).join('\n  ')} }
`);
    writeFileSync(this.configs.sd, `
Storage { Name = test-sd; SDAddress = 127.0.0.1; SDPort = ${this.ports.sd}; Working Directory = ${q(join(this.dir, 'sd'))}; Pid Directory = ${q(join(this.dir, 'sd'))}
  ${(o.sdDirectives ?? []).join('\n  ')} }
Director { Name = test-dir; Password = ${q(this.passwords.storage)} }
Device { Name = FileStorage; Media Type = File; Archive Device = ${q(this.volumes)}; Label Media = ${o.labelMedia === false ? 'no' : 'yes'}; Random Access = yes
  ${(o.deviceDirectives ?? []).join('\n  ')} }
${o.sdResources ?? ''}
`);
    writeFileSync(this.configs.fd, `
FileDaemon { Name = test-fd; FDAddress = 127.0.0.1; FDPort = ${this.ports.fd}; Working Directory = ${q(join(this.dir, 'fd'))}; Pid Directory = ${q(join(this.dir, 'fd'))}
  ${(o.fdDirectives ?? []).join('\n  ')} }
Director { Name = test-dir; Password = ${q(this.passwords.client)} }
${o.fdResources ?? ''}
`);
    writeFileSync(this.configs.console, `Director { Name = test-dir; Address = 127.0.0.1; DIRport = ${this.ports.dir}; Password = ${q(this.passwords.console)} }\n`);
  }

  /**
   * Starts one more daemon (a second Director, say) that stop() ends with the others;
   * resolves once it says it is listening.
   */
  async spawnDaemon(name: string, program: DaemonProgram, config: string): Promise<Daemon> {
    const daemon = startDaemonProcess(name, program, config);
    this.daemons.push(daemon);
    await untilListening(daemon);
    return daemon;
  }

  /** The output of the daemon started under `name`. */
  output(name: string): string {
    return this.daemons.find((d) => d.name === name)?.output() ?? '';
  }

  /** Runs bconsole with these lines on its standard input. */
  console(lines: string[], configFile = this.configs.console, timeoutMs = 60_000): Promise<ConsoleResult> {
    return runProcess(process.execPath, [BIN.bconsole, '-c', configFile], `${lines.join('\n')}\n`, timeoutMs);
  }

  /** The job log the Standard Messages append to (every job line of start()'s topology). */
  jobLog(): string {
    try {
      return readFileSync(join(this.directorWorkDir, 'log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves once the job log matches `what`; fails with the log and the daemons' output after 30 s. */
  untilLogged(what: RegExp): Promise<void> {
    return waitFor(() => what.test(this.jobLog()), 30_000, () => `no ${what} in the job log:\n${this.jobLog()}\n${this.logs()}`);
  }

  /** The daemons' logs, for assertion messages. */
  logs(): string {
    return this.daemons.map((d) => `----- ${d.name}\n${d.output()}`).join('\n');
  }

  /** Stops the daemon started under `name` and forgets it (to start it again with spawnDaemon). */
  async stopNamed(name: string): Promise<void> {
    const i = this.daemons.findIndex((d) => d.name === name);
    const [d] = i < 0 ? [] : this.daemons.splice(i, 1);
    if (d) await stopDaemon(d);
  }

  async stop(): Promise<void> {
    await Promise.all(this.daemons.map(stopDaemon));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Spawns a built daemon in the foreground on `config`; see untilListening and stopDaemon. */
export function startDaemonProcess(name: string, program: DaemonProgram, config: string): Daemon {
  // BURROW_DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the daemons.
  const nodeArgs = process.env.BURROW_DAEMON_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, BIN[program], '-f', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  return { name, process: child, output: () => output };
}

/** Resolves once the daemon logs that it listens; rejects with its output if it exits or takes too long. */
export function untilListening(d: Daemon): Promise<void> {
  return waitFor(() => d.output().includes('listening on'), 15_000, () => `${d.name} did not start:\n${d.output()}`, () => d.process.exitCode !== null);
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopDaemon(d: Daemon): Promise<void> {
  return new Promise<void>((resolve) => {
    if (d.process.exitCode !== null || d.process.signalCode !== null) return resolve();
    const timer = setTimeout(() => d.process.kill('SIGKILL'), 5000);
    d.process.once('exit', () => { clearTimeout(timer); resolve(); });
    d.process.kill('SIGTERM');
  });
}

export async function waitFor(cond: () => boolean, timeoutMs: number, describe: () => string, gaveUp: () => boolean = () => false): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until || gaveUp()) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function runProcess(cmd: string, args: string[], input: string, timeoutMs: number): Promise<ConsoleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': 'exit' can come before the pipes are drained, losing output.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
