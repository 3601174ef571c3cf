/** The FD's part of any job, as the Director sees it: log lines, then the job's end. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { Message } from '@burrow/common/proto/index';
import type { JobLog } from './job-log.js';
import { peerStatus, type FinalStatus } from './status.js';

/** The FD's part of a job's totals, filled in when the FD reports its end. */
export interface ClientTotals {
  fdFiles: number;
  fdBytes: number;
  fdErrors: number;
  fdStatus: FinalStatus;
}

/**
 * `handle` takes the messages particular to a job type (Accurate mode's deleted
 * entries, a verify's entries); it returns false for one it does not expect.
 */
export async function awaitClientEnd(fd: Channel, log: JobLog, totals: ClientTotals, signal: AbortSignal, handle?: (msg: Message) => boolean): Promise<void> {
  for (;;) {
    const msg = await fd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', fd.peer.name);
        break;
      case 'fdJobEnd':
        if (msg.body.error) log.error(msg.body.error, fd.peer.name);
        totals.fdFiles = Number(msg.body.files ?? 0);
        totals.fdBytes = Number(msg.body.bytes ?? 0);
        totals.fdErrors = msg.body.errors ?? 0;
        totals.fdStatus = peerStatus(msg.body.status);
        return;
      case 'error':
        throw new BurrowError('JOB_FAILED', `File daemon: ${msg.body.message ?? ''}`);
      default:
        if (!handle?.(msg)) throw fd.violation(`unexpected ${msg.kind} during a job`);
    }
  }
}
