/**
 * The Director's side of the Storage daemon conversation (its peer is
 * storage-daemon/src/dir/). One connection per job or per console request, as Bareos
 * does, so the connection itself is the session.
 */
import type { Channel } from '@burrow/common/net/channel';
import type { StorageTarget } from '../jobs/plan.js';
import { connectDaemon } from '../peer-connect.js';

export function openStorage(target: StorageTarget, directorName: string, signal?: AbortSignal): Promise<Channel> {
  return connectDaemon(target, 'storage', directorName, signal);
}

export interface LabelRequest {
  volumeName: string;
  poolName: string;
}

/** Writes a volume label through the SD; returns the volume's size after labelling. */
export async function labelVolume(target: StorageTarget, directorName: string, req: LabelRequest): Promise<number> {
  const channel = await openStorage(target, directorName);
  try {
    await channel.send('sdLabel', { device: target.device, volumeName: req.volumeName, poolName: req.poolName, mediaType: target.mediaType });
    const reply = await channel.expect('sdLabelReply');
    return Number(reply.volBytes ?? 0);
  } finally {
    channel.close('label done');
  }
}
