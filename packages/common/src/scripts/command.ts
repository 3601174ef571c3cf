/**
 * Running an administrator's command (run scripts, both on the Director and on a
 * client): split into program and arguments the way Bareos does — words, with single
 * or double quotes to keep spaces — and executed directly, never through a shell, so
 * substituted values (client names, file names) cannot inject shell syntax. Its
 * output comes back line by line for the job log.
 */
import { spawn } from 'node:child_process';
import { BurrowError } from '../errors/index.js';

export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new BurrowError('BAD_REQUEST', `unterminated ${quote} quote in command: ${command}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new BurrowError('BAD_REQUEST', 'empty command');
  return words;
}

export interface CommandResult {
  exitCode: number | null;
  /** Set when the command could not be started or was killed. */
  error?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  onLine: (line: string) => void;
  /** Written to the command's standard input (a mail body); none when absent. */
  input?: string;
}

/** Runs the command to its end; `onLine` receives stdout and stderr lines as they come. */
export function runCommand(command: string, opts: RunOptions): Promise<CommandResult> {
  const [program, ...args] = splitCommand(command);
  return new Promise((resolve) => {
    const child = spawn(program as string, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], signal: opts.signal });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // A command that does not read its input is fine.
      child.stdin.end(opts.input);
    }
    const lineReader = (): ((chunk: Buffer) => void) => {
      let rest = '';
      return (chunk) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) opts.onLine(l);
        // A line longer than this is cut: the job log is not a data channel.
        if (rest.length > 4096) { opts.onLine(rest); rest = ''; }
      };
    };
    child.stdout?.on('data', lineReader());
    child.stderr?.on('data', lineReader());
    child.on('error', (err) => resolve({ exitCode: null, error: err.message }));
    child.on('close', (code, sig) => resolve(sig ? { exitCode: null, error: `killed by ${sig}` } : { exitCode: code }));
  });
}

export interface CommandOutput extends CommandResult {
  /** Everything the command wrote to its standard output. */
  stdout: Buffer;
  /** The first lines of its standard error, for the message when it fails. */
  stderr: string;
}

/** Most a list command may print: a file list, not a data stream. */
const MAX_LIST_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs the command and collects its standard output as bytes (file names need not
 * be UTF-8): for `File = "|command"` lists. Output beyond 64 MiB kills the command.
 */
export function commandOutput(command: string, signal?: AbortSignal): Promise<CommandOutput> {
  const [program, ...args] = splitCommand(command);
  return new Promise((resolve) => {
    const child = spawn(program as string, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let error: string | undefined;
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= MAX_LIST_OUTPUT) out.push(d);
      else if (error === undefined) { error = `printed more than ${MAX_LIST_OUTPUT} bytes`; child.kill('SIGKILL'); }
    });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 2048) stderr += d.toString('utf8'); });
    const done = (code: number | null, sig: NodeJS.Signals | null): void => resolve({
      exitCode: error !== undefined || sig ? null : code,
      error: error ?? (sig ? `killed by ${sig}` : undefined),
      stdout: Buffer.concat(out),
      stderr: stderr.trim(),
    });
    // A command that cannot start reports 'error' and may never 'close'.
    child.on('error', (err) => { error ??= err.message; if (child.pid === undefined) done(null, null); });
    child.on('close', done);
  });
}

/** Splits command output or a list file into its non-empty lines (raw bytes, CR LF or LF). */
export function byteLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(0x0a, start);
    if (end < 0) end = data.length;
    let stop = end;
    if (stop > start && data[stop - 1] === 0x0d) stop--;
    if (stop > start) lines.push(data.subarray(start, stop));
    start = end + 1;
  }
  return lines;
}
