/**
 * How a job's connections to its daemons keep trying while a daemon cannot be reached
 * (peer-connect.ts): until the Director's SD or FD Connect Timeout, each run of failures
 * told in the job log as a Warning that leaves the job's verdict alone (Bareos's
 * "Retrying ..."); the job fails only when the timeout is up.
 */
import type { Persisting } from '../peer-connect.js';
import type { JobContext } from './lifecycle.js';

/** The job log's line for a connection tried again. */
export function retryNotice(ctx: JobContext): (text: string) => void {
  return (text) => ctx.log.caution(text);
}

/** A job's connection to a Storage daemon: tried until the SD Connect Timeout. */
export function storagePersisting(ctx: JobContext): Persisting {
  return { timeoutMs: ctx.env.storageConnectMs, clock: ctx.env.clock, notice: retryNotice(ctx) };
}
