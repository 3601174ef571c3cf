/**
 * Bareos's `Monitor = yes` on a File or Storage daemon's Director resource: that
 * Director may ask for status and nothing else. Bareos ships one for the tray monitor
 * (`bareos-fd.d/director/bareos-mon.conf`, `bareos-sd.d/director/bareos-mon.conf`),
 * whose password sits on desktops, so it must never reach files or volumes. Each
 * refusal is logged with who asked for what, and the connection is closed with a
 * NOT_ALLOWED error the Director shows to its operator.
 */
import type { PeerDirectorResource } from '../config/daemons/storage.js';
import { BurrowError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import type { Channel } from '../net/channel.js';

/** What a connected Director may ask for. */
export type DirectorAccess = 'full' | 'monitor';

export function directorAccess(resource: PeerDirectorResource | undefined): DirectorAccess {
  return resource?.monitor ? 'monitor' : 'full';
}

/** Refuses a Monitor Director's request for `what` (e.g. "a backup"): logs it, tells the Director, closes. */
export async function refuseMonitor(director: Channel, what: string, log: Logger): Promise<void> {
  const who = director.peer.name;
  const message = `Director "${who}" has Monitor = yes: it may ask for status only, not for ${what}`;
  log.warn({ director: who, refused: what, remote: director.remoteAddress }, `refused ${what} for Monitor Director "${who}" from ${director.remoteAddress}`);
  await director.sendErrorAndClose(new BurrowError('NOT_ALLOWED', message));
}
