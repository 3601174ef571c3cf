/**
 * The parties of one job session on the SD: the daemon, the Director's connection and
 * the loop that reads it (DirectorPump: volume replies, a cancel), and the File
 * daemon's connection. A session's runner (backup-receiver.ts, restore-sender.ts) gets
 * them as one.
 */
import type { Channel } from '@burrow/common/net/channel';
import { Bandwidth } from '@burrow/common/net/bandwidth';
import type { Logger } from '@burrow/common/log/index';
import type { StorageContext } from '../context.js';
import type { DirectorPump } from '../dir/director-pump.js';

export interface SessionParties {
  ctx: StorageContext;
  director: Channel;
  pump: DirectorPump;
  client: Channel;
  log: Logger;
}

/** Aborts when the Director cancels the job or the daemon shuts down. */
export function sessionSignal(s: SessionParties): AbortSignal {
  return AbortSignal.any([s.pump.cancel.signal, s.ctx.signal]);
}

/**
 * The session's pace under the Storage resource's Maximum Bandwidth Per Job, or
 * undefined without one. A backup's records are read no faster (the full socket then
 * holds the File daemon back), a restore's or verify's sent no faster. The File daemon
 * paces the same data to its own limits: the lowest of them is the one that holds.
 */
export function sessionPace(s: SessionParties): Bandwidth | undefined {
  return s.ctx.maximumBandwidthPerJob > 0 ? new Bandwidth(s.ctx.maximumBandwidthPerJob) : undefined;
}
