/**
 * A TLS-PSK server that hands each authenticated connection, after the Hello
 * exchange, to a handler as a Channel. Failures of one connection (wrong password,
 * garbage, oversize frames, a handler that throws) are logged and never affect the
 * others or the daemon.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { BurrowError, describeError, toBurrowError } from '../errors/index.js';
import { PROTOCOL_VERSION, SOFTWARE } from '../proto/index.js';
import { describeBind, type ListenBind } from './addresses.js';
import { Channel } from './channel.js';
import { PSK_CIPHERS, parseIdentity, type PeerIdentity } from './psk.js';

export interface ServerOptions {
  /** The sockets to listen on (net/addresses.ts); at least one. Port 0 picks one port for all. */
  binds: readonly ListenBind[];
  /** Who this daemon is, announced in its Hello. */
  self: PeerIdentity;
  /** The key for a connecting identity, or undefined to refuse it. */
  lookupPsk: (peer: PeerIdentity) => Buffer | undefined;
  onChannel: (channel: Channel) => Promise<void>;
  log: Logger;
  /** How long a peer may take to finish the handshake and Hello. */
  handshakeTimeoutMs?: number;
  maxFrame?: number;
}

export interface ListeningServer {
  /** The port of the first socket (every socket's, when the binds asked for port 0). */
  port: number;
  /** Each socket as `host:port`, for the log line. */
  listening: string[];
  close(): Promise<void>;
}

export async function listen(opts: ServerOptions): Promise<ListeningServer> {
  if (opts.binds.length === 0) throw new BurrowError('INTERNAL', 'listen: no address to listen on');
  const sockets = new Set<TLSSocket>();
  const servers: Server[] = [];
  const listening: string[] = [];
  let port = 0;
  try {
    for (const bind of opts.binds) {
      const server = pskServer(opts, sockets);
      servers.push(server);
      const wanted = bind.port === 0 && port !== 0 ? port : bind.port;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: wanted, host: bind.host, ipv6Only: bind.ipv6Only }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : wanted;
      if (port === 0) port = actual;
      listening.push(describeBind({ host: bind.host, port: actual }));
    }
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    throw err;
  }
  return {
    port,
    listening,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/** One TLS-PSK listener; several (one per address) share the handler and the set of open sockets. */
function pskServer(opts: ServerOptions, sockets: Set<TLSSocket>): Server {
  const identities = new WeakMap<TLSSocket, PeerIdentity>();
  const server: Server = createServer({
    ciphers: PSK_CIPHERS,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
    pskCallback: (socket, identityText) => {
      let peer: PeerIdentity;
      try {
        peer = parseIdentity(identityText);
      } catch {
        opts.log.warn({ remote: socket.remoteAddress, identity: identityText }, 'refused connection: unknown identity');
        return null;
      }
      const psk = opts.lookupPsk(peer);
      if (!psk) {
        opts.log.warn({ remote: socket.remoteAddress, identity: identityText }, 'refused connection: no such peer configured');
        return null;
      }
      identities.set(socket, peer);
      return psk;
    },
  });

  server.on('tlsClientError', (err, socket) => {
    // A wrong password shows up here as a failed handshake (bad record MAC / decrypt error).
    const identity = identities.get(socket);
    const who = identity ? `${identity.role} "${identity.name}"` : 'unidentified peer';
    opts.log.warn({ remote: socket.remoteAddress, err: describeError(err) },
      `authentication failed for ${who} from ${socket.remoteAddress ?? '?'}: wrong password or not a Burrow peer`);
  });

  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const peer = identities.get(socket);
    if (!peer) {
      socket.destroy();
      return;
    }
    void serveOne(socket, peer, opts);
  });
  return server;
}

async function serveOne(socket: TLSSocket, peer: PeerIdentity, opts: ServerOptions): Promise<void> {
  const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const channel = new Channel(socket, peer, remote, opts.maxFrame);
  const log = opts.log.child({ peer: `${peer.role}:${peer.name}`, remote });
  try {
    const timeout = AbortSignal.timeout(opts.handshakeTimeoutMs ?? 10_000);
    const hello = await channel.expect('hello', timeout);
    if (hello.role !== peer.role || hello.name !== peer.name) {
      throw new BurrowError('PROTOCOL', `hello names ${hello.role}:${hello.name} but the key was for ${peer.role}:${peer.name}`);
    }
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      // Refused with a reason the peer can show, whichever version it speaks: an
      // ErrorReply is an Envelope frame, the same in every version.
      throw new BurrowError('PROTOCOL', `${hello.software || 'the peer'} speaks protocol ${hello.protocolVersion}; ${SOFTWARE} speaks ${PROTOCOL_VERSION}`);
    }
    await channel.send('hello', { protocolVersion: PROTOCOL_VERSION, role: opts.self.role, name: opts.self.name, software: SOFTWARE });
    await opts.onChannel(channel);
  } catch (err) {
    const e = toBurrowError(err);
    if (channel.closed) {
      log.warn({ code: e.code }, `connection ended: ${channel.closeReason ?? e.message}`);
    } else {
      log.warn({ code: e.code }, `closing connection: ${e.message}`);
      await channel.sendErrorAndClose(e);
    }
  }
}
