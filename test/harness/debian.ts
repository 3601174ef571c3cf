/**
 * Debian packages a test needs, installed with apt-get when missing (the suite
 * installs what it uses: a new machine has only what the project's files bring).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Installs `pkg` unless `program` (the path it brings) is already there. */
export function ensureDebianPackage(program: string, pkg: string): void {
  if (existsSync(program)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', pkg]]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env, timeout: 900_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr.slice(-500)}`);
  }
}
