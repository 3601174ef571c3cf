/** fsx's mallocTrim: free pages between live chunks of the C heap go back to the system. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadBinding } from './binding.js';
import { mallocTrim } from './index.js';

const stale = typeof (loadBinding() as { malloc_trim?: unknown }).malloc_trim !== 'function' && 'the fsx addon predates malloc_trim: rebuild it with `npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`';

function anonMiB(): number {
  const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(m?.[1]) / 1024;
}

test('mallocTrim returns the heap holes that freed Buffers leave', { skip: stale }, async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // One large Buffer freed raises glibc's mmap threshold, so the next ones come from the heap.
  let first: Buffer | null = Buffer.alloc(4 << 20);
  first = null;
  gc();
  const live: Buffer[] = [];
  let holes: Buffer[] = [];
  for (let i = 0; i < 64; i++) {
    holes.push(Buffer.alloc(1 << 20, 1)); // touched, so resident
    live.push(Buffer.alloc(64 << 10, 1)); // keeps each hole from the top of the heap
  }
  holes = [];
  gc();
  await new Promise((r) => setTimeout(r, 50)); // backing stores may be freed after the collection
  const before = anonMiB();
  mallocTrim();
  const after = anonMiB();
  assert.ok(before - after >= 32, `anonymous memory ${before.toFixed(1)} -> ${after.toFixed(1)} MiB: expected at least 32 MiB returned`);
  assert.equal(live.length, 64 + (first === null ? 0 : 1));
});
