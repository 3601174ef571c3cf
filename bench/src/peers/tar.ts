/**
 * GNU tar as the peer: archives of a dataset (plain, gzip -6, gzip -1), GNU incremental
 * archives (--listed-incremental) and extraction, timed as whole processes.
 */
import { spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { timed } from '../measure/stats.js';
import type { Compression } from './tool.js';

/** tar -czf is gzip -6; tar's fastest is gzip -1 (Burrow's fastest is LZ4). */
const COMPRESS_ARGS: Record<Compression, string[]> = { none: [], GZIP6: ['-z'], fastest: ['-I', 'gzip -1'] };
export const TAR_NAMES: Record<Compression, string> = { none: 'tar -cf', GZIP6: 'tar -czf', fastest: "tar -I 'gzip -1' -cf" };

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Archives `root` (as its base name, relative to its parent) into `archive`. */
export async function tarCreate(root: string, archive: string, compression: Compression, snapshot?: string): Promise<number> {
  const incremental = snapshot ? [`--listed-incremental=${snapshot}`] : [];
  return (await timed(() => run([...COMPRESS_ARGS[compression], ...incremental, '-cf', archive, '-C', dirname(root), basename(root)]))).seconds;
}

/** Extracts an archive (all of it, or the named members) under `dest`; as root tar keeps owners and modes. */
export async function tarExtract(archive: string, dest: string, members: string[] = []): Promise<number> {
  const one = members.length ? ['--occurrence=1'] : [];
  return (await timed(() => run(['-xf', archive, '-C', dest, ...one, ...members]))).seconds;
}
