/**
 * What the kill -9 tests (issue 14, "a daemon killed mid-job") share: kill one of the
 * three daemons of a Burrow topology, start it again on its configuration (the SD and
 * FD keep their ports, the Director takes a new one that bconsole follows), wait for
 * a job's final status in the catalog, and list a volume with bls.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { waitFor, type Burrow } from './daemons.js';
import type { JobHolds } from './holds.js';
import { BIN } from './paths.js';

export type Victim = 'sd' | 'fd' | 'dir';
export const VICTIMS: readonly Victim[] = ['sd', 'fd', 'dir'];
export const DAEMON_NAMES: Record<Victim, string> = { sd: 'Storage daemon', fd: 'File daemon', dir: 'Director' };

/** Where in a job the daemon is killed: before its data, amid it, after it. */
export type Point = 'early' | 'mid' | 'end';
export const POINTS: readonly Point[] = ['early', 'mid', 'end'];
export const WHEN: Record<Point, string> = { early: 'early', mid: 'mid-data', end: 'at the end' };
/** Bounded: a killed job is marked failed within this (measured: well under it). */
export const FAILED_WITHIN_MS = 15_000;

/** SIGKILL to the daemon, then forgets it. */
export async function killDaemon(burrow: Burrow, victim: Victim): Promise<void> {
  const daemon = burrow.daemons.find((d) => d.name === victim);
  assert.ok(daemon, `no ${victim} running`);
  daemon.process.kill('SIGKILL');
  await burrow.stopNamed(victim);
}

/** Starts the killed daemon again on its own configuration. */
export async function restartDaemon(burrow: Burrow, victim: Victim): Promise<void> {
  await burrow.spawnDaemon(victim, victim, burrow.configs[victim]);
}

/** The job statuses that are not final (Bareos's running and waiting states). */
const NOT_FINAL = 'CRBFSmMsjcdtpiaLl';

/** A job's final status as the catalog has it, once it has one (within `timeoutMs`); with how long that took. */
export async function finalJobStatus(burrow: Burrow, jobId: number, timeoutMs = 20_000): Promise<{ status: string; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const r = await burrow.console([`llist jobid=${jobId}`]);
    const status = /jobstatus: ([A-Za-z])\n/.exec(r.stdout)?.[1];
    if (status !== undefined && !NOT_FINAL.includes(status)) return { status, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) {
      assert.fail(`JobId ${jobId} has no final status after ${timeoutMs} ms:\n${r.stdout}${r.stderr}\n${burrow.jobLog()}\n${burrow.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Kills `victim` once the job has `reached` its `point`, starts a killed Director again
 * at once (its successor marks the job), and returns the job's final status, checked:
 * T when the SD was killed at the end, after it had told the Director of the session's
 * end (it took nothing with it: the job is committed once the client's hold is
 * released), E or f otherwise. The holds are released before returning.
 */
export async function killAt(burrow: Burrow, o: {
  victim: Victim; point: Point; jobId: number; reached: () => boolean; holds: JobHolds; t: { diagnostic: (msg: string) => void };
}): Promise<string> {
  const { victim, point, jobId } = o;
  try {
    await waitFor(o.reached, 60_000, () => `JobId ${jobId} never reached ${point}:\n${burrow.jobLog()}\n${burrow.logs()}`);
    await killDaemon(burrow, victim);
    if (victim === 'dir') await restartDaemon(burrow, 'dir');
    const endedBeforeKill = victim === 'sd' && point === 'end';
    if (endedBeforeKill) o.holds.release();
    const ended = await finalJobStatus(burrow, jobId, FAILED_WITHIN_MS);
    o.t.diagnostic(`JobId ${jobId}: status ${ended.status} after ${ended.ms} ms`);
    assert.match(ended.status, endedBeforeKill ? /^T$/ : /^[Ef]$/, `JobId ${jobId} ended ${ended.status}:\n${burrow.jobLog()}`);
    return ended.status;
  } finally {
    o.holds.release();
  }
}

/** bls of one volume: its exit code and output. */
export function bls(volumes: string, volume: string, jobsOnly = false): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN.bls, ...(jobsOnly ? ['-j'] : []), '-V', volume, volumes], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
