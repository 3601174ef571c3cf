// The property-based tests (test/fuzz/, fast-check) with a long budget: each property
// runs for BURROW_FUZZ_SECONDS (default 60) instead of the few cases `npm test` gives
// it. `npm run fuzz`, or `BURROW_FUZZ_SECONDS=600 npm run fuzz` for a longer run;
// BURROW_FUZZ_SEED=N replays the seed a failure printed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const env = { ...process.env, BURROW_FUZZ_SECONDS: process.env.BURROW_FUZZ_SECONDS || '60' };
console.log(`fuzz: ${env.BURROW_FUZZ_SECONDS} s per property`);
const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), `${join('test', 'dist', 'fuzz')}/`], { cwd: root, stdio: 'inherit', env });
process.exit(result.status ?? 1);
