/**
 * Loads a Storage daemon configuration (`burrow-sd.conf` or `burrow-sd.d/`):
 * one Storage resource (the daemon itself), Directors allowed in, Devices, Messages.
 */
import { z } from 'zod';
import { bareosDaemonCommonExcept, BAREOS_TAPE_DEVICE, bareosTlsExcept, NOT_AVAILABLE_YET } from '../schema/bareos.js';
import { collectDaemon, checkReferences, exactlyOne, validateAll, type DaemonSchema, type Sourced } from '../schema/daemon.js';
import { bool, description, duration, integer, listenPort, many, name, one, oneOf, size, speed, text } from '../schema/fields.js';
import { addressesBlock, addressesField } from '../schema/addresses.js';
import { messagesSpec } from '../schema/messages.js';
import { deepFreeze, Problems, type ConfigWarning, type Frozen } from '../schema/problems.js';
import { METRICS_FIELDS } from '../schema/metrics.js';
import { defineResource, type ResourceSpec } from '../schema/resource.js';
import { readConfigNodes } from '../syntax/source.js';
import { peerDirectorSpec } from './peers.js';

export const sdStorageSpec = defineResource({
  type: 'Storage',
  fields: {
    name: one(name()),
    description: description(),
    sdPort: one(listenPort().default(9103)),
    // No address: every IPv6 and IPv4 address, as Bareos (net/addresses.ts).
    sdAddress: one(text().optional()),
    sdAddresses: addressesField(),
    workingDirectory: one(text().default('/var/lib/burrow')),
    pidDirectory: one(text().default('/run/burrow')),
    maximumConcurrentJobs: one(integer(1).default(20)),
    messages: one(text().optional()),
    // The data channel's TLS (connections from File daemons; a Director's always use
    // TLS-PSK). TLS Enable = no, as in Bareos, implies TLS Require = no; either set to
    // no lets File daemons send a job's data without TLS (bench/README.md, "no TLS").
    tlsEnable: one(bool().default(true)),
    tlsRequire: one(bool().default(true)),
    // How long a session keeps trying to reach a passive client's File daemon
    // (storage-daemon/src/fd/passive-client.ts): Bareos's default, 30 minutes.
    fdConnectTimeout: one(duration().default(1800)),
    // How long a session waits for its File daemon to connect (common/net/job-sessions.ts):
    // Bareos's default, 30 minutes, so a Director still trying to reach the client (its FD
    // Connect Timeout) finds the session open. A canceled job or a Director gone ends the wait.
    clientConnectWait: one(duration().default(1800)),
    // Bareos's Heartbeat Interval (common/net/heartbeat.ts): on every connection of this
    // daemon, a heartbeat when idle and a silent peer taken as gone after two; 0: none.
    heartbeatInterval: one(duration().default(0)),
    // Bareos: how often a running backup's files saved so far go into the catalog
    // (fd/checkpoints.ts); 0, the default, turns checkpoints off. Seconds.
    checkpointInterval: one(duration().default(0)),
    // Bareos's Maximum Bandwidth Per Job: no job session moves its data faster, whatever
    // the Director or the File daemon allow (the lowest limit wins). The SD reads a
    // backup's records and sends a restore's or verify's no faster (fd/session.ts).
    maximumBandwidthPerJob: one(speed().optional()),
    ...METRICS_FIELDS,
  },
  aliases: { port: 'sdPort', address: 'sdAddress' },
  blocks: { sdAddresses: addressesBlock('sdAddresses') },
  unimplemented: [
    ...bareosTlsExcept('TLS Enable', 'TLS Require'), ...bareosDaemonCommonExcept('Heartbeat Interval', 'Fd Connect Timeout', 'Maximum Bandwidth Per Job'), 'SD Source Address',
    'Maximum Network Buffer Size', 'Allow Bandwidth Bursting', 'NDMP Enable', 'NDMP Snooping', 'NDMP Log Level',
    'NDMP Address', 'NDMP Addresses', 'NDMP Port', 'Auto XFlate On Replication', 'Absolute Job Timeout',
    'Collect Device Statistics', 'Collect Job Statistics', 'Statistics Collect Interval', 'Device Reserve By Media Type',
    'File Device Concurrent Read', 'Just In Time Reservation',
  ],
});

/** Bareos's tape directives the tape drive applies (fields of Device below). */
const APPLIED_TAPE_DIRECTIVES: ReadonlySet<string> = new Set([
  'Hardware End Of Medium', 'Fast Forward Space File', 'Bsf At Eom', 'Two Eof', 'Offline On Unmount', 'Maximum File Size',
  'Autochanger', 'Auto Changer', 'Drive Index', 'Maximum Changer Wait',
]);

export const deviceSpec = defineResource({
  type: 'Device',
  fields: {
    name: one(name()),
    description: description(),
    mediaType: one(text()),
    archiveDevice: one(text()),
    // VTape: Bacula's virtual tape, a file per cartridge behaving as a tape (docs/vtape-format.md).
    deviceType: one(oneOf(['File', 'Tape', 'VTape', 'Fifo']).default('File')),
    labelMedia: one(bool().default(false)),
    randomAccess: one(bool().optional()),
    automaticMount: one(bool().optional()),
    removableMedia: one(bool().optional()),
    alwaysOpen: one(bool().optional()),
    // Tape drives (storage-daemon/src/devices/tape/tape-drive.ts); on a File device only a warning (devices/check.ts).
    minimumBlockSize: one(size().optional()),
    maximumBlockSize: one(size().optional()),
    maximumFileSize: one(size().optional()),
    hardwareEndOfMedium: one(bool().optional()),
    fastForwardSpaceFile: one(bool().optional()),
    bsfAtEom: one(bool().optional()),
    twoEof: one(bool().optional()),
    offlineOnUnmount: one(bool().optional()),
    // The capacity a blank virtual-tape cartridge is given (Bareos: the volume's capacity, for estimates).
    volumeCapacity: one(size().optional()),
    maximumVolumeSize: one(size().optional()),
    // Jobs writing through one drive at once (sharing its volume); absent: no limit, as Bareos's 0.
    maximumConcurrentJobs: one(integer(1).optional()),
    // Bareos: Count > 1 makes the drives <Name>0000 (Autoselect = no) to <Name><Count>, grouped under <Name>.
    count: one(integer(1, 9999).default(1)),
    // A drive with Autoselect = no is used only when named itself, never when its group is named.
    autoselect: one(bool().default(true)),
    // A drive of an Autochanger (storage-daemon/src/changers/): its number in the library, from 0,
    // and how long one changer call may take (Bareos: 300 s) before it is killed.
    autochanger: one(bool().default(false)),
    driveIndex: one(integer(0, 999).default(0)),
    maximumChangerWait: one(duration().default(300)),
    // A tape drive another program has open (EBUSY) is tried again every 5 s up to this long (Bareos: 300 s).
    maximumOpenWait: one(duration().default(300)),
    // Data spooling (storage-daemon/src/spool/): where a spooling job's data waits before
    // it goes to the volume (absent: the Storage's Working Directory), the spool of all
    // jobs of this device at most, and of one job at most (absent: no limit but the disk).
    spoolDirectory: one(text().optional()),
    maximumSpoolSize: one(size().optional()),
    maximumJobSpoolSize: one(size().optional()),
  },
  unimplemented: [
    'Device Options', 'Maximum Open Volumes', 'Maximum Network Buffer Size', 'Label Block Size',
    'Auto Deflate', 'Auto Deflate Algorithm', 'Auto Deflate Level', 'Auto Inflate', 'Collect Statistics', 'Access Mode',
  ],
  notYet: [
    { directives: BAREOS_TAPE_DEVICE.filter((d) => !APPLIED_TAPE_DIRECTIVES.has(d)), message: NOT_AVAILABLE_YET.tape },
  ],
});

/**
 * Bareos's Autochanger: a group of devices behind one changer. With a Changer Command
 * its Tape or VTape devices are the library's drives, loaded by running the command
 * (storage-daemon/src/changers/); without one (Changer Command = "") it only groups
 * File devices (storage-daemon/src/devices/check.ts).
 */
export const autochangerSpec = defineResource({
  type: 'Autochanger',
  fields: {
    name: one(name()),
    description: description(),
    device: many(z.array(z.string()).min(1)),
    changerDevice: one(text().optional()),
    changerCommand: one(text().optional()),
  },
});

export type SdStorageResource = Frozen<z.output<typeof sdStorageSpec.schema> & Sourced>;
export type DeviceResource = Frozen<z.output<typeof deviceSpec.schema> & Sourced>;
export type AutochangerResource = Frozen<z.output<typeof autochangerSpec.schema> & Sourced>;
export type PeerDirectorResource = Frozen<z.output<typeof peerDirectorSpec.schema> & Sourced>;
type MessagesOut = Frozen<z.output<typeof messagesSpec.schema> & Sourced>;

export interface StorageDaemonConfig {
  readonly storage: SdStorageResource;
  readonly directors: readonly PeerDirectorResource[];
  readonly devices: readonly DeviceResource[];
  readonly autochangers: readonly AutochangerResource[];
  readonly messages: readonly MessagesOut[];
}

export const storageDaemonSchema: DaemonSchema = {
  daemonName: 'burrow-sd',
  resources: { Storage: sdStorageSpec, Director: peerDirectorSpec, Device: deviceSpec, Autochanger: autochangerSpec, Messages: messagesSpec },
  ignored: ['NDMP'],
};

export function loadStorageConfig(path: string): { config: StorageDaemonConfig; warnings: ConfigWarning[] } {
  const nodes = readConfigNodes(path, 'burrow-sd');
  const problems = new Problems();
  const raws = collectDaemon(nodes, storageDaemonSchema, problems);
  const rawOf = (spec: ResourceSpec) => raws.get(spec) ?? [];
  const messages = validateAll<MessagesOut>(rawOf(messagesSpec), problems);
  const storages = validateAll<SdStorageResource>(rawOf(sdStorageSpec), problems);
  const storage = exactlyOne(storages, rawOf(sdStorageSpec), 'Storage', problems, nodes[0] ?? { file: path, line: 1 });
  for (const raw of rawOf(sdStorageSpec)) {
    checkReferences({ problems, from: raw, prop: 'messages', names: raw.values['messages'] as string | undefined, targets: messages, targetType: 'Messages' });
  }
  const directors = validateAll<PeerDirectorResource>(rawOf(peerDirectorSpec), problems);
  const devices = validateAll<DeviceResource>(rawOf(deviceSpec), problems);
  const autochangers = validateAll<AutochangerResource>(rawOf(autochangerSpec), problems);
  for (const raw of rawOf(autochangerSpec)) {
    checkReferences({ problems, from: raw, prop: 'device', names: raw.values['device'] as string[] | undefined, targets: devices, targetType: 'Device' });
  }
  problems.throwIfAny();
  return { config: deepFreeze({ storage: storage!, directors, devices, autochangers, messages }), warnings: problems.warnings };
}
