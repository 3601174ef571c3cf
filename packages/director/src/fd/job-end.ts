/** The FD's part of any job, as the Director sees it: log lines, then the job's end. */
import { peerError, type Channel } from '@burrow/common/net/channel';
import type { Message } from '@burrow/common/proto/index';
import type { JobLines } from '../messages/job-lines.js';
import { relayedText, type FileNamer } from '../messages/file-lines.js';

/** What the FD reports at its end; `status` is its Bareos status letter, unchecked. */
export interface ClientJobEnd {
  files: number;
  bytes: number;
  errors: number;
  status: string;
}

export interface ClientConversation {
  fd: Channel;
  log: JobLines;
  signal: AbortSignal;
  /**
   * Takes the messages particular to a job type (Accurate mode's deleted entries, a
   * verify's entries); returns false for one it does not expect.
   */
  handle?: (msg: Message) => boolean | Promise<boolean>;
  /** Names the files a line gives by number (a restore's, from the catalog). */
  nameFile?: FileNamer;
}

export async function awaitClientEnd({ fd, log, signal, handle, nameFile }: ClientConversation): Promise<ClientJobEnd> {
  for (;;) {
    const msg = await fd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level, await relayedText(msg.body, nameFile), fd.peer.name);
        break;
      case 'fdJobEnd':
        if (msg.body.error) log.error(msg.body.error, fd.peer.name);
        return {
          files: msg.body.files, bytes: msg.body.bytes, errors: msg.body.errors, status: msg.body.status,
        };
      case 'error':
        throw peerError(msg.body, 'File daemon');
      default:
        if (!(await handle?.(msg))) throw fd.violation(`unexpected ${msg.kind} during a job`);
    }
  }
}
