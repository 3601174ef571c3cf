/** Where the built binaries are, for tests that start them as real processes. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
export const BIN = {
  dir: join(REPO, 'packages', 'director', 'dist', 'main.js'),
  sd: join(REPO, 'packages', 'storage-daemon', 'dist', 'main.js'),
  fd: join(REPO, 'packages', 'file-daemon', 'dist', 'main.js'),
  bconsole: join(REPO, 'packages', 'director', 'dist', 'console', 'bconsole.js'),
  bls: join(REPO, 'packages', 'storage-daemon', 'dist', 'tools', 'bls.js'),
  bscan: join(REPO, 'packages', 'director', 'dist', 'tools', 'bscan.js'),
  bextract: join(REPO, 'packages', 'file-daemon', 'dist', 'tools', 'bextract.js'),
};
/** Burrow's bindir and scriptdir (Bareos's @bindir@ and @scriptdir@): executables a configuration names. */
export const BINDIR = join(REPO, 'packages', 'director', 'bin');
export const SCRIPTDIR = join(REPO, 'packages', 'director', 'scripts');
