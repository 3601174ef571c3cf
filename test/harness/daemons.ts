/**
 * Starts a real Director, Storage daemon and File daemon (the built binaries) on
 * loopback with temporary configurations, and drives them with the real bconsole.
 * Each daemon listens on port 0 and the harness reads the port it got from its
 * "listening" log line (processes.ts), starting them in the order their configurations
 * need: SD and FD first, then the Director that names their ports, then bconsole's
 * file. Timeouts print what the daemons said; everything is tidied up. For several
 * clients or Storage daemons, see topology.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleText, directorBase, ownResource, peerDirector, q } from './config-text.js';
import { DaemonSet } from './daemon-set.js';

export { listeningPort, runProcess, startDaemonProcess, stopDaemon, untilListening, waitFor } from './processes.js';
export type { ConsoleResult, Daemon, DaemonProgram, ListeningDaemon } from './processes.js';

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
   * `@WORKDIR@` for the Director's Working Directory (where its catalog is), `@ETCDIR@` for
   * the folder of the daemons' configurations.
   */
  directorResources?: string;
  /** Extra resources for the Storage daemon's configuration (e.g. a second, Monitor, Director). */
  sdResources?: string;
  /** Extra directives for the Storage daemon's own (Storage) resource (e.g. `TLS Enable = no`). */
  sdDirectives?: string[];
  /** Extra resources for the File daemon's configuration. */
  fdResources?: string;
  /** Extra directives for the File daemon's Director resource (test-dir; e.g. `Maximum Bandwidth Per Job = 300 kb/s`). */
  fdDirectorDirectives?: string[];
  /** A command the File daemon is started through, which execs it (e.g. setpriv with a capability set). */
  fdPrefix?: readonly string[];
}

/** The configuration (file or directory) each program reads. */
export interface DaemonConfigs {
  dir: string;
  sd: string;
  fd: string;
  console: string;
}

/** The ports the three daemons got (0 until each listens). */
export interface TopologyPorts {
  dir: number;
  sd: number;
  fd: number;
}

/** A topology written elsewhere (e.g. the stock trees of stock.ts): where its configs are, its passwords, how to write them. */
export interface PreparedTopology {
  /** A temporary directory owned by the run: removed by stop(). */
  dir: string;
  configs: DaemonConfigs;
  passwords: { console: string; client: string; storage: string };
  /**
   * Writes every configuration for these ports. Called before each start, as the ports
   * become known (0 for those not yet): the SD's and FD's own port directive should
   * name their port (0 before the first start, theirs after, so a restart keeps it),
   * the Director's own port should stay 0, and every peer's port the one given.
   */
  write(ports: Readonly<TopologyPorts>): void;
}

export class Burrow extends DaemonSet {
  /** The port each daemon got; `dir` follows the Director when it is started again. */
  readonly ports: TopologyPorts = { dir: 0, sd: 0, fd: 0 };

  private constructor(
    dir: string,
    readonly passwords: { console: string; client: string; storage: string },
    readonly configs: DaemonConfigs,
    private readonly write: (ports: Readonly<TopologyPorts>) => void,
    private readonly fdPrefix?: readonly string[],
  ) {
    super(dir, configs.console);
  }

  get volumes(): string {
    return join(this.dir, 'volumes');
  }

  /** The one-client topology this harness writes itself, shaped by `opts`. */
  static async start(opts: BurrowOptions): Promise<Burrow> {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-e2e-'));
    const pw = (): string => randomBytes(18).toString('base64');
    const etc = join(dir, 'etc');
    const configs = { dir: join(etc, 'burrow-dir.conf'), sd: join(etc, 'burrow-sd.conf'), fd: join(etc, 'burrow-fd.conf'), console: join(etc, 'bconsole.conf') };
    const passwords = { console: pw(), client: pw(), storage: pw() };
    const b: Burrow = new Burrow(dir, passwords, configs, (ports) => writeConfigs(b, opts, ports), opts.fdPrefix);
    await b.startAll();
    return b;
  }

  /** Starts the three daemons from configurations written by the caller. */
  static async startPrepared(t: PreparedTopology): Promise<Burrow> {
    const b = new Burrow(t.dir, t.passwords, t.configs, (ports) => t.write(ports));
    await b.startAll();
    return b;
  }

  /** SD and FD first, whose ports the Director's configuration names, then the Director, whose port bconsole's names. */
  private async startAll(): Promise<void> {
    try {
      this.write(this.ports);
      await this.spawnDaemon('sd', 'sd', this.configs.sd);
      await this.spawnDaemon('fd', 'fd', this.configs.fd, undefined, this.fdPrefix);
      this.write(this.ports);
      await this.spawnDaemon('dir', 'dir', this.configs.dir);
      this.write(this.ports);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  protected override listening(name: string, port: number): void {
    if (name !== 'dir' && name !== 'sd' && name !== 'fd') return;
    const again = this.ports[name] !== 0;
    this.ports[name] = port;
    if (name === 'dir' && again) this.retargetConsole(port);
  }
}

/** The configurations of Burrow.start's topology. */
function writeConfigs(b: Burrow, o: BurrowOptions, ports: Readonly<TopologyPorts>): void {
  mkdirSync(join(b.dir, 'etc'), { recursive: true });
  writeFileSync(b.configs.dir, `${directorBase({
    workDir: b.directorWorkDir, password: b.passwords.console, maximumConcurrentJobs: 5,
    directives: o.directorDirectives, daemonMessages: o.daemonMessages,
  })}
Client { Name = test-fd; Address = 127.0.0.1; FDPort = ${ports.fd}; Password = ${q(b.passwords.client)}; Catalog = MyCatalog
  ${(o.clientDirectives ?? []).join('\n  ')} }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${ports.sd}; Password = ${q(b.passwords.storage)}; Device = FileStorage; Media Type = File
  ${(o.storageDirectives ?? []).join('\n  ')} }
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
${(o.directorResources ?? '').replaceAll('@FDPORT@', String(ports.fd)).replaceAll('@CLIENTPASSWORD@', q(b.passwords.client)).replaceAll('@WORKDIR@', b.directorWorkDir).replaceAll('@ETCDIR@', join(b.dir, 'etc'))
    .replaceAll('@SDPORT@', String(ports.sd)).replaceAll('@SDPASSWORD@', q(b.passwords.storage))}
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Where = ${q(join(b.dir, 'restored'))} }
`);
  writeFileSync(b.configs.sd, `
${ownResource({ kind: 'Storage', name: 'test-sd', port: ports.sd, workDir: join(b.dir, 'sd'), directives: o.sdDirectives })}
${peerDirector(b.passwords.storage)}
Device { Name = FileStorage; Media Type = File; Archive Device = ${q(b.volumes)}; Label Media = ${o.labelMedia === false ? 'no' : 'yes'}; Random Access = yes
  ${(o.deviceDirectives ?? []).join('\n  ')} }
${o.sdResources ?? ''}
`);
  writeFileSync(b.configs.fd, `
${ownResource({ kind: 'FileDaemon', name: 'test-fd', port: ports.fd, workDir: join(b.dir, 'fd'), directives: o.fdDirectives })}
${peerDirector(b.passwords.client, o.fdDirectorDirectives)}
${o.fdResources ?? ''}
`);
  writeFileSync(b.configs.console, consoleText(ports.dir, b.passwords.console));
}
