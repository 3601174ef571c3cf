/**
 * A profiled Full backup per dataset: the daemons run with --cpu-prof, and the File
 * and Storage daemons' top self-time functions go to bench/results/profile-latest.md.
 * Separate from the timed runs, because profiling slows the daemons down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBurrow } from '../burrow/system.js';
import type { Dataset } from '../datasets/generate.js';
import { profileMarkdown, profileOf } from './summary.js';

export async function profileBackups(datasets: Dataset[], resultsDir: string, say: (s: string) => void): Promise<void> {
  const parts = [`# CPU profiles of Burrow's daemons (${new Date().toISOString()})`, ''];
  for (const dataset of datasets) {
    const dir = mkdtempSync('/tmp/burrow-bench-prof-');
    try {
      const system = await startBurrow(dataset.root, 'none', dir);
      const pids = Object.fromEntries(system.daemons().map((d) => [d.name, d.pid]));
      let seconds = 0;
      try {
        seconds = (await system.backup('Full')).seconds;
      } finally {
        await system.stop(); // the profiles are written as the daemons exit
      }
      parts.push(`## ${dataset.name}: Full backup, no compression, ${seconds.toFixed(2)} s with profiling`, '');
      for (const name of ['burrow-fd', 'burrow-sd']) {
        const file = profileOf(dir, pids[name] ?? -1);
        parts.push(file ? profileMarkdown(name, file) : `#### ${name}\n\nno profile was written\n`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const out = join(resultsDir, 'profile-latest.md');
  writeFileSync(out, `${parts.join('\n')}\n`);
  say(`profile summary in ${out}`);
}
