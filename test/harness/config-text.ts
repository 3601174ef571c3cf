/**
 * Pieces of configuration text both harness topologies write (daemons.ts's one client,
 * topology.ts's many): the Director's own resource, catalog and Messages, and bconsole's
 * file. Every daemon the harness configures listens on port 0 (fields.ts listenPort)
 * and tells its port in its log line, so only the peers' ports are ever filled in.
 */
import { join } from 'node:path';

/** A configuration string, quoted (JSON's escapes are the parser's). */
export const q = (s: string): string => JSON.stringify(s);

export interface DirectorText {
  /** The Director's Working Directory, where its catalog and the job log are. */
  workDir: string;
  password: string;
  maximumConcurrentJobs: number;
  directives?: readonly string[];
  /** Extra destinations of its Daemon Messages (e.g. an audit log). */
  daemonMessages?: readonly string[];
  /** Where it listens (default 127.0.0.1). */
  address?: string;
}

/**
 * The Director `test-dir` (on port 0), its catalog, and two Messages: Standard for
 * jobs (to the console, the catalog and `<workDir>/log`, which DaemonSet.jobLog reads)
 * and Daemon for its own.
 */
export function directorBase(o: DirectorText): string {
  return `
Director { Name = test-dir; DirAddress = ${o.address ?? '127.0.0.1'}; DirPort = 0; Password = ${q(o.password)}
  Working Directory = ${q(o.workDir)}; Pid Directory = ${q(o.workDir)}; Maximum Concurrent Jobs = ${o.maximumConcurrentJobs}; Messages = Daemon
  ${(o.directives ?? []).join('\n  ')} }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "bacula" }
Messages { Name = Standard; Console = all; Append = ${q(join(o.workDir, 'log'))} = all; Catalog = all }
Messages { Name = Daemon; Console = all
  ${(o.daemonMessages ?? []).join('\n  ')} }
`;
}

/** bconsole's configuration for the Director test-dir at this port. */
export function consoleText(port: number, password: string, address = '127.0.0.1'): string {
  return `Director { Name = test-dir; Address = ${address}; DIRport = ${port}; Password = ${q(password)} }\n`;
}

/** The Director resource of a File or Storage daemon's configuration: test-dir with this password (and more directives). */
export function peerDirector(password: string, directives: readonly string[] = []): string {
  return `Director { Name = test-dir; Password = ${q(password)}${directives.map((d) => `; ${d}`).join('')} }`;
}

/**
 * A File or Storage daemon's own resource, on `address` (default 127.0.0.1) at `port`
 * (0 before its first start, its own port after, so a restart keeps it), working in `workDir`.
 */
export function ownResource(o: { kind: 'FileDaemon' | 'Storage'; name: string; port: number; workDir: string; directives?: readonly string[]; address?: string }): string {
  const [address, port] = o.kind === 'FileDaemon' ? ['FDAddress', 'FDPort'] : ['SDAddress', 'SDPort'];
  return `${o.kind} { Name = ${q(o.name)}; ${address} = ${o.address ?? '127.0.0.1'}; ${port} = ${o.port}; ${workDirectives(o.workDir)}
  ${(o.directives ?? []).join('\n  ')} }`;
}

/** Working and Pid Directory directives for a daemon's own resource. */
export function workDirectives(dir: string): string {
  return `Working Directory = ${q(dir)}; Pid Directory = ${q(dir)}`;
}
