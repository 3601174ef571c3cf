/**
 * One-job secrets: when the Director opens a session, the SD makes a random token,
 * hands it to the Director (who passes it to the File daemon), and accepts exactly
 * one data connection whose TLS key derives from it (identity `job:<jobId>`). A
 * session not claimed in time expires, so a leaked token is worth little. A passive
 * client's File daemon (Passive = yes) keeps one of these too: there the Storage
 * daemon connects, with the token the Director handed the File daemon. How long a
 * session waits is a directive of the waiting daemon (the SD's Client Connect Wait, the
 * passive File daemon's SD Connect Timeout), so a peer still retrying is waited for.
 */
import { randomBytes } from 'node:crypto';
import { BurrowError } from '../errors/index.js';
import type { Channel } from './channel.js';
import { derivePsk, type PeerIdentity } from './psk.js';
import { systemRetryClock, type RetryClock } from './connect-retry.js';

interface Pending {
  token: Buffer;
  claim: (channel: Channel) => void;
  fail: (err: BurrowError) => void;
  /** Ends the wait for the connection (claimed or withdrawn). */
  stopWaiting: AbortController;
}

export interface SessionWait {
  /** How long a session waits for its connection, in ms. */
  readonly claimTimeoutMs: number;
  /** Who is expected to connect, for the timeout's message ("the File daemon"). */
  readonly connecting: string;
  /** The directive that set the wait, for the message ("Client Connect Wait"). */
  readonly directive: string;
  /** Time as the wait sees it (tests move it). */
  readonly clock?: RetryClock;
}

export interface OpenedSession {
  token: Buffer;
  /** Resolves with the FD's data connection once it has authenticated. */
  client: Promise<Channel>;
  /** Withdraws the token (on cancel or when the Director goes away). */
  cancel: () => void;
}

export class SessionRegistry {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly wait: SessionWait) {}

  /** Opens job `jobId`'s session, with a fresh token or the one given (made by the other daemon). */
  open(jobId: number, given?: Buffer): OpenedSession {
    const key = String(jobId);
    if (this.pending.has(key)) throw new BurrowError('BAD_REQUEST', `JobId ${jobId} already has an open session`);
    const token = given ?? randomBytes(32);
    let claim!: (c: Channel) => void;
    let fail!: (e: BurrowError) => void;
    const client = new Promise<Channel>((resolve, reject) => {
      claim = resolve;
      fail = reject;
    });
    client.catch(() => undefined); // Observed by whoever awaits it; never an unhandled rejection.
    const stopWaiting = new AbortController();
    const { claimTimeoutMs, connecting, directive, clock = systemRetryClock } = this.wait;
    clock.sleep(claimTimeoutMs, stopWaiting.signal).then(() => {
      if (this.pending.get(key)?.stopWaiting !== stopWaiting) return;
      this.pending.delete(key);
      fail(new BurrowError('TIMEOUT', `${connecting} did not connect for JobId ${jobId} within ${claimTimeoutMs / 1000} s (${directive})`));
    }, () => undefined);
    this.pending.set(key, { token, claim, fail, stopWaiting });
    return {
      token,
      client,
      cancel: () => {
        const p = this.pending.get(key);
        // Claimed already, or a later session of the same job waits (a passive client's next read session).
        if (p?.stopWaiting !== stopWaiting) return;
        p.stopWaiting.abort();
        this.pending.delete(key);
        p.fail(new BurrowError('JOB_CANCELED', `session of JobId ${jobId} withdrawn`));
      },
    };
  }

  /** The TLS key for a `job:<id>` identity, or undefined when no such session waits. */
  pskFor(peer: PeerIdentity): Buffer | undefined {
    const p = this.pending.get(peer.name);
    return p ? derivePsk(p.token, peer) : undefined;
  }

  /** Hands an authenticated data connection to its session; each token works once. */
  claim(channel: Channel): void {
    const p = this.pending.get(channel.peer.name);
    if (!p) throw new BurrowError('AUTH_FAILED', `no session waits for ${channel.peer.name}`);
    p.stopWaiting.abort();
    this.pending.delete(channel.peer.name);
    p.claim(channel);
  }
}
