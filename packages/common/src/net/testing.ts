/**
 * Test helper (STYLE habit 13): two Channels joined over a loopback TCP connection,
 * without TLS, for testing one side of a conversation against messages a test sends
 * as the peer. Not used by production code.
 */
import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { Channel, type InboxBudget } from './channel.js';
import type { PeerIdentity } from './psk.js';

export interface ChannelPair extends AsyncDisposable {
  /** The side under test; its `peer` is `peer`. */
  readonly near: Channel;
  /** The test's side, playing `peer`. */
  readonly far: Channel;
}

/** `budget`: the near side's inbox budget (channel.ts), the process's by default. */
export async function channelPair(peer: PeerIdentity, self: PeerIdentity = { role: 'director', name: 'test-dir' }, budget?: InboxBudget): Promise<ChannelPair> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(address.port, '127.0.0.1');
  const [[socket]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  const near = new Channel(client, peer, `127.0.0.1:${address.port}`, undefined, undefined, budget);
  const far = new Channel(socket, self, '127.0.0.1');
  return {
    near,
    far,
    [Symbol.asyncDispose]: async () => {
      near.close('test over');
      far.close('test over');
      client.destroy();
      socket.destroy();
    },
  };
}
