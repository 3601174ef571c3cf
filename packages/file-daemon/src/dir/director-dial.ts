/**
 * Client-initiated connections (Bareos's `Connection From Client To Director = yes` in
 * the File daemon's Director resource): for a client the Director cannot reach, this
 * daemon connects to the Director and leaves the connection open; the Director uses
 * it for the client's next job or status request. As soon as one is used another is
 * opened, so one always waits. A connection that cannot be made, or that ends unused
 * (the Director restarted), is tried again after a pause that grows to a minute.
 */
import { toBurrowError } from '@burrow/common/errors/index';
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import { sleep } from '@burrow/common/signals/sleep';

/** The Director to keep a connection open to. */
export interface DialedDirector {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly password: string;
}

export interface DialOptions {
  /** This File daemon's name: the Client the Director knows it as. */
  readonly self: string;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Serves a connection as any Director connection; calls `onFirst` when its first message came. */
  readonly serve: (channel: Channel, onFirst: () => void) => Promise<void>;
  /** Our Heartbeat Interval in ms: a waiting connection may wait for hours. */
  readonly heartbeatMs: number;
  /** The first pause after a failure, doubled after each further one up to MAX_PAUSE_MS (tests shorten it). */
  readonly firstPauseMs?: number;
}

const FIRST_PAUSE_MS = 2_000;
const MAX_PAUSE_MS = 60_000;

/** Keeps one connection waiting at `director` until `signal` aborts. */
export async function dialDirector(director: DialedDirector, o: DialOptions): Promise<void> {
  const first = o.firstPauseMs ?? FIRST_PAUSE_MS;
  let pause = first;
  let failing = false;
  while (!o.signal.aborted) {
    let channel: Channel;
    try {
      channel = await connect({
        host: director.address, port: director.port,
        self: { role: 'client', name: o.self }, secret: director.password, peer: { role: 'director', name: director.name },
        describeTarget: `Director "${director.name}"`, signal: o.signal, heartbeatMs: o.heartbeatMs,
      });
    } catch (err) {
      if (o.signal.aborted) return;
      // Said once per run of failures, not at every try.
      if (!failing) o.log.warn({ director: director.name }, `cannot connect to Director "${director.name}": ${toBurrowError(err).message}; trying again`);
      failing = true;
      await sleep(pause, o.signal);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
      continue;
    }
    if (failing) o.log.info({ director: director.name }, `connected to Director "${director.name}" again`);
    failing = false;
    pause = first;
    const used = await untilUsed(channel, o);
    if (!used) await sleep(pause, o.signal);
  }
}

/** Serves `channel` in the background; true once the Director used it, false when it ended unused. */
function untilUsed(channel: Channel, o: DialOptions): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    o.serve(channel, () => resolve(true))
      .catch((err: unknown) => {
        if (!channel.closed) channel.close('serving failed');
        o.log.warn({ code: toBurrowError(err).code }, `connection with the Director ended: ${toBurrowError(err).message}`);
      })
      .finally(() => resolve(false));
  });
}
