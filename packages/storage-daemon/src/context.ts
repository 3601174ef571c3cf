/** What the Storage daemon's parts share, built once by main.ts and passed down. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Device } from './devices/device.js';
import type { SessionRegistry } from './sessions/registry.js';

export interface RunningSession {
  startedAt: number;
  director: string;
}

export interface StorageContext {
  /** This daemon's Storage resource name. */
  name: string;
  /** By lower-cased name; an Autochanger standing in for its first device maps to that device too. */
  devices: Map<string, Device>;
  sessions: SessionRegistry;
  running: Map<number, RunningSession>;
  /** The Storage resource's Maximum Concurrent Jobs: a session beyond it is refused. */
  maximumConcurrentJobs: number;
  startedAt: number;
  signal: AbortSignal;
  /** The device a Director named (case-insensitive like every resource name), checked against the Media Type it expects. */
  device(name: string, mediaType?: string): Device;
}

export function deviceLookup(devices: Map<string, Device>): (name: string, mediaType?: string) => Device {
  return (name: string, mediaType?: string) => {
    const d = devices.get(name.toLowerCase());
    if (!d) throw new BurrowError('NOT_FOUND', `no Device "${name}" in this Storage daemon's configuration`);
    // As Bareos reserves a device only for its Media Type: a volume of another type must not land here.
    if (mediaType && d.mediaType && mediaType !== d.mediaType) {
      throw new BurrowError('DEVICE', `Device "${d.name}" has Media Type "${d.mediaType}", not "${mediaType}" as the Director's Storage says`);
    }
    return d;
  };
}
