/**
 * The SD's part of a read session (restore, verify), as the Director sees it: log
 * lines, requests for a volume it cannot have now (a cartridge out of the changer), then
 * its end.
 */
import { peerError, type Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';
import type { JobLines } from '../messages/job-lines.js';
import { relayedText, type FileNamer } from '../messages/file-lines.js';
import { receiveUnlessExpired } from './session-receive.js';

/** The job's side of waiting for a volume to read (jobs/cartridge-wait.ts); the session only reports and obeys. */
export interface ReadVolumeWaiting {
  /** Aborts when the job may wait no longer (its Max Wait Time). */
  readonly expired: AbortSignal;
  /** The SD cannot have a volume now: how long it waits before trying again (the catalog learns why first). */
  volumeRequested(req: burrow.SdReadVolumeRequest): Promise<{ pollSeconds: number }>;
  /** The SD mounted a volume to read (on a changer's drive it says which, for the catalog). */
  mounted(m: burrow.SdVolumeMounted): Promise<void>;
  /** The session goes on, or ends: the wait, if any, is over. */
  resumed(): void;
}

export interface ReadSessionConversation {
  sd: Channel;
  jobId: number;
  log: JobLines;
  /** The Storage resource's name, which the SD's lines are relayed under. */
  storageName: string;
  signal: AbortSignal;
  wait: ReadVolumeWaiting;
  /** Names the files a line gives by number (damaged records), from the catalog. */
  nameFile?: FileNamer;
  /** Told of each volume mounted on the job's drive (a live event: jobs/drive-session.ts). */
  drive?: { mounted(m: burrow.SdVolumeMounted): void };
}

/** Resolves with the session's Bareos status letter, unchecked. */
export async function awaitReadSessionEnd(c: ReadSessionConversation): Promise<string> {
  const { sd, log, storageName, nameFile, wait } = c;
  try {
    for (;;) {
      const msg = await receiveUnlessExpired(sd, { jobId: c.jobId, signal: c.signal, expired: wait.expired });
      if (msg.kind === 'sdReadVolumeRequest') {
        const { pollSeconds } = await wait.volumeRequested(msg.body);
        await sd.send('sdVolumeReply', { noVolume: true, wantedVolume: msg.body.volumeName, pollSeconds });
        continue;
      }
      wait.resumed();
      switch (msg.kind) {
        case 'jobMessage':
          log.relay(msg.body.level, await relayedText(msg.body, nameFile), storageName);
          break;
        case 'sdVolumeMounted':
          await wait.mounted(msg.body);
          c.drive?.mounted(msg.body);
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
  } finally {
    wait.resumed();
  }
}
