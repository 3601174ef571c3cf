/** The FD's part of any job, as the Director sees it: log lines, then the job's end. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { JobLog } from './job-log.js';
import { peerStatus, type FinalStatus } from './status.js';

/** The FD's part of a job's totals, filled in when the FD reports its end. */
export interface ClientTotals {
  fdFiles: number;
  fdBytes: number;
  fdErrors: number;
  fdStatus: FinalStatus;
}

/** `onDeleted`: Accurate mode's report of state entries the backup did not meet. */
export async function awaitClientEnd(fd: Channel, log: JobLog, totals: ClientTotals, signal: AbortSignal, onDeleted?: (seqs: number[]) => void): Promise<void> {
  for (;;) {
    const msg = await fd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', fd.peer.name);
        break;
      case 'accurateDeleted':
        if (!onDeleted) throw fd.violation('accurateDeleted outside an accurate backup');
        onDeleted(msg.body.seqs ?? []);
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
        throw fd.violation(`unexpected ${msg.kind} during a job`);
    }
  }
}
