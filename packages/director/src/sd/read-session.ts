/** The SD's part of a read session (restore, verify), as the Director sees it: log lines, then its end. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { JobLines } from '../messages/job-lines.js';

/** Resolves with the session's Bareos status letter, unchecked. */
export async function awaitReadSessionEnd(sd: Channel, log: JobLines, storageName: string, signal: AbortSignal): Promise<string> {
  for (;;) {
    const msg = await sd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', storageName);
        break;
      case 'sdSessionEnd':
        if (msg.body.error) log.error(msg.body.error, storageName);
        return msg.body.status ?? '';
      case 'error':
        throw new BurrowError('JOB_FAILED', `Storage daemon: ${msg.body.message ?? ''}`);
      default:
        throw sd.violation(`unexpected ${msg.kind} during a read session`);
    }
  }
}
