/** The FD's part of any job, as the Director sees it: log lines, then the job's end. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { JobLog } from './job-log.js';
import { peerStatus, type FinalStatus } from './status.js';

export interface ClientEnd {
  files: number;
  bytes: number;
  errors: number;
  status: FinalStatus;
}

export async function awaitClientEnd(fd: Channel, log: JobLog, signal: AbortSignal): Promise<ClientEnd> {
  for (;;) {
    const msg = await fd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', fd.peer.name);
        break;
      case 'fdJobEnd':
        if (msg.body.error) log.error(msg.body.error, fd.peer.name);
        return {
          files: Number(msg.body.files ?? 0),
          bytes: Number(msg.body.bytes ?? 0),
          errors: msg.body.errors ?? 0,
          status: peerStatus(msg.body.status),
        };
      case 'error':
        throw new BurrowError('JOB_FAILED', `File daemon: ${msg.body.message ?? ''}`);
      default:
        throw fd.violation(`unexpected ${msg.kind} during a job`);
    }
  }
}
