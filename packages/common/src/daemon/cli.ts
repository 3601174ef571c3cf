/**
 * What the three daemons share at their composition roots: Bareos's command line
 * (`-c FILE|DIR`, `-f`, `-t`, `-d LEVEL`, `-v`), the pid file, and orderly shutdown
 * on SIGINT/SIGTERM through one AbortController (STYLE.md habit 10).
 */
import { parseArgs } from 'node:util';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { describeError, BurrowError } from '../errors/index.js';
import { createLogger, levelForDebug, type Logger } from '../log/index.js';

export interface DaemonArgs {
  configPath: string;
  foreground: boolean;
  testOnly: boolean;
  debug: number | undefined;
  verbose: boolean;
}

/** Bareos's daemon options, the same for every Burrow daemon. */
export function daemonUsage(binary: string, defaultConfig: string): string {
  return `Usage: ${binary} [-c config] [-f] [-t] [-d level] [-v]
  -c PATH  configuration file or directory (default ${defaultConfig})
  -f       run in the foreground
  -t       test the configuration and exit
  -d N     debug level
  -v       verbose
`;
}

export function parseDaemonArgs(argv: string[], defaultConfig: string, usage: string): DaemonArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      c: { type: 'string' },
      f: { type: 'boolean', default: false },
      t: { type: 'boolean', default: false },
      d: { type: 'string' },
      v: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const debug = values.d === undefined ? undefined : Number.parseInt(values.d, 10);
  return { configPath: values.c ?? defaultConfig, foreground: values.f ?? false, testOnly: values.t ?? false, debug, verbose: values.v ?? false };
}

export interface DaemonRun {
  log: Logger;
  signal: AbortSignal;
}

/**
 * Runs a daemon's main: sets up logging and signals, maps errors to exit codes
 * (1 for a configuration error, 2 for anything else at start-up).
 */
export async function runDaemon(name: string, args: DaemonArgs, main: (run: DaemonRun) => Promise<void>): Promise<void> {
  const log = createLogger({ name, level: levelForDebug(args.debug, args.verbose) });
  const controller = new AbortController();
  const stop = (sig: string): void => {
    log.info(`${sig} received, shutting down`);
    controller.abort();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    await main({ log, signal: controller.signal });
  } catch (err) {
    const config = err instanceof BurrowError && err.code.startsWith('CONFIG');
    process.stderr.write(`${name}: ${describeError(err)}\n`);
    log.flush();
    process.exit(config ? 1 : 2);
  }
}

/** Writes `<dir>/<name>.<port>.pid` as Bareos does; returns a remover for shutdown. */
export function writePidFile(dir: string | undefined, name: string, port: number): () => void {
  if (!dir) return () => undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.${port}.pid`);
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

/** Resolves when the signal aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Relative paths in a configuration (working directories, archive devices, FileSet
 * entries of the demo) are taken relative to the configuration's root — the folder
 * holding `burrow-dir.d/` or the main `.conf` file — so a checkout's ready configs work
 * from any current directory. Absolute paths are kept.
 */
export function configRelative(configPath: string, path: string): string {
  if (isAbsolute(path)) return path;
  const isDir = statSync(configPath, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const root = !isDir ? dirname(configPath) : configPath.replace(/\/+$/, '').endsWith('.d') ? dirname(configPath) : configPath;
  return resolve(root, path);
}

export interface Serving {
  /** The listening server (common/net/server). */
  server: { port: number; close(): Promise<void> };
  binary: string;
  /** Resolved Pid Directory, if any. */
  pidDirectory: string | undefined;
  log: Logger;
  signal: AbortSignal;
  /** Announced in the log line tests and scripts wait for: `<banner> listening on <address>:<port>`. */
  banner: string;
  address: string;
  /** Closes what the daemon opened besides its server, after it stops listening. */
  shutdown?: () => Promise<void> | void;
}

/** Writes the pid file, says "listening", serves until SIGINT/SIGTERM, then tidies up in reverse order. */
export async function serveUntilStopped(s: Serving): Promise<void> {
  const removePid = writePidFile(s.pidDirectory, s.binary, s.server.port);
  s.log.info({ port: s.server.port, address: s.address }, `${s.banner} listening on ${s.address}:${s.server.port}`);
  await untilAborted(s.signal);
  await s.server.close();
  await s.shutdown?.();
  removePid();
}
