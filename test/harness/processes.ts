/**
 * Real daemon and tool processes for the end-to-end tests: start a built daemon in the
 * foreground, wait for its "listening" log line (which names the port it got: tests
 * configure port 0 and let the system pick, so parallel runs never race for a port),
 * stop it, and run a program to completion with input and a timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from './paths.js';

/** Which built program a daemon runs. */
export type DaemonProgram = 'dir' | 'sd' | 'fd';

export interface Daemon {
  name: string;
  process: ChildProcess;
  output: () => string;
}

/** A daemon that said it listens, and on which port. */
export interface ListeningDaemon extends Daemon {
  readonly port: number;
}

export interface ConsoleResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Peak resident set (VmHWM) of a live process, in MiB (NaN when /proc does not say). */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
}

/**
 * The Node options a program's first line gives it (`#!/usr/bin/env -S node --opt ...`):
 * the daemons run here as the installed command runs them.
 */
export function shebangNodeArgs(program: string): string[] {
  const first = readFileSync(program, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\/usr\/bin\/env -S node\s+(.*)$/.exec(first);
  return m?.[1]?.split(/\s+/).filter(Boolean) ?? [];
}

/**
 * Spawns a built daemon in the foreground on `config`; see untilListening and stopDaemon.
 * `prefix` runs it through a command that execs it (`ip netns exec NS`: netns.ts), so
 * the child is still the daemon itself.
 */
export function startDaemonProcess(name: string, program: DaemonProgram, config: string, prefix: readonly string[] = []): Daemon {
  // BURROW_DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the daemons.
  const nodeArgs = [...shebangNodeArgs(BIN[program]), ...process.env.BURROW_DAEMON_NODE_ARGS?.split(' ').filter(Boolean) ?? []];
  const argv = [...prefix, process.execPath, ...nodeArgs, BIN[program], '-f', '-c', config];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  return { name, process: child, output: () => output };
}

/**
 * The port of a daemon's "listening on" line (common/daemon/cli.ts serveUntilStopped,
 * a pino JSON record with `port`), or undefined before it is said. With several
 * addresses it is the first socket's port.
 */
export function listeningPort(d: Daemon): number | undefined {
  const line = d.output().split('\n').find((l) => l.includes('listening on '));
  if (line === undefined) return undefined;
  try {
    const port = (JSON.parse(line) as { port?: unknown }).port;
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined; // not a whole line yet
  }
}

/**
 * Resolves with the port once the daemon logs that it listens; rejects with its output
 * if it exits or takes too long. A minute: on the shared machine at a load of 20 a
 * Director has taken more than 15 s to start (the suites of several landings failed so).
 */
export async function untilListening(d: Daemon, timeoutMs = 60_000): Promise<number> {
  await waitFor(() => listeningPort(d) !== undefined, timeoutMs, () => `${d.name} did not start:\n${d.output()}`, () => d.process.exitCode !== null);
  return listeningPort(d)!;
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopDaemon(d: Daemon): Promise<void> {
  return new Promise<void>((resolve) => {
    if (d.process.exitCode !== null || d.process.signalCode !== null) return resolve();
    const timer = setTimeout(() => d.process.kill('SIGKILL'), 5000);
    d.process.once('exit', () => { clearTimeout(timer); resolve(); });
    d.process.kill('SIGTERM');
  });
}

export async function waitFor(cond: () => boolean, timeoutMs: number, describe: () => string, gaveUp: () => boolean = () => false): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until || gaveUp()) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function runProcess(cmd: string, args: string[], input: string, timeoutMs: number): Promise<ConsoleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': 'exit' can come before the pipes are drained, losing output.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
