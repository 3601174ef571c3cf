/** Opens an authenticated Channel to a daemon (the other half of server.ts). */
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { BurrowError, describeError } from '../errors/index.js';
import { PROTOCOL_VERSION, SOFTWARE, type burrow } from '../proto/index.js';
import { Channel, PROCESS_INBOX_BUDGET } from './channel.js';
import { KeptReads } from './kept-reads.js';
import type { FramePool } from './frame-pool.js';
import { clientProof, freshNonce, isNonce, proofMatches, serverProof } from './cleartext.js';
import { agreedHeartbeat } from './heartbeat.js';
import { PSK_CIPHERS, derivePsk, formatIdentity, type PeerIdentity } from './psk.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Who we are: the identity the server looks up. */
  self: PeerIdentity;
  /** The shared secret: a password, or a one-job token. */
  secret: string | Buffer;
  /** Who we expect to reach: its role, and a name for messages. */
  peer: PeerIdentity;
  /** What we expect to reach, for messages (`Storage daemon "File"`). */
  describeTarget: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxFrame?: number;
  /**
   * False: no TLS, the secret proven by cleartext.ts instead (a data session whose
   * Storage daemon and File daemon both have TLS switched off). Default true.
   */
  tls?: boolean;
  /**
   * Assemble large record frames in pooled buffers the receiver gives back (net/frame-pool.ts).
   * Such a data link also reads into one kept buffer (kept-reads.ts), not a fresh one per read.
   */
  framePool?: FramePool;
  /** Our Heartbeat Interval in ms (heartbeat.ts); 0 or absent: none of ours. */
  heartbeatMs?: number;
}

/** How long a connection's handshake and greeting may take, unless the caller says. */
const DEFAULT_TIMEOUT_MS = 15_000;

/** A time for messages: "15 s", "0.6 s". */
export function inSeconds(ms: number): string {
  return `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
}

/** A socket, connected (and through TLS unless `tls` is false), or a clear error. */
async function openSocket(opts: ConnectOptions, where: string, psk: Buffer, reads: KeptReads | undefined): Promise<Duplex & { setNoDelay(on: boolean): unknown }> {
  const identity = formatIdentity(opts.self);
  const kept = reads === undefined ? {} : { onread: reads.onread };
  const socket = opts.tls === false
    ? netConnect({ host: opts.host, port: opts.port, ...kept })
    : tlsConnect({
      host: opts.host,
      port: opts.port,
      ...kept,
      ciphers: PSK_CIPHERS,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      checkServerIdentity: () => undefined,
      pskCallback: () => ({ psk, identity }),
    });
  socket.setNoDelay(true);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new BurrowError('TIMEOUT', `no answer from ${where} within ${inSeconds(timeoutMs)}`));
    }, timeoutMs);
    const onAbort = (): void => {
      socket.destroy();
      reject(new BurrowError('JOB_CANCELED', `connection to ${where} aborted`));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once(opts.tls === false ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const text = describeError(err);
      const auth = /alert|decrypt|bad record mac|handshake|psk/i.test(text);
      reject(auth
        ? new BurrowError('AUTH_FAILED', `authentication with ${where} failed (wrong password?): ${text}`, { cause: err })
        : new BurrowError('CONNECTION', `cannot connect to ${where}: ${text}`, { cause: err }));
    });
  });
  return socket;
}

export async function connect(opts: ConnectOptions): Promise<Channel> {
  const psk = derivePsk(opts.secret, opts.self);
  const where = `${opts.describeTarget} at ${opts.host}:${opts.port}`;
  const reads = opts.framePool === undefined ? undefined : new KeptReads();
  const socket = await openSocket(opts, where, psk, reads);
  const channel = new Channel(socket, opts.peer, `${opts.host}:${opts.port}`, opts.maxFrame, opts.framePool, PROCESS_INBOX_BUDGET, reads);
  const nonce = opts.tls === false ? freshNonce() : undefined;
  await channel.send('hello', { protocolVersion: PROTOCOL_VERSION, role: opts.self.role, name: opts.self.name, software: SOFTWARE, nonce, heartbeatMs: opts.heartbeatMs });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const greetingTime = AbortSignal.timeout(timeoutMs);
  const hello = await channel.expect('hello', opts.signal ? AbortSignal.any([greetingTime, opts.signal]) : greetingTime).catch((err: unknown) => {
    channel.close('no greeting');
    if (err instanceof BurrowError && err.code === 'CONNECTION') {
      throw new BurrowError('AUTH_FAILED', `${where} closed the connection during the greeting (wrong password?)`);
    }
    // A peer that took the connection and says nothing: not the daemon meant, or one that hangs.
    if (greetingTime.aborted && !opts.signal?.aborted) throw new BurrowError('TIMEOUT', `${where} sent no greeting within ${inSeconds(timeoutMs)}`);
    throw err;
  });
  if (hello.protocolVersion !== PROTOCOL_VERSION) {
    channel.close('protocol version mismatch');
    throw new BurrowError('PROTOCOL', `${where} speaks protocol ${hello.protocolVersion}, we speak ${PROTOCOL_VERSION}`);
  }
  if (nonce !== undefined) await proveInTheClear(channel, { psk, nonce, hello, where });
  channel.keepAlive(agreedHeartbeat(opts.heartbeatMs ?? 0, hello.heartbeatMs));
  return channel;
}

/** The client's half of cleartext.ts: check the server's proof, then send ours. */
async function proveInTheClear(channel: Channel, c: { psk: Buffer; nonce: Buffer; hello: burrow.Hello; where: string }): Promise<void> {
  if (!isNonce(c.hello.nonce) || !proofMatches(c.hello.proof, serverProof(c.psk, c.nonce, c.hello.nonce))) {
    channel.close('the server did not prove it knows the secret');
    throw new BurrowError('AUTH_FAILED', `${c.where} could not prove it knows this session's secret (wrong secret, or not the daemon meant)`);
  }
  await channel.send('cleartextProof', { proof: clientProof(c.psk, c.hello.nonce, c.nonce) });
}
