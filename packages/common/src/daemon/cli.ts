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
import { formatProblem, Problems, type ConfigWarning } from '../config/schema/problems.js';

export interface DaemonArgs {
  /** Absolute, so that it names the same file after the daemon changes its directory. */
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
  return { configPath: resolve(values.c ?? defaultConfig), foreground: values.f ?? false, testOnly: values.t ?? false, debug, verbose: values.v ?? false };
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

export interface ConfigurationStep<C, R> {
  binary: string;
  args: DaemonArgs;
  log: Logger;
  /** The daemon's loader (common/config): throws CONFIG_* errors, returns warnings. */
  load: (path: string) => { config: C; warnings: ConfigWarning[] };
  /**
   * The checks against the machine (daemon/preflight.ts and the daemon's own), run for
   * `-t` and for a start alike; returns what the start needs (resolved addresses...).
   */
  check: (config: C, problems: Problems) => Promise<R>;
}

/**
 * Loads and checks the configuration. With `-t` it prints every warning on stderr as
 * `<binary>: warning: file:line: Resource "name": Directive: message`, says the
 * configuration is valid and returns undefined (the daemon exits 0); with errors it
 * throws one CONFIG_INVALID listing errors and warnings (exit 1). Otherwise the
 * warnings go to the log and the loaded configuration comes back.
 */
export async function loadConfiguration<C, R>(step: ConfigurationStep<C, R>): Promise<{ config: C; checked: R } | undefined> {
  const { config, warnings } = step.load(step.args.configPath);
  const problems = new Problems();
  problems.warnings.push(...warnings);
  const checked = await step.check(config, problems);
  problems.throwIfAny();
  for (const w of problems.warnings) {
    if (step.args.testOnly) process.stderr.write(`${step.binary}: warning: ${formatProblem(w)}\n`);
    else step.log.warn({ file: w.file, line: w.line, resource: w.resource, directive: w.directive }, formatProblem(w));
  }
  if (step.args.testOnly) {
    process.stdout.write(`${step.binary}: configuration ${step.args.configPath} is valid\n`);
    return undefined;
  }
  return { config, checked };
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
  server: { port: number; listening: readonly string[]; close(): Promise<void> };
  binary: string;
  /** Resolved Pid Directory, if any. */
  pidDirectory: string | undefined;
  log: Logger;
  signal: AbortSignal;
  /** Announced in the log line tests and scripts wait for: `<banner> listening on <address>:<port>[, ...]`. */
  banner: string;
  /** Closes what the daemon opened besides its server, after it stops listening. */
  shutdown?: () => Promise<void> | void;
}

/** Writes the pid file, says "listening", serves until SIGINT/SIGTERM, then tidies up in reverse order. */
export async function serveUntilStopped(s: Serving): Promise<void> {
  const removePid = writePidFile(s.pidDirectory, s.binary, s.server.port);
  s.log.info({ port: s.server.port, addresses: s.server.listening }, `${s.banner} listening on ${s.server.listening.join(', ')}`);
  await untilAborted(s.signal);
  await s.server.close();
  await s.shutdown?.();
  removePid();
}
