/**
 * A profiled Full backup and full restore per dataset: the daemons run with
 * --cpu-prof, and the File and Storage daemons' top self-time functions in each job's
 * time window go to bench/results/profile-latest.md. Separate from the timed runs,
 * because profiling slows the daemons down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBurrow } from '../burrow/system.js';
import type { Dataset } from '../datasets/generate.js';
import { profileMarkdown, profileOf, type Window } from './summary.js';

/** CLOCK_MONOTONIC in µs, the clock V8 stamps its profile samples with. */
function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export async function profileBackups(datasets: Dataset[], resultsDir: string, say: (s: string) => void): Promise<void> {
  const parts = [`# CPU profiles of Burrow's daemons (${new Date().toISOString()})`, ''];
  for (const dataset of datasets) {
    const dir = mkdtempSync('/tmp/burrow-bench-prof-');
    try {
      const system = await startBurrow(dataset.root, 'none', { profileDir: dir });
      const pids = Object.fromEntries(system.daemons().map((d) => [d.name, d.pid]));
      const jobs: Array<{ title: string; window: Window }> = [];
      try {
        let start = nowUs();
        const backup = await system.backup('Full');
        jobs.push({ title: `Full backup, no compression, ${backup.seconds.toFixed(2)} s with profiling`, window: { fromUs: start, toUs: nowUs() } });
        start = nowUs();
        const restore = await system.restore(backup.jobId, join(dir, 'restored'));
        jobs.push({ title: `full restore, ${restore.seconds.toFixed(2)} s with profiling`, window: { fromUs: start, toUs: nowUs() } });
      } finally {
        await system.stop(); // the profiles are written as the daemons exit
      }
      for (const job of jobs) {
        parts.push(`## ${dataset.name}: ${job.title}`, '');
        for (const name of ['burrow-fd', 'burrow-sd']) {
          const file = profileOf(dir, pids[name] ?? -1);
          parts.push(file ? profileMarkdown(name, file, job.window) : `#### ${name}\n\nno profile was written\n`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const out = join(resultsDir, 'profile-latest.md');
  writeFileSync(out, `${parts.join('\n')}\n`);
  say(`profile summary in ${out}`);
}
