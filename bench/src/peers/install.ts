/**
 * The peers come from Debian's packages; the suite installs what is missing (it runs as
 * root on a Debian machine) and says plainly when it cannot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BACULA_BINARIES = ['/usr/sbin/bacula-dir', '/usr/sbin/bacula-sd', '/usr/sbin/bacula-fd', '/usr/sbin/bconsole', '/usr/bin/sqlite3'];
// bacula-director-sqlite3 only brings the catalog scripts; bacula-director holds the daemon.
const BACULA_PACKAGES = ['bacula-director', 'bacula-director-sqlite3', 'bacula-sd', 'bacula-fd', 'bacula-console', 'sqlite3'];

function aptInstall(packages: string[]): string | null {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { encoding: 'utf8', env, timeout: 300_000 });
  if (update.status !== 0) return `apt-get update failed (${update.status ?? update.error?.message}): ${update.stderr.slice(-500)}`;
  const install = spawnSync('apt-get', ['install', '-y', ...packages], { encoding: 'utf8', env, timeout: 900_000 });
  if (install.status !== 0) return `apt-get install ${packages.join(' ')} failed (${install.status ?? install.error?.message}): ${install.stderr.slice(-500)}`;
  return null;
}

/** Null when GNU tar and gzip are there; otherwise why not. */
export function ensureTar(): string | null {
  if (existsSync('/usr/bin/tar') && existsSync('/usr/bin/gzip')) return null;
  return aptInstall(['tar', 'gzip']);
}

/** Null when Bacula 9.6's daemons and bconsole are installed (installing them if needed); otherwise why not. */
export function ensureBacula(): string | null {
  const missing = BACULA_BINARIES.filter((b) => !existsSync(b));
  if (missing.length === 0) return null;
  const failed = aptInstall(BACULA_PACKAGES);
  if (failed) return failed;
  const still = BACULA_BINARIES.filter((b) => !existsSync(b));
  return still.length ? `after installing ${BACULA_PACKAGES.join(' ')}, still missing: ${still.join(' ')}` : null;
}

export function baculaVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'bacula-director'], { encoding: 'utf8' });
  return r.stdout.trim() || 'unknown';
}
