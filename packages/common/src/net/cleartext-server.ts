/**
 * The server's half of authentication without TLS (cleartext.ts): only for peers the
 * daemon's configuration lets in the clear, and only with a proof of the secret.
 */
import { BurrowError } from '../errors/index.js';
import { PROTOCOL_VERSION, SOFTWARE } from '../proto/index.js';
import type { Channel } from './channel.js';
import { clientProof, freshNonce, isNonce, proofMatches, serverProof } from './cleartext.js';
import { parseIdentity, type PeerIdentity } from './psk.js';
import { agreedHeartbeat } from './heartbeat.js';

export interface CleartextPolicy {
  /** Who this daemon is, announced in its Hello. */
  readonly self: PeerIdentity;
  readonly lookupPsk: (peer: PeerIdentity) => Buffer | undefined;
  /** Whether this peer may connect without TLS (a data session with TLS switched off). */
  readonly allowed: (peer: PeerIdentity) => boolean;
  readonly signal: AbortSignal;
  /** Our Heartbeat Interval in ms for a peer (heartbeat.ts); absent: none. */
  readonly heartbeatMs?: (peer: PeerIdentity) => number;
}

/** Runs the exchange on a channel that arrived without TLS; returns who proved to be at the other end. */
export async function cleartextHandshake(channel: Channel, p: CleartextPolicy): Promise<PeerIdentity> {
  const hello = await channel.expect('hello', p.signal);
  const peer = parseIdentity(`${hello.role}:${hello.name}`);
  if (hello.protocolVersion !== PROTOCOL_VERSION) {
    throw new BurrowError('PROTOCOL', `${hello.software || 'the peer'} speaks protocol ${hello.protocolVersion}; ${SOFTWARE} speaks ${PROTOCOL_VERSION}`);
  }
  if (!p.allowed(peer)) {
    throw new BurrowError('AUTH_FAILED', `${peer.role} "${peer.name}" connected without TLS, which this daemon requires for it (TLS Enable, TLS Require)`);
  }
  const psk = p.lookupPsk(peer);
  if (psk === undefined) throw new BurrowError('AUTH_FAILED', `no such peer configured: ${peer.role} "${peer.name}"`);
  if (!isNonce(hello.nonce)) throw new BurrowError('PROTOCOL', 'a Hello without TLS carries no nonce');
  const nonce = freshNonce();
  const heartbeatMs = p.heartbeatMs?.(peer) ?? 0;
  await channel.send('hello', {
    protocolVersion: PROTOCOL_VERSION, role: p.self.role, name: p.self.name, software: SOFTWARE,
    nonce, proof: serverProof(psk, hello.nonce, nonce), heartbeatMs,
  });
  const answer = await channel.expect('cleartextProof', p.signal);
  if (!proofMatches(answer.proof, clientProof(psk, nonce, hello.nonce))) {
    throw new BurrowError('AUTH_FAILED', `${peer.role} "${peer.name}" could not prove it knows the secret (wrong password or token)`);
  }
  channel.keepAlive(agreedHeartbeat(heartbeatMs, hello.heartbeatMs));
  return peer;
}
