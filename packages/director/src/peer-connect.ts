/**
 * How the Director reaches a Storage or File daemon: one TLS-PSK connection per job
 * or request, authenticated with the password of the Storage or Client resource.
 */
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';

export interface DaemonTarget {
  name: string;
  address: string;
  port: number;
  password: string;
  /** The Heartbeat Interval for this daemon, in ms (the resource's, else the Director's); absent: none. */
  heartbeatMs?: number;
}

const WHAT = { storage: 'Storage daemon', client: 'File daemon' } as const;

export function connectDaemon(target: DaemonTarget, role: keyof typeof WHAT, directorName: string, signal?: AbortSignal): Promise<Channel> {
  return connect({
    host: target.address,
    port: target.port,
    self: { role: 'director', name: directorName },
    secret: target.password,
    peer: { role, name: target.name },
    describeTarget: `${WHAT[role]} "${target.name}"`,
    signal,
    heartbeatMs: target.heartbeatMs,
  });
}

/** `status client=` / `status storage=`: the daemon's own status text. */
export async function daemonStatus(target: DaemonTarget, role: keyof typeof WHAT, directorName: string): Promise<string> {
  return askStatus(await connectDaemon(target, role, directorName));
}

/** The status text of the daemon at the other end of `channel`, which is closed after. */
export async function askStatus(channel: Channel): Promise<string> {
  try {
    await channel.send('statusRequest', {});
    const reply = await channel.expect('statusReply');
    return reply.text;
  } finally {
    channel.close('status done');
  }
}
