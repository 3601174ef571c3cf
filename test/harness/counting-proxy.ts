/**
 * A TCP relay on loopback that counts the bytes clients send through it, with the time
 * each batch passed: how a test measures a transfer's rate over time, on the wire, as a
 * bandwidth limit sees it. Point a resource's port at it; it forwards to `target` (a
 * port set once the real daemon listens). On another loopback address it can stand for
 * a NAT in front of a daemon, on the daemon's own port (`at`).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export class CountingProxy {
  /** The port clients connect to. */
  port = 0;
  /** Where it forwards (set before the first client comes). */
  target = 0;
  /** Bytes sent by clients so far, and when: one point per batch read. */
  readonly points: Array<{ at: number; bytes: number }> = [];
  /** Connections relayed so far. */
  connections = 0;
  private sent = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, private readonly targetHost: string) {}

  /** @param at where it listens (default 127.0.0.1, a port of its own) and the address it forwards to (default 127.0.0.1) */
  static async start(at: { host?: string; port?: number; targetHost?: string } = {}): Promise<CountingProxy> {
    const server = createServer();
    const proxy = new CountingProxy(server, at.targetHost ?? '127.0.0.1');
    server.on('connection', (socket) => proxy.relay(socket));
    server.listen(at.port ?? 0, at.host ?? '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  private relay(client: Socket): void {
    this.connections++;
    const server = connect(this.target, this.targetHost);
    for (const s of [client, server]) {
      this.sockets.add(s);
      s.on('close', () => { this.sockets.delete(s); client.destroy(); server.destroy(); });
      s.on('error', () => undefined);
    }
    client.on('data', (data: Buffer) => {
      this.sent += data.length;
      this.points.push({ at: Date.now(), bytes: this.sent });
      if (!server.write(data)) client.pause();
    });
    server.on('drain', () => client.resume());
    server.pipe(client);
  }

  /** Bytes sent between two moments (ms), from the points on either side. */
  bytesBetween(from: number, to: number): number {
    const at = (t: number): number => {
      let bytes = 0;
      for (const p of this.points) if (p.at <= t) bytes = p.bytes;
      return bytes;
    };
    return at(to) - at(from);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
