/** Reading a job session's SD connection while the job may wait for a volume. */
import type { Channel } from '@burrow/common/net/channel';

/**
 * The SD's next message. When the job's Max Wait Time runs out (`expired`) while it
 * waits for a volume, the SD's session is canceled (its drive is free again) and the
 * job fails with the expiry's reason.
 */
export async function receiveUnlessExpired(sd: Channel, o: { jobId: number; signal: AbortSignal; expired: AbortSignal }): ReturnType<Channel['receive']> {
  try {
    return await sd.receive(AbortSignal.any([o.signal, o.expired]));
  } catch (err) {
    if (!o.expired.aborted || o.signal.aborted) throw err;
    // An SD that cannot be told any more has dropped the session (and its drive) itself; the job fails either way.
    await sd.send('cancel', { jobId: o.jobId }).catch(() => undefined);
    throw o.expired.reason;
  }
}
