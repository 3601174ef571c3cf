/**
 * A TLS-PSK server that hands each authenticated connection, after the Hello
 * exchange, to a handler as a Channel. Failures of one connection (wrong password,
 * garbage, oversize frames, a handler that throws) are logged and never affect the
 * others or the daemon.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { BurrowError, describeError, toBurrowError } from '../errors/index.js';
import { PROTOCOL_VERSION, SOFTWARE } from '../proto/index.js';
import { describeBind, type ListenBind } from './addresses.js';
import { Channel } from './channel.js';
import { FramePool } from './frame-pool.js';
import { cleartextHandshake } from './cleartext-server.js';
import { agreedHeartbeat } from './heartbeat.js';
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
  /**
   * Which peers may connect without TLS (cleartext.ts): the Storage daemon's data
   * sessions when its Storage resource switches TLS off. Absent: none.
   */
  cleartextAllowed?: (peer: PeerIdentity) => boolean;
  /**
   * Connections assemble large record frames in buffers their consumers give back
   * (frame-pool.ts): a Storage daemon receiving backups. One pool for all of the
   * server's connections: a pool per connection kept its spare buffers each, about
   * 4 MiB a client, 200 MiB with fifty backups at once.
   */
  framePools?: boolean;
  /**
   * Told of each connection refused at authentication, after the log line: the Director
   * sends it to its Messages as a "security" message, as Bareos does.
   */
  onRefused?: (refusal: Refusal) => void;
  /** Our Heartbeat Interval in ms for a peer (heartbeat.ts); absent: none. */
  heartbeatMs?: (peer: PeerIdentity) => number;
}

/** A connection refused before it became a channel. `peer` is null when its identity was unreadable. */
export interface Refusal {
  readonly peer: PeerIdentity | null;
  readonly remote: string;
  readonly reason: 'unknown identity' | 'no such peer configured' | 'wrong password';
}

export interface ListeningServer {
  /** The port of the first socket (every socket's, when the binds asked for port 0). */
  port: number;
  /** Each socket as `host:port`, for the log line. */
  listening: string[];
  close(): Promise<void>;
}

/** Spare frame buffers the server's one pool keeps: about 17 MiB, for many clients' records in turn. */
const SHARED_POOL_KEEP = 16;

/** ServerOptions as the listening parts share them: with the one frame pool, if any. */
type Serving = ServerOptions & { readonly framePool: FramePool | undefined };

export async function listen(options: ServerOptions): Promise<ListeningServer> {
  if (options.binds.length === 0) throw new BurrowError('INTERNAL', 'listen: no address to listen on');
  const opts: Serving = { ...options, framePool: options.framePools === true ? new FramePool(SHARED_POOL_KEEP) : undefined };
  const sockets = new Set<Socket>();
  const servers: NetServer[] = [];
  const listening: string[] = [];
  let port = 0;
  try {
    for (const bind of opts.binds) {
      const server = frontDoor(opts, pskServer(opts, sockets), sockets);
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

/** Who a connection without TLS is until its exchange proves better. */
const UNAUTHENTICATED: PeerIdentity = { role: 'job', name: '(not yet authenticated)' };

/** A TLS record of type handshake: the first byte of every TLS connection. */
const TLS_HANDSHAKE = 0x16;

/**
 * What listens: it reads a connection's first byte and hands a TLS one to the TLS-PSK
 * server, anything else to the cleartext exchange when some peer may use it; without
 * that, a connection not speaking TLS is dropped at once.
 */
function frontDoor(opts: Serving, tls: Server, sockets: Set<Socket>): NetServer {
  return createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // a peer gone mid-way; the handler in charge reports it
    // As the connecting side does (client.ts): the Channel joins small frames into one
    // write already, so Nagle's wait for the peer's ACK could only add latency.
    socket.setNoDelay(true);
    socket.setTimeout(opts.handshakeTimeoutMs ?? 10_000, () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) return;
      socket.unshift(first); // TLS takes buffered bytes as received
      socket.setTimeout(0);
      if (first[0] === TLS_HANDSHAKE) tls.emit('connection', socket);
      else if (opts.cleartextAllowed !== undefined) void serveOne(socket, null, opts);
      else socket.destroy();
    });
  });
}

/** The TLS-PSK server, fed by the front doors (one per address); they share the handler and the set of open sockets. */
function pskServer(opts: Serving, sockets: Set<Socket>): Server {
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
        opts.onRefused?.({ peer: null, remote: socket.remoteAddress ?? '?', reason: 'unknown identity' });
        return null;
      }
      const psk = opts.lookupPsk(peer);
      if (!psk) {
        opts.log.warn({ remote: socket.remoteAddress, identity: identityText }, 'refused connection: no such peer configured');
        opts.onRefused?.({ peer, remote: socket.remoteAddress ?? '?', reason: 'no such peer configured' });
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
    // A handshake that failed before the identity was read is not an authentication attempt (garbage, a port scan).
    if (identity) opts.onRefused?.({ peer: identity, remote: socket.remoteAddress ?? '?', reason: 'wrong password' });
  });

  server.on('secureConnection', (socket: TLSSocket) => {
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

/** Greets and serves one connection: `peer` is who TLS authenticated, null for one without TLS. */
async function serveOne(socket: Socket, peer: PeerIdentity | null, opts: Serving): Promise<void> {
  const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const channel = new Channel(socket, peer ?? UNAUTHENTICATED, remote, opts.maxFrame, opts.framePool);
  let log = opts.log.child({ peer: peer === null ? 'cleartext' : `${peer.role}:${peer.name}`, remote });
  try {
    const timeout = AbortSignal.timeout(opts.handshakeTimeoutMs ?? 10_000);
    if (peer === null) {
      const proven = await cleartextHandshake(channel, { self: opts.self, lookupPsk: opts.lookupPsk, allowed: opts.cleartextAllowed ?? (() => false), signal: timeout, heartbeatMs: opts.heartbeatMs });
      channel.identify(proven);
      log = opts.log.child({ peer: `${proven.role}:${proven.name}`, remote, tls: false });
      await opts.onChannel(channel);
      return;
    }
    const hello = await channel.expect('hello', timeout);
    if (hello.role !== peer.role || hello.name !== peer.name) {
      throw new BurrowError('PROTOCOL', `hello names ${hello.role}:${hello.name} but the key was for ${peer.role}:${peer.name}`);
    }
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      // Refused with a reason the peer can show, whichever version it speaks: an
      // ErrorReply is an Envelope frame, the same in every version.
      throw new BurrowError('PROTOCOL', `${hello.software || 'the peer'} speaks protocol ${hello.protocolVersion}; ${SOFTWARE} speaks ${PROTOCOL_VERSION}`);
    }
    const heartbeatMs = opts.heartbeatMs?.(peer) ?? 0;
    await channel.send('hello', { protocolVersion: PROTOCOL_VERSION, role: opts.self.role, name: opts.self.name, software: SOFTWARE, heartbeatMs });
    channel.keepAlive(agreedHeartbeat(heartbeatMs, hello.heartbeatMs));
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
