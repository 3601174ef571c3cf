/**
 * Topologies of many daemons for the end-to-end tests: N File daemons and M Storage
 * daemons around one Director, each with its own generated configuration, all on
 * loopback and on ports the system picks (config-text.ts). The SDs and FDs start
 * STARTING at a time (a daemon's start is mostly loading its modules: half a second of
 * CPU), then the Director, whose configuration names their ports.
 *
 * Names: each client is a File daemon, a Director Client resource and a backup Job
 * `backup-<client>` of its own FileSet `set-<client>`; each Storage daemon is named
 * like its Director Storage resource, with one Device `FileStorage` (Count as the test
 * asks) writing into `<dir>/<storage>/volumes`. The daemons run under those names
 * (`output('fd7')`, `stopNamed('sd1')`), the Director under `dir`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleText, directorBase, ownResource, peerDirector, q } from './config-text.js';
import { DaemonSet } from './daemon-set.js';
import type { ListeningDaemon } from './processes.js';

export interface ClientSpec {
  /** The File daemon's name and its Client resource's. */
  readonly name: string;
  /** What its FileSet includes. */
  readonly include: readonly string[];
  /** Extra directives for the File daemon's own resource. */
  readonly fdDirectives?: readonly string[];
  /** Extra directives for the Director's Client resource (e.g. `Maximum Concurrent Jobs = 2`). */
  readonly clientDirectives?: readonly string[];
}

export interface StorageSpec {
  /** The Storage daemon's name and the Director's Storage resource's. */
  readonly name: string;
  /** Media Type of its device and Storage resource (default File). */
  readonly mediaType?: string;
  /** Extra directives for its Device (e.g. `Count = 4`). */
  readonly deviceDirectives?: readonly string[];
  /** Extra directives for the Storage daemon's own resource. */
  readonly sdDirectives?: readonly string[];
  /** Extra directives for the Director's Storage resource (e.g. `Maximum Concurrent Jobs = 10`). */
  readonly storageDirectives?: readonly string[];
}

export interface TopologyOptions {
  readonly clients: readonly ClientSpec[];
  /** At least one. */
  readonly storages: readonly StorageSpec[];
  /** The Director's Maximum Concurrent Jobs (default 20). */
  readonly maximumConcurrentJobs?: number;
  readonly directorDirectives?: readonly string[];
  /** The backup Jobs' Storage list (default: the first Storage daemon). */
  readonly jobStorage?: readonly string[];
  /** Extra directives for every backup Job. */
  readonly jobDirectives?: readonly string[];
  /** Extra directives for the Pool Full (label format Vol-, where every backup goes). */
  readonly poolDirectives?: readonly string[];
  /** The FileSets' Options lines (default Signature = SHA256). */
  readonly options?: readonly string[];
  /** Extra directives for the Job RestoreFiles (e.g. `Maximum Concurrent Jobs = 10`). */
  readonly restoreDirectives?: readonly string[];
  /**
   * Extra resources for the Director's configuration; `@PORT:name@` and
   * `@PASSWORD:name@` stand for a daemon's port and the Director's password for it
   * (a second Storage resource on the same SD, say).
   */
  readonly directorResources?: string;
}

/** How many daemons start at once: enough to keep two cores busy, few enough that each start is timed on its own. */
const STARTING = 6;
/** A start's time limit: generous, as the machine may be busy with other tests. */
const START_TIMEOUT_MS = 60_000;

interface DaemonEntry {
  readonly program: 'fd' | 'sd';
  readonly config: string;
  /** The Director's password for it. */
  readonly password: string;
}

export class Topology extends DaemonSet {
  /** Each daemon's port, by name (0 until it listens). */
  readonly ports = new Map<string, number>();
  readonly consolePassword = password();
  private readonly entries = new Map<string, DaemonEntry>();

  private constructor(dir: string, readonly options: TopologyOptions) {
    super(dir, join(dir, 'etc', 'bconsole.conf'));
    for (const c of options.clients) this.entries.set(c.name, { program: 'fd', config: join(dir, 'etc', `${c.name}.conf`), password: password() });
    for (const s of options.storages) this.entries.set(s.name, { program: 'sd', config: join(dir, 'etc', `${s.name}.conf`), password: password() });
  }

  static async start(options: TopologyOptions): Promise<Topology> {
    if (options.storages.length === 0) throw new Error('a topology needs a Storage daemon');
    const t = new Topology(mkdtempSync(join(tmpdir(), 'burrow-topology-')), options);
    try {
      mkdirSync(join(t.dir, 'etc'));
      t.writeDaemons();
      const waiting = [...t.entries];
      const starter = async (): Promise<void> => {
        for (let next = waiting.shift(); next; next = waiting.shift()) await t.spawnDaemon(next[0], next[1].program, next[1].config, START_TIMEOUT_MS);
      };
      await Promise.all(Array.from({ length: STARTING }, starter));
      t.writeDaemons(); // each keeps its port when started again
      t.writeDirector();
      await t.spawnDaemon('dir', 'dir', t.directorConfig);
      writeFileSync(t.consoleConfig, consoleText(t.port('dir'), t.consolePassword));
    } catch (err) {
      await t.stop();
      throw err;
    }
    return t;
  }

  get directorConfig(): string {
    return join(this.dir, 'etc', 'burrow-dir.conf');
  }

  /** Where a Storage daemon's device writes its volumes. */
  volumes(storage: string): string {
    return join(this.dir, storage, 'volumes');
  }

  /** Where RestoreFiles writes (the restore Job's Where). */
  get restored(): string {
    return join(this.dir, 'restored');
  }

  port(name: string): number {
    const port = this.ports.get(name);
    if (!port) throw new Error(`no daemon ${name} listens in this topology`);
    return port;
  }

  /** Starts a File or Storage daemon of the topology again (after stopNamed), on the port it had. */
  restart(name: string): Promise<ListeningDaemon> {
    const e = this.entries.get(name);
    if (!e) throw new Error(`no File or Storage daemon ${name} in this topology`);
    return this.spawnDaemon(name, e.program, e.config);
  }

  protected override listening(name: string, port: number): void {
    const again = this.ports.has(name);
    this.ports.set(name, port);
    if (name === 'dir' && again) this.retargetConsole(port);
  }

  private writeDaemons(): void {
    const own = (name: string): number => this.ports.get(name) ?? 0;
    for (const c of this.options.clients) {
      const e = this.entries.get(c.name)!;
      writeFileSync(e.config, `
${ownResource({ kind: 'FileDaemon', name: c.name, port: own(c.name), workDir: join(this.dir, c.name), directives: c.fdDirectives })}
${peerDirector(e.password)}
`);
    }
    for (const s of this.options.storages) {
      const e = this.entries.get(s.name)!;
      writeFileSync(e.config, `
${ownResource({ kind: 'Storage', name: s.name, port: own(s.name), workDir: join(this.dir, s.name), directives: s.sdDirectives })}
${peerDirector(e.password)}
Device { Name = FileStorage; Media Type = ${q(s.mediaType ?? 'File')}; Archive Device = ${q(this.volumes(s.name))}; Label Media = yes; Random Access = yes
  ${(s.deviceDirectives ?? []).join('\n  ')} }
`);
    }
  }

  private writeDirector(): void {
    const o = this.options;
    const storage = (o.jobStorage ?? [o.storages[0]!.name]).join(', ');
    const clients = o.clients.map((c) => `
Client { Name = ${q(c.name)}; Address = 127.0.0.1; FDPort = ${this.port(c.name)}; Password = ${q(this.entries.get(c.name)!.password)}; Catalog = MyCatalog
  ${(c.clientDirectives ?? []).join('\n  ')} }
FileSet { Name = ${q(`set-${c.name}`)}
  Include {
    Options { ${(o.options ?? ['Signature = SHA256']).join('; ')} }
    ${c.include.map((p) => `File = ${q(p)}`).join('\n    ')}
  }
}
Job { Name = ${q(`backup-${c.name}`)}; Type = Backup; Level = Full; Client = ${q(c.name)}; FileSet = ${q(`set-${c.name}`)}; Storage = ${storage}; Pool = Full; Messages = Standard
  ${(o.jobDirectives ?? []).join('\n  ')} }`).join('\n');
    const storages = o.storages.map((s) => `
Storage { Name = ${q(s.name)}; Address = 127.0.0.1; SDPort = ${this.port(s.name)}; Password = ${q(this.entries.get(s.name)!.password)}; Device = FileStorage; Media Type = ${q(s.mediaType ?? 'File')}
  ${(s.storageDirectives ?? []).join('\n  ')} }`).join('\n');
    const first = o.clients[0];
    writeFileSync(this.directorConfig, `${directorBase({
      workDir: this.directorWorkDir, password: this.consolePassword, maximumConcurrentJobs: o.maximumConcurrentJobs ?? 20, directives: o.directorDirectives,
    })}
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-"
  ${(o.poolDirectives ?? []).join('\n  ')} }
${storages}
${clients}
${first ? `Job { Name = RestoreFiles; Type = Restore; Client = ${q(first.name)}; FileSet = ${q(`set-${first.name}`)}; Storage = ${storage}; Pool = Full; Messages = Standard; Where = ${q(this.restored)}
  ${(o.restoreDirectives ?? []).join('\n  ')} }` : ''}
${this.filled(o.directorResources ?? '')}
`);
  }

  /** `text` with `@PORT:name@` and `@PASSWORD:name@` filled in. */
  private filled(text: string): string {
    return text.replace(/@(PORT|PASSWORD):([^@]+)@/g, (_, what: string, name: string) => {
      if (what === 'PORT') return String(this.port(name));
      const e = this.entries.get(name);
      if (!e) throw new Error(`no File or Storage daemon ${name} in this topology`);
      return q(e.password);
    });
  }
}

function password(): string {
  return randomBytes(18).toString('base64');
}
