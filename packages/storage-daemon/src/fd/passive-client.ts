/**
 * A passive client's data connection (Bareos's `Passive = yes` on the Director's Client
 * resource): the Storage daemon connects to the File daemon, which cannot connect out,
 * instead of waiting for it. The key is the session's one-job token, which the File
 * daemon got with its order; the identity is the one a File daemon would use here
 * (`job:<jobId>`), so either side proves the same secret.
 */
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import { connectRetrying } from '@burrow/common/net/connect-retry';
import { FramePool } from '@burrow/common/net/frame-pool';

export interface PassiveTarget {
  readonly jobId: number;
  readonly address: string;
  readonly port: number;
  readonly token: Buffer;
  /** The Storage resource's Heartbeat Interval, in ms. */
  readonly heartbeatMs: number;
  /** The Storage resource's FD Connect Timeout, in ms: how long a File daemon that cannot be reached is tried. */
  readonly connectTimeoutMs: number;
  /** The job log's line when a try failed and another follows. */
  readonly notice: (text: string) => void;
}

/**
 * The Director says "connect" once it has sent the File daemon its order, which the File
 * daemon may not have read yet: a refused key is tried again, a few times over about 8 s
 * (0.25 s doubling), besides a File daemon that cannot be reached, which is tried until
 * the FD Connect Timeout (common/net/connect-retry.ts).
 */
const REFUSED_KEY_TRIES = 6;
const FIRST_PAUSE_MS = 250;

export function connectPassiveClient(t: PassiveTarget, signal: AbortSignal): Promise<Channel> {
  return connectRetrying((tryMs) => connect({
    host: t.address, port: t.port,
    self: { role: 'job', name: String(t.jobId) }, secret: t.token,
    peer: { role: 'client', name: `File daemon of JobId ${t.jobId}` },
    describeTarget: `passive File daemon of JobId ${t.jobId}`, signal, timeoutMs: tryMs,
    // A backup's records are given back once on the volume (backup-receiver.ts), as on the daemon's own port.
    framePool: new FramePool(),
    heartbeatMs: t.heartbeatMs,
  }), {
    timeoutMs: t.connectTimeoutMs, directive: 'FD Connect Timeout', signal, onRetry: t.notice, firstPauseMs: FIRST_PAUSE_MS,
    alsoRetry: (e, tries) => e.code === 'AUTH_FAILED' && tries < REFUSED_KEY_TRIES,
  });
}
