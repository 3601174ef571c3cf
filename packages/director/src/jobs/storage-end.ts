/** The SD's part of a read session (restore, verify), as the Director sees it: log lines, then its end. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { JobLog } from './job-log.js';
import { peerStatus, type FinalStatus } from './status.js';

export async function awaitStorageEnd(sd: Channel, log: JobLog, totals: { sdStatus: FinalStatus }, name: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    const msg = await sd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', name);
        break;
      case 'sdSessionEnd':
        totals.sdStatus = peerStatus(msg.body.status);
        if (msg.body.error) log.error(msg.body.error, name);
        return;
      case 'error':
        throw new BurrowError('JOB_FAILED', `Storage daemon: ${msg.body.message ?? ''}`);
      default:
        throw sd.violation(`unexpected ${msg.kind} during a read session`);
    }
  }
}
