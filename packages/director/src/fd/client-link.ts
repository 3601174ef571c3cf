/**
 * The Director's side of the File daemon conversation (its peer is
 * file-daemon/src/dir/): one connection per job or status request. It is the
 * Director's own to the client's address, or (Connection From Client To Director) one
 * the File daemon opened and left waiting (client-connections.ts), in Bareos's order:
 * a waiting connection first, then our own when allowed, then waiting for the client.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { connectDaemon } from '../peer-connect.js';
import type { Clock } from '../time/clock.js';
import type { ClientConnections } from './client-connections.js';

/** A Client resource as a job reaches it. */
export interface ClientTarget {
  name: string;
  address: string;
  port: number;
  password: string;
  /** Connection From Director To Client: the Director may connect to the File daemon. */
  connectFromDirector: boolean;
  /** Connection From Client To Director: the File daemon may connect to the Director (and leave it waiting). */
  connectFromClient: boolean;
  /** Passive = yes: the Storage daemon connects to the File daemon for the data. */
  passive: boolean;
  /** Lan Address: where a Storage daemon on the client's LAN reaches it (jobs/data-channel.ts). */
  lanAddress?: string;
  /** Heartbeat Interval in ms (the Client's, else the Director's). */
  heartbeatMs?: number;
}

/** What reaching a client needs of the Director. */
export interface ClientReach {
  directorName: string;
  clientConnections: ClientConnections;
  /**
   * FD Connect Timeout: how long a job keeps trying to reach the client, or waits for a
   * client's own connection when none waits.
   */
  clientWaitMs: number;
  clock: Clock;
}

/**
 * The connection to `target`'s File daemon. A job passes `notice` (its log's "Retrying
 * ..." line): its own connection is then tried again until the FD Connect Timeout,
 * unless the client may connect by itself, which it is waited for instead. A console
 * request tries once.
 */
export async function openClient(reach: ClientReach, target: ClientTarget, signal?: AbortSignal, notice?: (text: string) => void): Promise<Channel> {
  const waiting = target.connectFromClient ? reach.clientConnections.take(target.name) : undefined;
  if (waiting) return waiting;
  if (target.connectFromDirector) {
    const persisting = notice && !target.connectFromClient ? { timeoutMs: reach.clientWaitMs, clock: reach.clock, notice } : undefined;
    try {
      return await connectDaemon(target, 'client', reach.directorName, signal, persisting);
    } catch (err) {
      const e = toBurrowError(err);
      if (!target.connectFromClient || e.code === 'JOB_CANCELED' || e.code === 'AUTH_FAILED') throw e;
    }
  }
  if (!target.connectFromClient) throw new BurrowError('INTERNAL', `Client "${target.name}" allows no connection either way`);
  return reach.clientConnections.await(target.name, reach.clientWaitMs, signal);
}

/**
 * Passive = yes: once the File daemon has its order (which says `passive` and carries the
 * session's token), the Storage daemon is told to connect to it, at `address` (the
 * Client's Address, or its Lan Address when both are on one LAN: jobs/data-channel.ts)
 * and the FD Port, instead of waiting for it. Nothing for an active client.
 */
export async function connectStorageIfPassive(target: ClientTarget, address: string, sd: Channel): Promise<void> {
  if (target.passive) await sd.send('sdConnectClient', { address, port: target.port });
}
