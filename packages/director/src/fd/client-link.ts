/**
 * The Director's side of the File daemon conversation (its peer is
 * file-daemon/src/dir/): one connection per job or status request.
 */
import type { Channel } from '@burrow/common/net/channel';
import { connectDaemon } from '../peer-connect.js';

/** A Client resource as a job reaches it. */
export interface ClientTarget {
  name: string;
  address: string;
  port: number;
  password: string;
}

export function openClient(target: ClientTarget, directorName: string, signal?: AbortSignal): Promise<Channel> {
  return connectDaemon(target, 'client', directorName, signal);
}
