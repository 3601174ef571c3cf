/**
 * TLS 1.2 with pre-shared keys: no certificates to manage, and both ends prove they
 * know the resource's password without ever sending it. The identity names the
 * connecting peer's role and resource name (`director:bareos-dir`); the key is
 * derived from the password and that identity, so a key overheard for one pairing is
 * useless for another.
 */
import { createHmac } from 'node:crypto';
import { BurrowError } from '../errors/index.js';

export type PeerRole = 'director' | 'console' | 'job' | 'storage' | 'client';
const ROLES: ReadonlySet<string> = new Set<PeerRole>(['director', 'console', 'job', 'storage', 'client']);

export interface PeerIdentity {
  role: PeerRole;
  name: string;
}

/** Cipher suites offered: PSK with AES-GCM only (Node supports PSK only up to TLS 1.2). */
export const PSK_CIPHERS = 'PSK-AES256-GCM-SHA384:PSK-AES128-GCM-SHA256';

export function formatIdentity(id: PeerIdentity): string {
  return `${id.role}:${id.name}`;
}

export function parseIdentity(text: string): PeerIdentity {
  const colon = text.indexOf(':');
  const role = colon > 0 ? text.slice(0, colon) : '';
  if (!ROLES.has(role)) throw new BurrowError('AUTH_FAILED', `unknown peer identity "${text}"`);
  return { role: role as PeerRole, name: text.slice(colon + 1) };
}

/** The key for `identity` given the shared secret (a password, or a one-job token). */
export function derivePsk(secret: string | Buffer, identity: PeerIdentity): Buffer {
  return createHmac('sha256', secret).update(`burrow-psk-v1\0${formatIdentity(identity)}`).digest();
}
