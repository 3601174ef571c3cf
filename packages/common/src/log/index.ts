/**
 * Structured logging for every daemon: pino JSON lines on stderr, or a readable
 * rendering when stderr is a terminal (DESIGN.md, daemon command lines).
 */
import { pino, destination, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

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
    return pino({ name: opts.name, level }, pretty({ destination: 2, sync: true, colorize: true }));
  }
  return pino({ name: opts.name, level }, destination({ fd: 2, sync: true }));
}

/** Maps Bareos's `-d LEVEL` debug numbers onto log levels. */
export function levelForDebug(debug: number | undefined, verbose: boolean): LevelWithSilent {
  if (debug !== undefined && debug >= 100) return 'trace';
  if (debug !== undefined && debug > 0) return 'debug';
  return verbose ? 'debug' : 'info';
}
