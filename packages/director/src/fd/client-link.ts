/**
 * The Director's side of the File daemon conversation (its peer is
 * file-daemon/src/dir/): one connection per job or status request.
 */
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import type { ClientTarget } from '../jobs/plan.js';

export async function openClient(target: ClientTarget, directorName: string, signal?: AbortSignal): Promise<Channel> {
  return connect({
    host: target.address,
    port: target.port,
    self: { role: 'director', name: directorName },
    secret: target.password,
    peer: { role: 'client', name: target.name },
    describeTarget: `File daemon "${target.name}"`,
    signal,
  });
}

export async function clientStatus(target: ClientTarget, directorName: string): Promise<string> {
  const channel = await openClient(target, directorName);
  try {
    await channel.send('statusRequest', {});
    const reply = await channel.expect('statusReply');
    return reply.text ?? '';
  } finally {
    channel.close('status done');
  }
}
