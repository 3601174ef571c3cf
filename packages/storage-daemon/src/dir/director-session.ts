/**
 * The Storage daemon's side of the Director conversation (its peer is
 * director/src/sd/). The first message says what the connection is for: a label, a
 * status request, or one job's backup or restore session.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import type { StorageContext } from '../context.js';
import { runBackupSession } from '../fd/backup-receiver.js';
import { runRestoreSession } from '../fd/restore-sender.js';
import { refuseMonitor, type DirectorAccess } from '@burrow/common/daemon/monitor';
import { statusText } from './status.js';
import { DirectorPump } from './director-pump.js';
import type { SessionParties } from '../fd/session.js';

/** What a Monitor Director (`Monitor = yes`) asked for, in the words of the refusal. */
const MONITOR_REFUSES: Readonly<Record<string, string>> = {
  sdLabel: 'a label', sdBackup: 'a backup session', sdRestore: 'a restore session',
};

export async function serveDirector(ctx: StorageContext, channel: Channel, log: Logger, access: DirectorAccess): Promise<void> {
  const first = await channel.receive(ctx.signal);
  if (access === 'monitor' && first.kind !== 'statusRequest') {
    await refuseMonitor(channel, MONITOR_REFUSES[first.kind] ?? first.kind, log);
    return;
  }
  switch (first.kind) {
    case 'sdLabel': {
      const device = ctx.device(first.body.device, first.body.mediaType);
      const volumeName = first.body.volumeName;
      const drive = device.spareDrive();
      await drive.label(volumeName, {
        poolName: first.body.poolName, mediaType: first.body.mediaType, labelledBy: ctx.name,
      });
      log.info({ volume: volumeName, device: device.name }, 'labelled volume');
      const volume = await drive.openRead();
      let volBytes = 0;
      try {
        const b = await volume.readBlock(volume.firstAddress());
        volBytes = b.kind === 'block' ? b.nextAddr : 0;
      } finally {
        await volume.close();
      }
      await drive.unmount();
      await channel.send('sdLabelReply', { volumeName, volBytes });
      channel.close('label done');
      return;
    }
    case 'statusRequest':
      await channel.send('statusReply', { text: statusText(ctx) });
      channel.close('status done');
      return;
    case 'sdBackup':
      await withSession({ ctx, director: channel, jobId: first.body.jobId, log }, (parties) => runBackupSession(parties, first.body));
      return;
    case 'sdRestore':
      await withSession({ ctx, director: channel, jobId: first.body.jobId, log }, (parties) => runRestoreSession(parties, first.body));
      return;
    default:
      throw channel.violation(`a Director may not open with ${first.kind}`);
  }
}

/** Opens the one-job session, waits for the FD, runs the job, and always tidies up. */
async function withSession(
  { ctx, director, jobId, log }: { ctx: StorageContext; director: Channel; jobId: number; log: Logger },
  run: (parties: SessionParties) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(jobId) || jobId <= 0) throw new BurrowError('PROTOCOL', 'a session needs a job id');
  if (ctx.running.size >= ctx.maximumConcurrentJobs) {
    throw new BurrowError('JOB_FAILED', `Storage daemon ${ctx.name} already runs ${ctx.running.size} sessions, its Maximum Concurrent Jobs`);
  }
  const session = ctx.sessions.open(jobId);
  ctx.running.set(jobId, { startedAt: Date.now(), director: director.peer.name });
  try {
    await director.send('sdReady', { token: session.token });
    // From here on one loop reads the Director: a cancel may come before the FD does.
    const pump = new DirectorPump(director);
    const client = await Promise.race([
      session.client,
      new Promise<never>((_resolve, reject) => {
        pump.cancel.signal.addEventListener('abort', () => reject(pump.cancel.signal.reason), { once: true });
      }),
    ]);
    try {
      await run({ ctx, director, pump, client, log });
    } finally {
      client.close('session over');
    }
  } catch (err) {
    const e = toBurrowError(err);
    log.warn({ jobId, code: e.code }, `session ended: ${e.message}`);
    if (!director.closed) {
      await director.send('sdSessionEnd', { status: e.code === 'JOB_CANCELED' ? 'A' : 'E', error: e.message }).catch(() => undefined);
    }
  } finally {
    session.cancel();
    ctx.running.delete(jobId);
    director.close('session over');
  }
}
