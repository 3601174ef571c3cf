/**
 * Trying a connection again, as Bareos's daemons do (bsock_tcp.cc): a daemon that
 * cannot reach its peer for a job keeps trying until the directive's Connect Timeout
 * (the Director's FD and SD Connect Timeout, the Storage daemon's FD Connect Timeout) has
 * passed, then the job fails naming the peer, its address, the last error and the
 * timeout. Bareos waits a fixed 10 s between tries; Burrow starts at 1 s and doubles up
 * to those 10 s, so a daemon restarted meanwhile is found quickly and one that stays
 * away costs one try per 10 s. A try whose peer accepted and then said nothing (no TLS
 * handshake, no greeting) is cut after 15 s, or what is left of the timeout if less.
 *
 * Only failures that say the peer is not there are tried again: refused, unreachable,
 * reset, no answer. A wrong password, a protocol mismatch, a host name that does not
 * resolve (Bareos: fatal at once) and a cancel end the connection's attempts at once.
 */
import { BurrowError, toBurrowError } from '../errors/index.js';
import { sleep } from '../signals/sleep.js';
import { inSeconds } from './client.js';

/** Time as the retries see it; the Director passes its own clock (tests move it). */
export interface RetryClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemRetryClock: RetryClock = { now: () => Date.now(), sleep };

export interface Retrying {
  /** How long to keep trying, in ms: the directive's value. */
  readonly timeoutMs: number;
  /** The directive that gave it, for the messages ("FD Connect Timeout"). */
  readonly directive: string;
  readonly signal?: AbortSignal;
  /** Told when a try failed and another follows: at the first failure, then every 5 minutes (Bareos's "Retrying ..."). */
  readonly onRetry?: (text: string) => void;
  readonly clock?: RetryClock;
  /** The first pause after a failure (default 1 s), doubled after each one up to `maxPauseMs` (default 10 s). */
  readonly firstPauseMs?: number;
  readonly maxPauseMs?: number;
  /** The longest one try may take (default 15 s, a peer that accepted and is silent). */
  readonly tryMs?: number;
  /** Other failures worth another try: e.g. a key the peer does not know yet. `tries` counts those made. */
  readonly alsoRetry?: (failure: BurrowError, tries: number) => boolean;
}

const FIRST_PAUSE_MS = 1_000;
/** Bareos's retry interval for daemons (connect_to_file_daemon(jcr, 10, ...)). */
const MAX_PAUSE_MS = 10_000;
/** client.ts's own default for a connection's handshake and greeting. */
const TRY_MS = 15_000;
/** Bareos says "Retrying ..." again after 5 minutes of failures. */
const NOTICE_EVERY_MS = 5 * 60_000;

/** Failures that say the peer is not there now, and may be later. */
export function isUnreachable(e: BurrowError): boolean {
  if (e.code === 'TIMEOUT') return true;
  if (e.code !== 'CONNECTION') return false;
  const cause = e.cause as { code?: unknown } | undefined;
  return cause?.code !== 'ENOTFOUND';
}

/**
 * Calls `attempt` (with the time its try may take) until it gives a connection, a
 * failure not worth another try comes, or `timeoutMs` has passed since the first try.
 */
export async function connectRetrying<T>(attempt: (tryMs: number) => Promise<T>, r: Retrying): Promise<T> {
  const clock = r.clock ?? systemRetryClock;
  const signal = r.signal ?? new AbortController().signal;
  const start = clock.now();
  let pause = r.firstPauseMs ?? FIRST_PAUSE_MS;
  let noticed = -Infinity;
  let last: BurrowError | undefined;
  for (let tries = 0; ; tries++) {
    const left = r.timeoutMs - (clock.now() - start);
    if (last && left <= 0) throw gaveUp(last, tries, clock.now() - start, r);
    try {
      return await attempt(Math.max(1, Math.min(r.tryMs ?? TRY_MS, left)));
    } catch (err) {
      last = toBurrowError(err);
      if (signal.aborted || !(isUnreachable(last) || r.alsoRetry?.(last, tries + 1) === true)) throw last;
    }
    if (clock.now() - noticed >= NOTICE_EVERY_MS) {
      noticed = clock.now();
      r.onRetry?.(`${last.message}. Retrying ... (for up to ${inSeconds(r.timeoutMs)}, the ${r.directive})`);
    }
    await clock.sleep(Math.max(0, Math.min(pause, r.timeoutMs - (clock.now() - start))), signal);
    if (signal.aborted) throw new BurrowError('JOB_CANCELED', `canceled while trying to connect again (${last.message})`);
    pause = Math.min(pause * 2, r.maxPauseMs ?? MAX_PAUSE_MS);
  }
}

function gaveUp(last: BurrowError, tries: number, elapsedMs: number, r: Retrying): BurrowError {
  const times = tries === 1 ? 'one try' : `${tries} tries`;
  return new BurrowError(last.code, `${last.message}; gave up after ${times} in ${inSeconds(elapsedMs)} (${r.directive} = ${inSeconds(r.timeoutMs)})`, { cause: last });
}
