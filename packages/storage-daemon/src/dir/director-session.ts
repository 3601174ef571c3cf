/**
 * The Storage daemon's side of the Director conversation (its peer is
 * director/src/sd/). The first message says what the connection is for: a label, the
 * operator's mount, unmount or release of a drive, an autochanger question, a status request, or one job's
 * backup or restore session (job-session.ts).
 */
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import type { burrow } from '@burrow/common/proto/index';
import { refuseMonitor, type DirectorAccess } from '@burrow/common/daemon/monitor';
import type { StorageContext } from '../context.js';
import { changerReply } from './changer-commands.js';
import { driveReply } from './drive-commands.js';
import { backupSession, restoreSession } from './job-session.js';
import { statusReply } from './status.js';

/** What a Monitor Director (`Monitor = yes`) asked for, in the words of the refusal. */
const MONITOR_REFUSES: Readonly<Record<string, string>> = {
  sdLabel: 'a label', sdBackup: 'a backup session', sdRestore: 'a restore session', sdDrive: 'a mount, unmount or release', sdChanger: 'an autochanger command',
};

export async function serveDirector(ctx: StorageContext, channel: Channel, log: Logger, access: DirectorAccess): Promise<void> {
  const first = await channel.receive(ctx.signal);
  if (access === 'monitor' && first.kind !== 'statusRequest') {
    await refuseMonitor(channel, MONITOR_REFUSES[first.kind] ?? first.kind, log);
    return;
  }
  switch (first.kind) {
    case 'sdLabel':
      await label(ctx, channel, log, first.body);
      return;
    case 'sdDrive':
      await channel.send('sdDriveReply', await driveReply(ctx.operator, first.body));
      channel.close('drive command done');
      return;
    case 'sdChanger':
      await channel.send('sdChangerReply', await changerReply(ctx.reservations.table, first.body));
      channel.close('changer command done');
      return;
    case 'statusRequest':
      await channel.send('statusReply', statusReply(ctx));
      channel.close('status done');
      return;
    case 'sdBackup':
      await backupSession(ctx, channel, log, first.body);
      return;
    case 'sdRestore':
      await restoreSession(ctx, channel, log, first.body);
      return;
    default:
      throw channel.violation(`a Director may not open with ${first.kind}`);
  }
}

/** The operator's label: a new volume on the drive the Director names; its size goes back for the catalog. */
async function label(ctx: StorageContext, channel: Channel, log: Logger, req: burrow.SdLabelRequest): Promise<void> {
  const { volumeName } = req;
  const mounted = await ctx.operator.label({ device: req.device, drive: req.drive }, volumeName, {
    poolName: req.poolName, mediaType: req.mediaType, labelledBy: ctx.name,
  }, { relabel: req.overwrite === true, renameFrom: req.oldVolumeName === '' ? undefined : req.oldVolumeName, slot: req.slot });
  log.info({ volume: volumeName, from: req.oldVolumeName || undefined, drive: mounted.drive }, 'labelled volume');
  await channel.send('sdLabelReply', { volumeName, volBytes: mounted.volBytes, volFiles: mounted.volFiles });
  channel.close('label done');
}
