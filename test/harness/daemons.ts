/**
 * Starts a real Director, Storage daemon and File daemon (the built binaries) on
 * loopback with temporary configurations, and drives them with the real bconsole.
 * Waits on the daemons' own "listening" log lines, with timeouts that print what the
 * daemons said, and always tidies up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  /** Extra directives for the backup Job (e.g. `Accurate = yes`, a RunScript block). */
  jobDirectives?: string[];
  /** Extra directives for the File daemon's own resource (e.g. `Allowed Script Dir = ...`). */
  fdDirectives?: string[];
  /**
   * Extra resources for the Director's configuration (a Schedule, more Jobs, another
   * Client). `@FDPORT@` and `@CLIENTPASSWORD@` stand for the File daemon's port and
   * password, for a second Client resource that reaches the same File daemon.
   */
  directorResources?: string;
}

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
  ) {}

  get volumes(): string {
    return join(this.dir, 'volumes');
  }

  get configs(): { dir: string; sd: string; fd: string; console: string } {
    return { dir: join(this.dir, 'etc', 'burrow-dir.conf'), sd: join(this.dir, 'etc', 'burrow-sd.conf'), fd: join(this.dir, 'etc', 'burrow-fd.conf'), console: join(this.dir, 'etc', 'bconsole.conf') };
  }

  static async start(opts: BurrowOptions): Promise<Burrow> {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-e2e-'));
    const ports = { dir: await freePort(), sd: await freePort(), fd: await freePort() };
    const pw = (): string => randomBytes(18).toString('base64');
    const b = new Burrow(dir, ports, { console: pw(), client: pw(), storage: pw() });
    b.writeConfigs(opts);
    try {
      await b.startDaemon('sd', BIN.sd, b.configs.sd);
      await b.startDaemon('fd', BIN.fd, b.configs.fd);
      await b.startDaemon('dir', BIN.dir, b.configs.dir);
    } catch (err) {
      await b.stop();
      throw err;
    }
    return b;
  }

  private writeConfigs(o: BurrowOptions): void {
    const etc = join(this.dir, 'etc');
    mkdirSync(etc, { recursive: true });
    const q = (s: string): string => JSON.stringify(s);
    writeFileSync(this.configs.dir, `
Director { Name = test-dir; DirAddress = 127.0.0.1; DirPort = ${this.ports.dir}; Password = ${q(this.passwords.console)}
  Working Directory = ${q(join(this.dir, 'dir'))}; Pid Directory = ${q(join(this.dir, 'dir'))}; Maximum Concurrent Jobs = 5; Messages = Daemon }
Client { Name = test-fd; Address = 127.0.0.1; FDPort = ${this.ports.fd}; Password = ${q(this.passwords.client)}; Catalog = MyCatalog }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${this.ports.sd}; Password = ${q(this.passwords.storage)}; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "bacula" }
Pool { Name = Full; Pool Type = Backup; ${o.labelFormat === null ? '' : `Label Format = ${q(o.labelFormat ?? 'Vol-')}`}
  ${o.maximumVolumeBytes ? `Maximum Volume Bytes = ${o.maximumVolumeBytes}` : ''} }
FileSet { Name = TestSet
  Include {
    Options { ${(o.options ?? ['Signature = SHA256']).join('\n      ')} }
    ${o.include.map((p) => `File = ${q(p)}`).join('\n    ')}
  }
  ${o.exclude?.length ? `Exclude { ${o.exclude.map((p) => `File = ${q(p)}`).join('\n ')} }` : ''}
}
Job { Name = backup-test; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard
  ${(o.jobDirectives ?? []).join('\n  ')} }
${(o.directorResources ?? '').replaceAll('@FDPORT@', String(this.ports.fd)).replaceAll('@CLIENTPASSWORD@', q(this.passwords.client))}
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Where = ${q(join(this.dir, 'restored'))} }
Messages { Name = Standard; Console = all; Append = ${q(join(this.dir, 'dir', 'log'))} = all; Catalog = all }
Messages { Name = Daemon; Console = all }
`);
    writeFileSync(this.configs.sd, `
Storage { Name = test-sd; SDAddress = 127.0.0.1; SDPort = ${this.ports.sd}; Working Directory = ${q(join(this.dir, 'sd'))}; Pid Directory = ${q(join(this.dir, 'sd'))} }
Director { Name = test-dir; Password = ${q(this.passwords.storage)} }
Device { Name = FileStorage; Media Type = File; Archive Device = ${q(this.volumes)}; Label Media = yes; Random Access = yes }
`);
    writeFileSync(this.configs.fd, `
FileDaemon { Name = test-fd; FDAddress = 127.0.0.1; FDPort = ${this.ports.fd}; Working Directory = ${q(join(this.dir, 'fd'))}; Pid Directory = ${q(join(this.dir, 'fd'))}
  ${(o.fdDirectives ?? []).join('\n  ')} }
Director { Name = test-dir; Password = ${q(this.passwords.client)} }
`);
    writeFileSync(this.configs.console, `Director { Name = test-dir; Address = 127.0.0.1; DIRport = ${this.ports.dir}; Password = ${q(this.passwords.console)} }\n`);
  }

  private async startDaemon(name: string, bin: string, config: string): Promise<void> {
    // BURROW_DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the daemons.
    const nodeArgs = process.env.BURROW_DAEMON_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, bin, '-f', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    const daemon: Daemon = { name, process: child, output: () => output };
    this.daemons.push(daemon);
    await waitFor(() => output.includes('listening on'), 15_000, () => `${name} did not start:\n${output}`, () => child.exitCode !== null);
  }

  /** Runs bconsole with these lines on its standard input. */
  console(lines: string[], configFile = this.configs.console, timeoutMs = 60_000): Promise<ConsoleResult> {
    return runProcess(process.execPath, [BIN.bconsole, '-c', configFile], `${lines.join('\n')}\n`, timeoutMs);
  }

  /** The daemons' logs, for assertion messages. */
  logs(): string {
    return this.daemons.map((d) => `----- ${d.name}\n${d.output()}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.daemons.map((d) => new Promise<void>((resolve) => {
      if (d.process.exitCode !== null || d.process.signalCode !== null) return resolve();
      const timer = setTimeout(() => d.process.kill('SIGKILL'), 5000);
      d.process.once('exit', () => { clearTimeout(timer); resolve(); });
      d.process.kill('SIGTERM');
    })));
    rmSync(this.dir, { recursive: true, force: true });
  }
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
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
