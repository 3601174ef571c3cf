/**
 * The shape every Director job shares: it talks to a Storage daemon and a File daemon
 * at once; a cancel is passed on to both; whatever goes wrong ends in the job log,
 * never in an exception; both connections close at the end.
 */
import { describeError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { JobLog } from './job-log.js';
import { worse, type FinalStatus } from './status.js';

/** The connections a job has opened so far; the body fills them in. */
export interface Peers {
  sd?: Channel;
  fd?: Channel;
}

export interface Conversation {
  jobId: number;
  log: JobLog;
  signal: AbortSignal;
  /** Opens the connections, gives the orders, and returns the tasks that serve each peer. */
  open: (peers: Peers) => Promise<Array<Promise<void>>>;
}

export async function converse(c: Conversation): Promise<void> {
  const peers: Peers = {};
  const cancelPeers = (): void => {
    for (const ch of [peers.sd, peers.fd]) ch?.send('cancel', { jobId: c.jobId }).catch(() => undefined);
  };
  const onAbort = (): void => {
    c.log.worsen('A');
    cancelPeers();
  };
  c.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // A peer lost (killed, cut off) fails its part: the other is told to stop at once, as
    // Bareos's Director cancels the File daemon when the Storage daemon goes, rather than
    // waiting for it to find out (it may be in a Run Before Job script, or at a FIFO).
    const tasks = (await c.open(peers)).map((task) => task.catch((err: unknown) => {
      cancelPeers();
      throw err;
    }));
    for (const r of await Promise.allSettled(tasks)) {
      // A canceled job says so once (the queue's line), not once per peer it stopped waiting for.
      if (r.status === 'rejected' && !(c.signal.aborted && toBurrowError(r.reason).code === 'JOB_CANCELED')) c.log.fatal(describeError(r.reason));
    }
  } catch (err) {
    const e = toBurrowError(err);
    if (e.code === 'JOB_CANCELED' || c.signal.aborted) c.log.worsen('A');
    else c.log.fatal(e.message);
  } finally {
    c.signal.removeEventListener('abort', onAbort);
    peers.sd?.close('job done');
    peers.fd?.close('job done');
  }
}

/** The job's final status: the worst anyone reported; a canceled job is Canceled. */
export function finalStatus(log: JobLog, fd: FinalStatus, sd: FinalStatus, signal: AbortSignal): FinalStatus {
  if (signal.aborted) return 'A';
  // A peer we canceled because the other failed (or was lost) is that failure, not a cancel.
  const ok = (s: FinalStatus): boolean => s === 'T' || s === 'W';
  const sdOwn = sd === 'A' && !ok(fd) ? 'E' : sd;
  const fdOwn = fd === 'A' && !ok(sd) ? 'E' : fd;
  return worse(log.status, worse(fdOwn, sdOwn));
}

/**
 * When the File daemon's part ends badly before it ever reached the Storage daemon (a
 * refused script, a missing file set), the SD would wait for it until its session
 * times out: end that session now.
 */
export function endStorageIfClientFailed(peers: Peers, jobId: number, status: () => FinalStatus): () => void {
  return () => {
    const s = status();
    if (s !== 'T' && s !== 'W') peers.sd?.send('cancel', { jobId }).catch(() => undefined);
  };
}
