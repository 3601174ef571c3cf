/**
 * Structured logging for every daemon: pino JSON lines on stderr, or a readable
 * rendering when stderr is a terminal (DESIGN.md, daemon command lines).
 */
import { createRequire } from 'node:module';
import { pino, destination, type Logger, type LevelWithSilent } from 'pino';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

export type { Logger };

export interface LogOptions {
  name: string;
  level?: LevelWithSilent;
  /** Defaults to "stderr is a terminal". */
  pretty?: boolean;
}

export function createLogger(opts: LogOptions): Logger {
  const level = opts.level ?? 'info';
  const usePretty = opts.pretty ?? process.stderr.isTTY === true;
  if (usePretty) {
    return pino({ name: opts.name, level }, loadPretty()({ destination: 2, sync: true, colorize: true }));
  }
  return pino({ name: opts.name, level }, destination({ fd: 2, sync: true }));
}

/**
 * pino-pretty, loaded only for a terminal: a daemon logging JSON (as every daemon a
 * service manager or a test starts does) is spared its modules, a tenth of a second of
 * CPU at each start (measured on the File daemon).
 */
function loadPretty(): (options: PrettyOptions) => PrettyStream {
  return createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => PrettyStream;
}

/** Maps Bareos's `-d LEVEL` debug numbers onto log levels. */
export function levelForDebug(debug: number | undefined, verbose: boolean): LevelWithSilent {
  if (debug !== undefined && debug >= 100) return 'trace';
  if (debug !== undefined && debug > 0) return 'debug';
  return verbose ? 'debug' : 'info';
}
