/** What the Storage daemon's parts share, built once by main.ts and passed down. */
import { BurrowError } from '@burrow/common/errors/index';
import type { Drive } from './devices/drive.js';
import { fileDrive } from './devices/random-access-drive.js';
import type { Archive } from './devices/volume-store.js';
import type { SessionRegistry } from './sessions/registry.js';

export interface RunningSession {
  startedAt: number;
  director: string;
}

/**
 * A Device resource and the volumes of its Archive Device. Until drives are reserved
 * per job, any session may use any volume of it, as the File device always allowed:
 * a volume appended to gets one drive that every session writing it shares, and each
 * read or label gets a drive of its own.
 */
export class StorageDevice {
  private readonly appendDrives = new Map<string, Drive>();
  private spares = 0;

  constructor(
    readonly name: string,
    private readonly o: { archive: Archive; mediaType: string; labelMedia: boolean; maximumVolumeSize: number },
  ) {}

  get mediaType(): string {
    return this.o.mediaType;
  }

  /** Label Media: a job may label a new volume here by itself. */
  get labelMedia(): boolean {
    return this.o.labelMedia;
  }

  /** The drive every session appending to `volumeName` shares. */
  appendDrive(volumeName: string): Drive {
    let drive = this.appendDrives.get(volumeName);
    if (!drive) {
      drive = this.newDrive(`${this.name}`);
      this.appendDrives.set(volumeName, drive);
    }
    return drive;
  }

  /** A drive of its own, for one read or one label. */
  spareDrive(): Drive {
    this.spares += 1;
    return this.newDrive(`${this.name}#${this.spares}`);
  }

  private newDrive(name: string): Drive {
    return fileDrive({ name, archive: this.o.archive, maximumVolumeSize: this.o.maximumVolumeSize });
  }
}

export interface StorageContext {
  /** This daemon's Storage resource name. */
  name: string;
  /** By lower-cased name; an Autochanger standing in for its first device maps to that device too. */
  devices: Map<string, StorageDevice>;
  sessions: SessionRegistry;
  running: Map<number, RunningSession>;
  /** The Storage resource's Maximum Concurrent Jobs: a session beyond it is refused. */
  maximumConcurrentJobs: number;
  startedAt: number;
  signal: AbortSignal;
  /** The device a Director named (case-insensitive like every resource name), checked against the Media Type it expects. */
  device(name: string, mediaType?: string): StorageDevice;
}

export function deviceLookup(devices: Map<string, StorageDevice>): (name: string, mediaType?: string) => StorageDevice {
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
