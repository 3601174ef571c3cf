/**
 * A backup on the client: in Accurate mode first take in the current backup state,
 * then walk the FileSet streaming every record to the SD session, and finally name
 * the files of the state the walk did not meet (deleted since).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import type { Bandwidth } from '@burrow/common/net/bandwidth';
import type { burrow, Message } from '@burrow/common/proto/index';
import { accurateNeeds, receiveState, sendDeleted } from '../accurate/receive.js';
import { backupFileSet, type BackupView } from '../backup/index.js';
import type { LiveProgress } from '../context.js';
import { Hashers } from '../digest/hashers.js';
import type { DigestThread } from '../digest/thread.js';
import type { CompressThread } from '../backup/compress-thread.js';
import { compileFileSet } from '../fileset/index.js';
import { openStorageSession, storageSink } from '../sd/storage-link.js';
import type { JobReporter } from './job-reporter.js';
import { refusal, type ScriptPolicy } from '../scripts/client-scripts.js';

export interface BackupJobContext {
  signal: AbortSignal;
  reporter: JobReporter;
  director: Channel;
  fromDirector: () => Promise<Message>;
  /** The client's script policy, which FileSet commands (`|command`, bpipe) obey too. */
  policy: ScriptPolicy;
  clientName: string;
  /** The daemon's digest thread, for large files. */
  digestThread: DigestThread;
  /** The daemon's compression thread, for small files' chunks. */
  compressThread: CompressThread;
  /** The FileDaemon resource's TLS Enable: whether the data channel uses TLS. */
  dataTls: boolean;
  /** A passive client's session, which the Storage daemon connects to (storage-link.ts). */
  passive?: OpenedSession;
  /** The job's bandwidth limit (common/net/bandwidth.ts), which `setbandwidth` may change while it runs. */
  bandwidth: Bandwidth;
  /** The FileDaemon resource's Heartbeat Interval, in ms. */
  heartbeatMs: number;
  /** The FileDaemon resource's SD Connect Timeout, in ms. */
  sdConnectTimeoutMs: number;
  /** Where status client reads how far the backup got. */
  live: LiveProgress;
}

export async function runBackupJob(order: burrow.FdBackupOrder, c: BackupJobContext): Promise<burrow.IFdJobEnd> {
  const { signal, reporter } = c;
  const { jobId } = order;
  if (!order.fileset) throw new BurrowError('PROTOCOL', 'backup order without a FileSet');
  const fileset = compileFileSet(order.fileset);
  const accurate = order.accurate ? await receiveState(order.accurateCount, accurateNeeds(order.fileset), c.fromDirector) : null;
  if (accurate) reporter.say('info', `Accurate mode: comparing with ${accurate.entries} files of the current backup state.`);
  const link = { signal, tls: c.dataTls, caution: (text: string) => reporter.say('caution', text), passive: c.passive, heartbeatMs: c.heartbeatMs, connectTimeoutMs: c.sdConnectTimeoutMs };
  const sd = await openStorageSession({ jobId, sdAddress: order.sdAddress, sdPort: order.sdPort, token: order.token }, link);
  try {
    const sink = storageSink(sd, { bandwidth: c.bandwidth, signal });
    const since = accurate ? null : order.since;
    const commandRefusal = (command: string): Promise<string | undefined> => refusal(command, c.policy, c.clientName);
    const hashers = await Hashers.create(c.digestThread);
    const onStart = (view: BackupView): void => {
      c.live.sample = () => ({ files: view.totals.files, bytes: view.totals.bytes, file: view.current });
    };
    const totals = await backupFileSet({ fileset, sink, signal, since, accurate, commandRefusal, hashers, compressThread: c.compressThread, onFileIssue: (issue) => reporter.fileIssue(issue), onStart });
    // A job canceled (or whose Director is gone) while a file was being read may see that
    // file end early rather than fail: it must not tell the SD that all went well, or the
    // session would be ended on the volume as a good one (status T).
    signal.throwIfAborted();
    await sd.send('dataEnd', {});
    await sd.expect('dataEndAck', signal);
    if (accurate) {
      const deleted = await sendDeleted(accurate, c.director);
      if (deleted > 0) reporter.say('info', `Accurate mode: ${deleted} files of the previous state are gone.`);
    }
    return { files: totals.files, bytes: totals.bytes, errors: reporter.errors, status: reporter.status(), wireBytes: sink.wireBytes };
  } finally {
    sd.close('backup done');
  }
}
