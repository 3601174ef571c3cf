/**
 * The Director's side of the Storage daemon conversation (its peer is
 * storage-daemon/src/dir/). One connection per job or per console request, as Bareos
 * does, so the connection itself is the session.
 */
import type { Channel } from '@burrow/common/net/channel';
import type { StorageTarget } from '../jobs/plan.js';
import { connectDaemon } from '../peer-connect.js';
import { buildBootstrap } from '../catalog/bootstrap.js';
import type { JobMediaRow, RestoreFileRow } from '../catalog/types.js';

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

export interface ReadSession {
  sd: Channel;
  token: Uint8Array;
  volumes: string[];
}

/**
 * Opens a read session (restore, volume verify) on the SD for the chosen files: their
 * bootstrap — volumes, sessions, block addresses, file indexes — from the catalog
 * rows and the jobs' JobMedia. `onVolumes` hears which volumes are needed before the
 * connection is made.
 */
export async function openReadSession(
  target: StorageTarget, directorName: string, o: { jobId: number; rows: readonly RestoreFileRow[]; jobMedia: readonly JobMediaRow[]; signal: AbortSignal; onVolumes: (volumes: string[]) => void },
): Promise<ReadSession> {
  const bootstrap = buildBootstrap(o.rows, o.jobMedia);
  const volumes = [...new Set(bootstrap.map((b) => b.volumeName))];
  o.onVolumes(volumes);
  const sd = await openStorage(target, directorName, o.signal);
  await sd.send('sdRestore', { jobId: o.jobId, device: target.device, volumes: bootstrap });
  const ready = await sd.expect('sdReady', o.signal);
  return { sd, token: ready.token ?? new Uint8Array(), volumes };
}
