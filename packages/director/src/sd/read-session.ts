/** The SD's part of a read session (restore, verify), as the Director sees it: log lines, then its end. */
import { peerError, type Channel } from '@burrow/common/net/channel';
import type { JobLines } from '../messages/job-lines.js';
import { relayedText, type FileNamer } from '../messages/file-lines.js';

export interface ReadSessionConversation {
  sd: Channel;
  log: JobLines;
  /** The Storage resource's name, which the SD's lines are relayed under. */
  storageName: string;
  signal: AbortSignal;
  /** Names the files a line gives by number (damaged records), from the catalog. */
  nameFile?: FileNamer;
}

/** Resolves with the session's Bareos status letter, unchecked. */
export async function awaitReadSessionEnd({ sd, log, storageName, signal, nameFile }: ReadSessionConversation): Promise<string> {
  for (;;) {
    const msg = await sd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level, relayedText(msg.body, nameFile), storageName);
        break;
      case 'sdSessionEnd':
        if (msg.body.error) log.error(msg.body.error, storageName);
        return msg.body.status;
      case 'error':
        throw peerError(msg.body, 'Storage daemon');
      default:
        throw sd.violation(`unexpected ${msg.kind} during a read session`);
    }
  }
}
