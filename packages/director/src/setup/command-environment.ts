/**
 * What every command the Director runs finds around it: run scripts, Mail and
 * Operator Commands, `Write Bootstrap = "|command"` pipes, FileSet `|command` lists.
 * They all inherit the Director's process environment and working directory, so the
 * composition root sets these once, before anything runs, instead of each runner
 * passing them:
 *
 * - `BURROW_CONFIG`: the Director's configuration (absolute), so make_catalog_backup
 *   and friends read the same configuration as the Director that ran them (Bareos's
 *   scripts find theirs through /etc/bareos; Burrow's fall back to /etc/burrow).
 * - `PATH` ends with the folder of the node running the Director, so Burrow's own
 *   tools (`#!/usr/bin/env node`) start even when node is not on the system's PATH.
 * - the current directory is the configuration's root (the folder holding
 *   `burrow-dir.d/` or the `.conf` file): a relative program or argument in a command
 *   means what a relative path in any other directive means. Bareos changes to its
 *   Working Directory instead; its stock configurations name every program by an
 *   absolute path, which means the same either way.
 */
import { dirname, resolve } from 'node:path';
import { configRelative } from '@burrow/common/daemon/cli';

export const CONFIG_ENV = 'BURROW_CONFIG';
export const DEFAULT_DIRECTOR_CONFIG = '/etc/burrow/burrow-dir.d';

export function prepareCommandEnvironment(configPath: string): void {
  const config = resolve(configPath);
  process.env[CONFIG_ENV] = config;
  const nodeDir = dirname(process.execPath);
  const path = process.env.PATH ?? '';
  if (!path.split(':').includes(nodeDir)) process.env.PATH = path === '' ? nodeDir : `${path}:${nodeDir}`;
  process.chdir(configRelative(config, '.'));
}
