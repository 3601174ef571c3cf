/**
 * The HTTP API's sessions: a login with a Console's name and password gets a random
 * token that stands for that console until it expires (the Director resource's Http
 * Token Lifetime) or is logged out. Each token keeps its own ConsoleSession, so the
 * `.bvfs_*` browsing and selections of one client's restore carry from one request to
 * the next, as they do on one bconsole connection. Tokens live in memory: a Director
 * restart logs everyone out.
 */
import { randomBytes } from 'node:crypto';
import type { ConsoleSession } from '../console/command.js';
import type { Clock } from '../time/clock.js';

export interface HttpLogin {
  token: string;
  consoleName: string;
  expiresAt: number;
  session: ConsoleSession;
}

export class TokenStore {
  private readonly logins = new Map<string, HttpLogin>();

  constructor(private readonly clock: Clock, private readonly lifetimeMs: () => number) {}

  issue(consoleName: string, address: string): { token: string; expiresAt: number } {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.clock.now() + this.lifetimeMs();
    this.logins.set(token, { token, consoleName, expiresAt, session: { consoleName, address, api: true } });
    return { token, expiresAt };
  }

  /** The login a token stands for, if it is one of ours and has not expired. */
  find(token: string): HttpLogin | undefined {
    const login = this.logins.get(token);
    if (!login) return undefined;
    if (login.expiresAt <= this.clock.now()) {
      this.logins.delete(token);
      return undefined;
    }
    return login;
  }

  revoke(token: string): boolean {
    return this.logins.delete(token);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [token, login] of this.logins) if (login.expiresAt <= now) this.logins.delete(token);
  }
}
