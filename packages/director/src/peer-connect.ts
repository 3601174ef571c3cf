/**
 * How the Director reaches a Storage or File daemon: one TLS-PSK connection per job
 * or request, authenticated with the password of the Storage or Client resource.
 */
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import { connectRetrying } from '@burrow/common/net/connect-retry';
import type { Clock } from './time/clock.js';

export interface DaemonTarget {
  name: string;
  address: string;
  port: number;
  password: string;
  /** The Heartbeat Interval for this daemon, in ms (the resource's, else the Director's); absent: none. */
  heartbeatMs?: number;
}

const WHAT = { storage: 'Storage daemon', client: 'File daemon' } as const;
/** The Director resource's directive that bounds a job's tries, by daemon. */
const CONNECT_TIMEOUT = { storage: 'SD Connect Timeout', client: 'FD Connect Timeout' } as const;

/**
 * A job's connection to a daemon keeps trying while the daemon cannot be reached
 * (common/net/connect-retry.ts), until the Director's SD or FD Connect Timeout; without
 * one (a console request) a connection is tried once, as Bareos's status does.
 */
export interface Persisting {
  timeoutMs: number;
  clock: Clock;
  /** The job log's "... Retrying ..." line (a Warning that leaves the job's verdict alone). */
  notice: (text: string) => void;
}

export function connectDaemon(target: DaemonTarget, role: keyof typeof WHAT, directorName: string, signal?: AbortSignal, persisting?: Persisting): Promise<Channel> {
  const once = (timeoutMs?: number): Promise<Channel> => connect({
    host: target.address,
    port: target.port,
    self: { role: 'director', name: directorName },
    secret: target.password,
    peer: { role, name: target.name },
    describeTarget: `${WHAT[role]} "${target.name}"`,
    signal,
    heartbeatMs: target.heartbeatMs,
    timeoutMs,
  });
  if (!persisting) return once();
  return connectRetrying(once, {
    timeoutMs: persisting.timeoutMs, directive: CONNECT_TIMEOUT[role], clock: persisting.clock, onRetry: persisting.notice, signal,
  });
}

/** `status client=` / `status storage=`: the daemon's own status text. */
export async function daemonStatus(target: DaemonTarget, role: keyof typeof WHAT, directorName: string): Promise<{ text: string; json: string }> {
  return askStatusReply(await connectDaemon(target, role, directorName));
}

/** The status text of the daemon at the other end of `channel`, which is closed after. */
export async function askStatus(channel: Channel): Promise<string> {
  return (await askStatusReply(channel)).text;
}

/** The daemon's status as text and as the JSON of the same data ('' from a daemon that sends none). */
async function askStatusReply(channel: Channel): Promise<{ text: string; json: string }> {
  try {
    await channel.send('statusRequest', {});
    const reply = await channel.expect('statusReply');
    return { text: reply.text, json: reply.json };
  } finally {
    channel.close('status done');
  }
}
