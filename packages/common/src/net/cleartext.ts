/**
 * Authentication without TLS, for the one connection an administrator may run in
 * the clear: a File daemon's data session with a Storage daemon whose TLS is switched
 * off (`TLS Enable = no`, as Bareos lets one do; Burrow warns in the job log). The
 * data then travels unencrypted, but the session's secret never does: each side
 * proves it knows the key (the PSK TLS would have used) by an HMAC over a fresh nonce
 * of each side, server first, so a client never talks to an impostor and a recorded
 * exchange cannot be replayed.
 *
 *     client -> Hello { nonce: Nc }
 *     server -> Hello { nonce: Ns, proof: HMAC(key, "server", Nc, Ns) }
 *     client -> CleartextProof { proof: HMAC(key, "client", Ns, Nc) }
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_BYTES = 32;

export function freshNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

function proof(key: Buffer, side: 'server' | 'client', first: Uint8Array, second: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`burrow-cleartext-v1\0${side}\0`).update(first).update(second).digest();
}

/** The server's proof, over the client's nonce then its own. */
export function serverProof(key: Buffer, clientNonce: Uint8Array, serverNonce: Uint8Array): Buffer {
  return proof(key, 'server', clientNonce, serverNonce);
}

/** The client's proof, over the server's nonce then its own. */
export function clientProof(key: Buffer, serverNonce: Uint8Array, clientNonce: Uint8Array): Buffer {
  return proof(key, 'client', serverNonce, clientNonce);
}

/** Whether a received proof is the expected one, in constant time. */
export function proofMatches(got: Uint8Array, want: Buffer): boolean {
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Whether a nonce is one: the right length (a peer sending none is not doing this exchange). */
export function isNonce(n: Uint8Array): boolean {
  return n.length === NONCE_BYTES;
}
