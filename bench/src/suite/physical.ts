/**
 * What this machine allows for a dataset, measured with the leanest tools it has, so
 * each of Burrow's figures can also be read as a fraction of it (bench/README.md):
 *  - backup shape: read every file of the source, write a file of the same size and
 *    hash the stream with MD5 (`tar -cf - | tee >(md5sum) | dd oflag=direct`: three
 *    processes on the two cores, as Burrow's daemons are). The file is written past the
 *    page cache: written through it, into pages the cache had not used lately, the
 *    writes cost more CPU on a VM whose host takes free memory back than Burrow's
 *    volumes, which reuse their pages (drop-behind), and the "limit" was slower than
 *    Burrow (bench/README.md, step 10);
 *  - restore shape: read that file, hash it, and write the tree back (`md5sum FILE`
 *    beside `tar -xf FILE`).
 * No network, no encryption, no catalog, no per-file digests: a bound, not a peer.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../datasets/generate.js';
import { withFreshRestoreTarget } from '../measure/fresh-fs.js';
import { median, settleDisk, timed } from '../measure/stats.js';

export interface PhysicalLimit { backup: number; restore: number }

function sh(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail; ${script}`, 'limit', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}: ${err.slice(-2000)}`))));
  });
}

export async function physicalLimit(dataset: Dataset, runs: number): Promise<PhysicalLimit> {
  const scratch = mkdtempSync('/tmp/burrow-bench-limit-');
  try {
    const file = join(scratch, 'stream');
    const backups: number[] = [];
    const restores: number[] = [];
    for (let r = 0; r < runs; r++) {
      rmSync(file, { force: true });
      settleDisk();
      backups.push((await timed(() => sh(
        'tar -cf - -C "$1" "$2" | tee >(md5sum > /dev/null) | dd of="$3" bs=1M iflag=fullblock oflag=direct status=none; wait $!',
        [dirname(dataset.root), basename(dataset.root), file],
      ))).seconds);
      restores.push(await withFreshRestoreTarget(dataset, async (dest) => {
        settleDisk();
        return (await timed(() => sh('md5sum "$1" > /dev/null & tar -xf "$1" -C "$2"; wait $!', [file, dest]))).seconds;
      }));
    }
    return { backup: median(backups), restore: median(restores) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
