/**
 * Runs one changer script call: the program directly (no shell), in a process group of
 * its own, with its output collected, for at most the Autochanger's Maximum Changer
 * Wait. A call that runs over is killed with its whole group (the script, and the mtx
 * or mt it started, which would otherwise hold the robot), and counts as a failure.
 */
import { spawn } from 'node:child_process';

export interface ScriptResult {
  /** The exit status; null when it did not exit on its own (killed, or never started). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it has no exit status: it could not start, it was killed, it ran over its time. */
  readonly error?: string;
  readonly timedOut: boolean;
}

/** More output than any changer prints (a listall of thousands of slots): the rest is dropped. */
const MAX_OUTPUT = 4 * 1024 * 1024;

export function runScript(argv: readonly string[], o: { timeoutMs: number; signal?: AbortSignal }): Promise<ScriptResult> {
  const [program, ...args] = argv;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let error: string | undefined;
    const child = spawn(program as string, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      error = `no answer within ${Math.round(o.timeoutMs / 1000)} s (Maximum Changer Wait); the script and its children were killed`;
      killGroup();
    }, o.timeoutMs);
    const onAbort = (): void => {
      error ??= 'stopped: the Storage daemon is shutting down';
      killGroup();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 8192) stderr += d.toString('utf8'); });
    let settled = false;
    const done = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (sig && error === undefined) error = `killed by ${sig}`;
      resolve({ exitCode: error === undefined ? code : null, stdout, stderr: stderr.trim(), error, timedOut });
    };
    child.on('error', (err) => {
      error ??= err.message;
      if (child.pid === undefined) done(null, null);
    });
    // After a kill, children outside the group could keep the pipes open: 'exit' is enough then.
    child.on('exit', (code, sig) => { if (error !== undefined) done(code, sig); });
    child.on('close', done);
  });
}
