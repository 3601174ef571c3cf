/**
 * The benchmark's datasets, made deterministically under bench/data/ (git-ignored):
 *  - small: 50,000 files of 1-16 KiB in a 3-level tree, half compressible;
 *  - large: 2 GiB in 4 files (two random, two compressible), plus zz-needle.txt (saved last), the one
 *    small file the one-file restore brings back (positioning, not streaming);
 *  - mixed: a copy of a real system tree (/usr/share) with its links.
 * Quick mode makes smaller versions in their own folders. A dataset is rebuilt only when
 * its recorded recipe differs from the wanted one.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { compressibleText, RandomStream } from './content.js';

export interface Dataset {
  name: 'small' | 'large' | 'mixed' | 'tree';
  /** The folder the backups take. */
  root: string;
  files: number;
  bytes: number;
  /** For `large`: the file the one-file restore brings back. */
  needle?: string;
}

export interface DatasetSizes {
  smallFiles: number;
  largeBytes: number;
  /** Folders copied for `mixed`. */
  mixedSources: string[];
  /** Files of the synthetic job whose restore selection is timed (the target is about 1M). */
  treeFiles: number;
  /** The two sizes of the empty-file tree whose backups' memory is compared (suite/memory.ts). */
  memoryTrees: readonly [number, number];
  /** Clients backing up at once, and the MiB each backs up (suite/many-clients.ts). */
  manyClients: { clients: number; mib: number };
}

export const FULL_SIZES: DatasetSizes = { smallFiles: 50_000, largeBytes: 2 * 1024 ** 3, mixedSources: ['/usr/share'], treeFiles: 1_000_000, memoryTrees: [100_000, 1_000_000], manyClients: { clients: 50, mib: 20 } };
export const QUICK_SIZES: DatasetSizes = { smallFiles: 2_000, largeBytes: 32 * 1024 ** 2, mixedSources: ['/usr/share/perl'], treeFiles: 100_000, memoryTrees: [10_000, 100_000], manyClients: { clients: 5, mib: 4 } };

const CHUNK = 4 * 1024 * 1024;

function prepared(dir: string, recipe: string, make: (root: string) => Omit<Dataset, 'name' | 'root'>): Omit<Dataset, 'name' | 'root'> {
  const stamp = join(dir, 'recipe.json');
  const root = join(dir, 'tree');
  if (existsSync(stamp)) {
    const saved = JSON.parse(readFileSync(stamp, 'utf8')) as { recipe: string; made: Omit<Dataset, 'name' | 'root'> };
    if (saved.recipe === recipe) return saved.made;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const made = make(root);
  writeFileSync(stamp, JSON.stringify({ recipe, made }));
  return made;
}

/** Where file `i` of `small` lives: 3 levels of 10 x 10 x 10 folders, files spread evenly. */
export function smallPath(root: string, i: number): string {
  return join(root, `d${i % 10}`, `e${Math.floor(i / 10) % 10}`, `f${Math.floor(i / 100) % 10}`, `file-${i}.dat`);
}

export function smallDataset(dataDir: string, files: number): Dataset {
  const dir = join(dataDir, `small-${files}`);
  const made = prepared(dir, `small v1 ${files}`, (root) => {
    const random = new RandomStream('small');
    const text = compressibleText(new RandomStream('small-text'), 1024 * 1024);
    let bytes = 0;
    for (let i = 0; i < files; i++) {
      const path = smallPath(root, i);
      if (i < 1000) mkdirSync(join(path, '..'), { recursive: true });
      const size = random.int(1024, 16 * 1024);
      const body = i % 2 === 0 ? text.subarray(i % (text.length - size), i % (text.length - size) + size) : random.bytes(size);
      writeFileSync(path, body);
      bytes += size;
    }
    return { files, bytes };
  });
  return { name: 'small', root: join(dir, 'tree'), ...made };
}

export function largeDataset(dataDir: string, totalBytes: number): Dataset {
  const dir = join(dataDir, `large-${totalBytes}`);
  const made = prepared(dir, `large v2 ${totalBytes}`, (root) => {
    const random = new RandomStream('large');
    const text = compressibleText(new RandomStream('large-text'), CHUNK);
    const each = totalBytes / 4;
    for (let f = 0; f < 4; f++) {
      const compressible = f % 2 === 1;
      const fd = openSync(join(root, `part-${f}.${compressible ? 'txt' : 'bin'}`), 'w');
      try {
        // The text repeats every 4 MiB, far beyond gzip's 32 KiB window, so it still
        // compresses like text rather than like a repeated block.
        for (let done = 0; done < each; done += CHUNK) {
          const n = Math.min(CHUNK, each - done);
          writeSync(fd, compressible ? text.subarray(0, n) : random.bytes(n));
        }
      } finally {
        closeSync(fd);
      }
    }
    // Named to sort after the parts: the walker saves a directory's entries in name
    // order, so the needle is the job's last file and a restore of it must position.
    writeFileSync(join(root, 'zz-needle.txt'), compressibleText(new RandomStream('needle'), 4096));
    return { files: 5, bytes: totalBytes + 4096, needle: join(root, 'zz-needle.txt') };
  });
  return { name: 'large', root: join(dir, 'tree'), ...made };
}

export function mixedDataset(dataDir: string, sources: string[]): Dataset {
  const dir = join(dataDir, `mixed-${sources.map((s) => s.replaceAll('/', '_')).join('+')}`);
  const made = prepared(dir, `mixed v1 ${sources.join(' ')}`, (root) => {
    for (const src of sources) {
      // cp -a keeps symlinks, hard links, modes, owners and times.
      const r = spawnSync('cp', ['-a', src, join(root, src.replaceAll('/', '_'))], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`copying ${src} failed: ${r.stderr}`);
    }
    const du = spawnSync('du', ['-sb', root], { encoding: 'utf8' });
    const count = spawnSync('sh', ['-c', `find "${root}" | wc -l`], { encoding: 'utf8' });
    return { files: Number(count.stdout.trim()), bytes: Number(du.stdout.split('\t')[0]) };
  });
  return { name: 'mixed', root: join(dir, 'tree'), ...made };
}

/**
 * Changes 1% of a tree's regular files (every hundredth, shifted by `round`) with new
 * bytes of the same size, so an incremental has the same work each round.
 */
export function changeOnePercent(files: readonly string[], round: number): number {
  const random = new RandomStream(`change-${round}`);
  let changed = 0;
  for (let i = round % 100; i < files.length; i += 100) {
    const f = files[i];
    if (f === undefined) continue;
    const size = readFileSync(f).length;
    writeFileSync(f, random.bytes(size));
    changed++;
  }
  return changed;
}

/**
 * `files` empty files, 1,000 to a directory: a tree where only the number of entries
 * grows, for the daemons' memory at 100,000 files against 1,000,000 (suite/memory.ts).
 */
export function treeDataset(dataDir: string, files: number): Dataset {
  const dir = join(dataDir, `tree-${files}`);
  const made = prepared(dir, `tree v1 ${files}`, (root) => {
    for (let i = 0; i < files; i++) {
      const sub = join(root, `d${Math.floor(i / 1000)}`);
      if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
      closeSync(openSync(join(sub, `e${i % 1000}`), 'w'));
    }
    return { files, bytes: 0 };
  });
  return { name: 'tree', root: join(dir, 'tree'), ...made };
}
