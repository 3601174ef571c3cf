/**
 * Where each timed restore writes: a fresh ext4 file system, loop-mounted over a sparse
 * file, made for that one run and thrown away after it.
 *
 * Why not a folder under /tmp, deleted after each run: ext4 does not reuse an inode freed
 * in the last minute (five minutes while its inode-table block is still dirty); the
 * allocator steps over each such inode and reads its table block to find out
 * (`recently_deleted()` under `find_inode_bit()`). A run that follows the deletion of
 * the previous run's tens of thousands of files spends most of its time there, in the
 * kernel, and each run more than the one before: on 2026-12-07 Burrow's three `small`
 * restores took 4.4, 20.9 and 39.1 s, Bacula's after them 44-51 s, and `perf` on a
 * `tar -xf` showed 75% of its samples under `recently_deleted()`. The figure then
 * depended on which tool happened to run after which deletion. A new file system per
 * run gives every tool the same empty disk.
 *
 * The loop device reads and writes its backing file with direct I/O, so the restored
 * data is cached once (by the mounted file system), as on a disk of its own.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../datasets/generate.js';

export interface RestoreTarget {
  /** An empty folder to restore into. */
  readonly dir: string;
  /** Unmounts and deletes everything the target holds. */
  dispose(): void;
}

const MiB = 1024 * 1024;

/** Room for the dataset, its metadata blocks and the journal; the file stays sparse. */
function imageBytes(dataset: Pick<Dataset, 'bytes' | 'files'>): number {
  const bytes = Math.ceil(dataset.bytes * 1.3) + dataset.files * 8192 + 512 * MiB;
  return Math.ceil(bytes / MiB) * MiB;
}

let warned = false;

/** A folder on the ordinary /tmp, for machines where a loop mount cannot be made. */
function plainFolder(why: string): RestoreTarget {
  if (!warned) {
    warned = true;
    console.error(`[bench] restores go to folders under /tmp (${why}): runs after the first pay for the inodes the previous one freed (see bench/src/measure/fresh-fs.ts)`);
  }
  const dir = mkdtempSync('/tmp/burrow-bench-restore-');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A fresh, empty ext4 file system big enough to restore `dataset` into. */
export function freshRestoreTarget(dataset: Pick<Dataset, 'bytes' | 'files'>): RestoreTarget {
  if (process.getuid?.() !== 0) return plainFolder('not root: no loop mount');
  const base = mkdtempSync('/tmp/burrow-bench-fs-');
  const image = join(base, 'image');
  const mountPoint = join(base, 'mnt');
  let loopDevice: string | null = null;
  let mounted = false;
  const dispose = (): void => {
    if (mounted) run('umount', [mountPoint]);
    if (loopDevice) run('losetup', ['--detach', loopDevice]);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    const fd = openSync(image, 'w');
    try { ftruncateSync(fd, imageBytes(dataset)); } finally { closeSync(fd); }
    // Inode tables and journal written now, not by a kernel thread during the timed run.
    run('mkfs.ext4', ['-q', '-F', '-m', '0', '-N', String(dataset.files * 2 + 16_384), '-E', 'lazy_itable_init=0,lazy_journal_init=0,nodiscard', image]);
    loopDevice = run('losetup', ['--find', '--show', '--direct-io=on', image]);
    mkdirSync(mountPoint);
    run('mount', ['-t', 'ext4', loopDevice, mountPoint]);
    mounted = true;
    return { dir: mountPoint, dispose };
  } catch (err) {
    try { dispose(); } catch { /* the first error says more */ }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return plainFolder(`no loop-mounted ext4: ${message}`);
  }
}

/** Runs `work` with a fresh restore target, disposed of afterwards whatever happens. */
export async function withFreshRestoreTarget<T>(dataset: Pick<Dataset, 'bytes' | 'files'>, work: (dir: string) => Promise<T>): Promise<T> {
  const target = freshRestoreTarget(dataset);
  try {
    return await work(target.dir);
  } finally {
    target.dispose();
  }
}
