/**
 * The Director's side of the Storage daemon conversation (its peer is
 * storage-daemon/src/dir/). One connection per job or per console request, as Bareos
 * does, so the connection itself is the session. The Director's answers to the SD's
 * requests during a backup (Bareos's catreq.cc) are in backup-session.ts.
 */
import type { Channel } from '@burrow/common/net/channel';
import { connectDaemon } from '../peer-connect.js';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import { bootstrapToWire } from '@burrow/common/bootstrap/wire';

/** A Storage resource as a job reaches it: the SD, and the device and media type to use. */
export interface StorageTarget {
  name: string;
  address: string;
  port: number;
  password: string;
  device: string;
  mediaType: string;
}

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
    return reply.volBytes;
  } finally {
    channel.close('label done');
  }
}

export interface ReadSession {
  sd: Channel;
  token: Uint8Array;
}

/**
 * Opens a read session (restore, volume verify) on the SD: sends the bootstrap the
 * job built (volumes, sessions, block addresses, file indexes) and returns the
 * one-job token the FD connects with.
 */
export async function openReadSession(
  target: StorageTarget, directorName: string, o: { jobId: number; bootstrap: Bootstrap; signal: AbortSignal },
): Promise<ReadSession> {
  const volumes = bootstrapToWire(o.bootstrap);
  const sd = await openStorage(target, directorName, o.signal);
  await sd.send('sdRestore', { jobId: o.jobId, device: target.device, volumes });
  const ready = await sd.expect('sdReady', o.signal);
  return { sd, token: ready.token };
}
