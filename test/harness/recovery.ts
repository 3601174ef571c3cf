/**
 * Helpers of the recovery tests (test/e2e/recovery-*.test.ts, bextract.test.ts): the
 * offline tools run as processes, console lines that must end as expected, and the
 * tidying up of a run and its scratch folders.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Burrow, ConsoleResult } from './daemons.js';
import { compareTrees } from './compare.js';

/** Runs a built tool (BIN.bextract, BIN.bscan...) to its end. */
export function runTool(bin: string, args: string[]): ConsoleResult {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Console lines run to their end (wait, messages) whose output must match `what`; returns it. */
export function expectingConsole(burrow: Burrow): (lines: string[], what: RegExp) => Promise<string> {
  return async (lines, what) => {
    const r = await burrow.console([...lines, 'wait', 'messages']);
    assert.match(r.stdout, what, `${r.stdout}\n${burrow.logs()}`);
    return r.stdout;
  };
}

/** Stops the daemons and removes the folders when the test ends, whatever happened. */
export function tidyUp(t: { after: (fn: () => Promise<void>) => void }, burrow: Burrow, folders: string[], more?: () => void): void {
  t.after(async () => {
    await burrow.stop();
    more?.();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });
}

/**
 * Puts a tmpfs of `size` (mount's size=, "2m") under the Storage daemon's volumes, for
 * the full-disk tests; when the test ends the daemons stop (before the disk goes), the
 * tmpfs is unmounted and `folders` removed. False, with the daemons stopped and the
 * folders gone, when no tmpfs can be mounted here (it needs root): the test skips then.
 */
export async function tinyVolumeDisk(t: { after: (fn: () => Promise<void>) => void }, burrow: Burrow, size: string, folders: string[]): Promise<boolean> {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', burrow.volumes], { stdio: 'ignore' });
  } catch {
    await burrow.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
    return false;
  }
  t.after(async () => {
    for (const d of ['dir', 'fd', 'sd']) await burrow.stopNamed(d);
    execFileSync('umount', [burrow.volumes]);
    await burrow.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });
  return true;
}

type Expecting = ReturnType<typeof expectingConsole>;
const RESTORE_OK = /Termination:\s+Restore OK\n/;

/** Restores each job whole to `out/before-<JobId>`, for restoresAsBefore to compare with after the loss. */
export async function restoreBefore(ok: Expecting, out: string, jobs: readonly number[]): Promise<void> {
  for (const id of jobs) await ok([`restore client=test-fd jobid=${id} all yes where=${join(out, `before-${id}`)}`], RESTORE_OK);
}

/**
 * After the recovery: each job's restore is byte-identical to its restore before the
 * loss (restoreBefore), and the current state of `src` restores whole.
 */
export async function assertRestoresAsBefore(ok: Expecting, o: { out: string; src: string; jobs: readonly number[] }): Promise<void> {
  for (const id of o.jobs) {
    const where = join(o.out, `after-${id}`);
    await ok([`restore client=test-fd jobid=${id} all yes where=${where}`], RESTORE_OK);
    assert.deepEqual(compareTrees(join(o.out, `before-${id}`, o.src), join(where, o.src)), [], `JobId ${id}`);
  }
  const current = join(o.out, 'current');
  await ok([`restore client=test-fd select current all done yes where=${current}`], RESTORE_OK);
  assert.deepEqual(compareTrees(o.src, join(current, o.src)), []);
}
