// Runs every compiled test: unit tests next to the code (packages/*/dist/**/*.test.js)
// and the end-to-end tests (test/dist/**/*.test.js), with node's own test runner.
// Node 20's --test takes no globs, so the files are found here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');

function find(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) find(join(root, 'packages', pkg, 'dist'), files);
find(join(root, 'test', 'dist'), files);
const only = process.argv.slice(2);
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (chosen.length === 0) {
  console.error('run-tests: no test files found; did the build run?');
  process.exit(1);
}
console.log(`run-tests: ${chosen.length} test files`);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...chosen.map((f) => relative(root, f))], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
