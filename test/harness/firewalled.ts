/**
 * One File daemon behind a firewall (netns.ts), a Storage daemon and a Director on the
 * host: the topology of Bareos's firewalled clients. With `client-initiated` nothing may
 * connect into the client's namespace, so the File daemon connects to the Director
 * (Connection From Client To Director) and to the Storage daemon; with `passive` nothing
 * may connect out of it, so the Director connects to the File daemon and the Storage
 * daemon does too (Passive = yes). The daemons start in the order their configurations
 * need: the SD, then for a client-initiated client the Director before the File daemon
 * (which names the Director's port), for the others the File daemon first.
 *
 * Names: the client `fd1` with FileSet `set-fd1` and Job `backup-fd1`, the Storage `sd1`
 * (and any others the test asks for, each a daemon of its own) with Device FileStorage,
 * the Director test-dir, the restore Job RestoreFiles.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleText, directorBase, ownResource, peerDirector, q } from './config-text.js';
import { DaemonSet } from './daemon-set.js';
import { NetNamespace } from './netns.js';

/** Which direction is blocked; `direct`: neither (the link alone, for cutting it: NetNamespace.cut). */
export type FirewallMode = 'client-initiated' | 'passive' | 'direct';

export interface FirewalledOptions {
  readonly mode: FirewallMode;
  /** What the client's FileSet includes, and its Options lines (default Signature = SHA256). */
  readonly include: readonly string[];
  readonly options?: readonly string[];
  /** Extra directives for the Director's Client, its own Director resource, the File daemon's Director resource, the backup Job. */
  readonly clientDirectives?: readonly string[];
  readonly directorDirectives?: readonly string[];
  readonly fdDirectorDirectives?: readonly string[];
  readonly fdDirectives?: readonly string[];
  readonly sdDirectives?: readonly string[];
  readonly jobDirectives?: readonly string[];
  /** Extra resources for the Director's configuration (another restore Job, say). */
  readonly directorResources?: string;
  /** The Storage daemons on the host, each with its Media Type (default: sd1 alone, Media Type File); the Jobs name the first. */
  readonly storages?: ReadonlyArray<{ readonly name: string; readonly mediaType: string }>;
}

const pw = (): string => randomBytes(18).toString('base64');

export class FirewalledClient extends DaemonSet {
  readonly passwords = { console: pw(), client: pw(), storage: pw() };
  readonly ports = new Map<string, number>();

  private constructor(dir: string, readonly ns: NetNamespace, readonly options: FirewalledOptions) {
    super(dir, join(dir, 'etc', 'bconsole.conf'));
  }

  static async start(options: FirewalledOptions): Promise<FirewalledClient> {
    const ns = NetNamespace.create();
    const f = new FirewalledClient(mkdtempSync(join(tmpdir(), 'burrow-firewalled-')), ns, options);
    try {
      mkdirSync(join(f.dir, 'etc'));
      if (options.mode === 'client-initiated') ns.blockIncoming();
      if (options.mode === 'passive') ns.blockOutgoing();
      for (const { name, mediaType } of f.storages) {
        f.writeStorage(name, mediaType);
        await f.spawnDaemon(name, 'sd', f.config(name));
      }
      if (options.mode !== 'client-initiated') await f.startClient();
      f.writeDirector();
      await f.spawnDaemon('dir', 'dir', f.config('dir'));
      writeFileSync(f.consoleConfig, consoleText(f.port('dir'), f.passwords.console, ns.hostAddress));
      if (options.mode === 'client-initiated') await f.startClient();
    } catch (err) {
      await f.stop();
      throw err;
    }
    return f;
  }

  config(name: string): string {
    return join(this.dir, 'etc', `${name}.conf`);
  }

  port(name: string): number {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`${name} does not listen yet`);
    return port;
  }

  get storages(): ReadonlyArray<{ readonly name: string; readonly mediaType: string }> {
    return this.options.storages ?? [{ name: 'sd1', mediaType: 'File' }];
  }

  /** Where a Storage daemon's device writes its volumes. */
  volumes(storage: string): string {
    return join(this.dir, storage, 'volumes');
  }

  get restored(): string {
    return join(this.dir, 'restored');
  }

  protected override listening(name: string, port: number): void {
    this.ports.set(name, port);
  }

  /** The File daemon, in the namespace; its Director resource names the Director's port once it is known. */
  private async startClient(): Promise<void> {
    const dirPort = this.ports.get('dir');
    const dialing = dirPort === undefined ? [] : [`Address = ${this.ns.hostAddress}`, `Port = ${dirPort}`];
    writeFileSync(this.config('fd1'), `
${ownResource({ kind: 'FileDaemon', name: 'fd1', port: 0, workDir: join(this.dir, 'fd1'), directives: this.options.fdDirectives, address: this.ns.innerAddress })}
${peerDirector(this.passwords.client, [...dialing, ...(this.options.fdDirectorDirectives ?? [])])}
`);
    await this.spawnDaemon('fd1', 'fd', this.config('fd1'), undefined, this.ns.prefix);
  }

  private writeStorage(name: string, mediaType: string): void {
    writeFileSync(this.config(name), `
${ownResource({ kind: 'Storage', name, port: 0, workDir: join(this.dir, name), directives: this.options.sdDirectives, address: this.ns.hostAddress })}
${peerDirector(this.passwords.storage)}
Device { Name = FileStorage; Media Type = ${q(mediaType)}; Archive Device = ${q(this.volumes(name))}; Label Media = yes; Random Access = yes }
`);
  }

  private writeDirector(): void {
    const o = this.options;
    // A client-initiated client's port is never used: the Director does not connect to it.
    const fdPort = this.ports.get('fd1') ?? 9102;
    writeFileSync(this.config('dir'), `${directorBase({
      workDir: this.directorWorkDir, password: this.passwords.console, maximumConcurrentJobs: 5, directives: o.directorDirectives, address: this.ns.hostAddress,
    })}
Client { Name = fd1; Address = ${this.ns.innerAddress}; FDPort = ${fdPort}; Password = ${q(this.passwords.client)}; Catalog = MyCatalog
  ${(o.clientDirectives ?? []).join('\n  ')} }
${this.storages.map((s) => `Storage { Name = ${q(s.name)}; Address = ${this.ns.hostAddress}; SDPort = ${this.port(s.name)}; Password = ${q(this.passwords.storage)}; Device = FileStorage; Media Type = ${q(s.mediaType)} }`).join('\n')}
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-" }
FileSet { Name = set-fd1; Include { Options { ${(o.options ?? ['Signature = SHA256']).join('; ')} }
  ${o.include.map((p) => `File = ${q(p)}`).join('\n  ')} } }
Job { Name = backup-fd1; Type = Backup; Level = Full; Client = fd1; FileSet = set-fd1; Storage = ${q(this.storages[0]!.name)}; Pool = Full; Messages = Standard
  ${(o.jobDirectives ?? []).join('\n  ')} }
Job { Name = RestoreFiles; Type = Restore; Client = fd1; FileSet = set-fd1; Storage = ${q(this.storages[0]!.name)}; Pool = Full; Messages = Standard; Where = ${q(this.restored)} }
${o.directorResources ?? ''}
`);
  }

  override async stop(): Promise<void> {
    try {
      await super.stop();
    } finally {
      this.ns.remove();
    }
  }
}
