/**
 * A passive client's data connection (Bareos's `Passive = yes` on the Director's Client
 * resource): the Storage daemon connects to the File daemon, which cannot connect out,
 * instead of waiting for it. The key is the session's one-job token, which the File
 * daemon got with its order; the identity is the one a File daemon would use here
 * (`job:<jobId>`), so either side proves the same secret.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import { FramePool } from '@burrow/common/net/frame-pool';
import { sleep } from '@burrow/common/signals/sleep';

export interface PassiveTarget {
  readonly jobId: number;
  readonly address: string;
  readonly port: number;
  readonly token: Buffer;
  /** The Storage resource's Heartbeat Interval, in ms. */
  readonly heartbeatMs: number;
}

/**
 * The Director says "connect" once it has sent the File daemon its order, which the File
 * daemon may not have read yet: a refused key is tried again for a little while.
 */
const REFUSED_RETRIES = 20;
const REFUSED_PAUSE_MS = 250;

export async function connectPassiveClient(t: PassiveTarget, signal: AbortSignal): Promise<Channel> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect({
        host: t.address, port: t.port,
        self: { role: 'job', name: String(t.jobId) }, secret: t.token,
        peer: { role: 'client', name: `File daemon of JobId ${t.jobId}` },
        describeTarget: `passive File daemon of JobId ${t.jobId}`, signal,
        // A backup's records are given back once on the volume (backup-receiver.ts), as on the daemon's own port.
        framePool: new FramePool(),
        heartbeatMs: t.heartbeatMs,
      });
    } catch (err) {
      const e = toBurrowError(err);
      if (e.code !== 'AUTH_FAILED' || attempt >= REFUSED_RETRIES || signal.aborted) throw e;
      await sleep(REFUSED_PAUSE_MS, signal);
      if (signal.aborted) throw new BurrowError('JOB_CANCELED', 'canceled while connecting to the passive File daemon');
    }
  }
}
