/**
 * Timing and process figures: the median of repeated runs, and what /proc says about
 * a daemon (peak resident memory, bytes passed through read calls, CPU time).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Writes every dirty page out before a timed run (`sync`), outside its time: each run
 * starts on a disk with nothing left to write from the one before (a dataset just made,
 * another tool's archive, a volume not synced), which would otherwise be written back
 * during it and charged to whichever tool happened to run next.
 */
export function settleDisk(): void {
  execFileSync('sync');
}

/** Seconds a promise took, wall clock. */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/** Peak resident set (VmHWM) of a live process, in MiB: the end-to-end tests' too. */
export { peakRssMiB } from '@burrow/test/harness/processes';

/**
 * Bytes a process has asked read()/pread() for (`rchar`, page cache hits included,
 * sockets too, so an upper bound on volume data read) and bytes it made the block layer
 * fetch (`read_bytes`, zero when the page cache served everything).
 */
export function readCounters(pid: number): { rchar: number; readBytes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  return { rchar: field('rchar'), readBytes: field('read_bytes') };
}

/** User + system CPU seconds a live process has used so far (all its threads). */
export function cpuSeconds(pid: number): number {
  return ticksOf(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of a process's main thread alone (its thread id is its pid): the
 * JavaScript thread, whose load bounds the daemon's throughput however many helper
 * threads (libuv's pool, V8's GC, a digest worker) run beside it.
 */
export function mainThreadCpuSeconds(pid: number): number {
  return ticksOf(`/proc/${pid}/task/${pid}/stat`);
}

function ticksOf(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name may hold spaces, so fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}
