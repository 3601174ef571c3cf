/**
 * Named consoles for tests, and the restricted console "alice", limited to her own
 * client (alice-fd, the same File daemon as test-fd under a second Client resource)
 * and her own job.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Burrow } from './daemons.js';
import type { DaemonSet } from './daemon-set.js';

/** Director resources for alice: her Client, her Job and her Console with these commands. */
export function aliceResources(allowedWhere: string, commands: readonly string[]): string {
  return `
Client { Name = alice-fd; Address = 127.0.0.1; FDPort = @FDPORT@; Password = @CLIENTPASSWORD@ }
Job { Name = alice-backup; Type = Backup; Level = Full; Client = alice-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard }
Console { Name = alice; Password = "alice-secret"
  JobACL = alice-backup, RestoreFiles; ClientACL = alice-fd; StorageACL = File; PoolACL = Full; FileSetACL = TestSet
  CatalogACL = *all*; WhereACL = "${allowedWhere}"
  CommandACL = ${commands.join(', ')} }`;
}

/** A bconsole configuration that logs in as alice; returns its path. */
export function aliceConsoleConfig(burrow: Burrow): string {
  return namedConsoleConfig(burrow, 'alice', 'alice-secret');
}

/**
 * A bconsole configuration that logs in as the named Console, to the Director the
 * topology's own console file names (without its password); returns its path.
 */
export function namedConsoleConfig(set: DaemonSet, name: string, password: string): string {
  const director = readFileSync(set.consoleConfig, 'utf8').replace(/Password\s*=\s*"(?:[^"\\]|\\.)*"/i, 'Password = "unused"');
  const file = join(set.dir, 'etc', `${name}.conf`);
  writeFileSync(file, `${director.trimEnd()}\nConsole { Name = ${JSON.stringify(name)}; Password = ${JSON.stringify(password)} }\n`);
  return file;
}
