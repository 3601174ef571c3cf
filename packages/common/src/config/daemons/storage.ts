/**
 * Loads a Storage daemon configuration (`burrow-sd.conf` or `burrow-sd.d/`):
 * one Storage resource (the daemon itself), Directors allowed in, Devices, Messages.
 */
import { z } from 'zod';
import { BAREOS_DAEMON_COMMON, BAREOS_TLS } from '../schema/bareos.js';
import { collectDaemon, checkReferences, exactlyOne, validateAll, type DaemonSchema, type Sourced } from '../schema/daemon.js';
import { bool, integer, name, one, oneOf, size, text } from '../schema/fields.js';
import { messagesSpec } from '../schema/messages.js';
import { deepFreeze, Problems, type ConfigWarning, type Frozen } from '../schema/problems.js';
import { defineResource, type ResourceSpec } from '../schema/resource.js';
import { readConfigNodes } from '../syntax/source.js';
import { peerDirectorSpec } from './peers.js';

export const sdStorageSpec = defineResource({
  type: 'Storage',
  fields: {
    name: one(name()),
    description: one(text().optional()),
    sdPort: one(integer(1, 65535).default(9103)),
    sdAddress: one(text().default('0.0.0.0')),
    workingDirectory: one(text().default('/var/lib/burrow')),
    pidDirectory: one(text().default('/run/burrow')),
    maximumConcurrentJobs: one(integer(1).default(20)),
    messages: one(text().optional()),
  },
  aliases: { port: 'sdPort', address: 'sdAddress' },
  unimplemented: [
    ...BAREOS_TLS, ...BAREOS_DAEMON_COMMON, 'SD Addresses', 'SD Source Address', 'Client Connect Wait',
    'Maximum Network Buffer Size', 'Allow Bandwidth Bursting', 'NDMP Enable', 'NDMP Snooping', 'NDMP Log Level',
    'NDMP Address', 'NDMP Addresses', 'NDMP Port', 'Auto XFlate On Replication', 'Absolute Job Timeout',
    'Collect Device Statistics', 'Collect Job Statistics', 'Statistics Collect Interval', 'Device Reserve By Media Type',
    'File Device Concurrent Read', 'Just In Time Reservation', 'Checkpoint Interval',
  ],
});

export const deviceSpec = defineResource({
  type: 'Device',
  fields: {
    name: one(name()),
    description: one(text().optional()),
    mediaType: one(text()),
    archiveDevice: one(text()),
    deviceType: one(oneOf(['File', 'Tape', 'Fifo']).default('File')),
    labelMedia: one(bool().default(false)),
    randomAccess: one(bool().optional()),
    automaticMount: one(bool().default(true)),
    removableMedia: one(bool().optional()),
    alwaysOpen: one(bool().optional()),
    maximumBlockSize: one(size().optional()),
    maximumVolumeSize: one(size().optional()),
    maximumConcurrentJobs: one(integer(1).optional()),
  },
  unimplemented: [
    'Device Options', 'Diagnostic Device', 'Hardware End Of File', 'Hardware End Of Medium', 'Backward Space Record',
    'Backward Space File', 'Bsf At Eom', 'Two Eof', 'Forward Space Record', 'Forward Space File', 'Fast Forward Space File',
    'Close On Poll', 'Block Positioning', 'Use MTIOCGET', 'Check Labels', 'Requires Mount', 'Offline On Unmount',
    'Autoselect', 'Changer Device', 'Changer Command', 'Alert Command', 'Maximum Changer Wait', 'Maximum Open Wait',
    'Maximum Open Volumes', 'Maximum Network Buffer Size', 'Volume Poll Interval', 'Maximum Rewind Wait',
    'Label Block Size', 'Minimum Block Size', 'Maximum File Size', 'Volume Capacity', 'Maximum Spool Size',
    'Maximum Job Spool Size', 'Spool Directory', 'Mount Point', 'Mount Command', 'Unmount Command',
    'Label Type', 'No Rewind On Close', 'Drive Tape Alert Enabled', 'Drive Crypto Enabled', 'Query Crypto Status',
    'Auto Deflate', 'Auto Deflate Algorithm', 'Auto Deflate Level', 'Auto Inflate', 'Collect Statistics',
    'Eof On Error Is Eot', 'Drive Index', 'Count', 'Auto Changer', 'Access Mode',
  ],
});

export type SdStorageResource = Frozen<z.output<typeof sdStorageSpec.schema> & Sourced>;
export type DeviceResource = Frozen<z.output<typeof deviceSpec.schema> & Sourced>;
export type PeerDirectorResource = Frozen<z.output<typeof peerDirectorSpec.schema> & Sourced>;
type MessagesOut = Frozen<z.output<typeof messagesSpec.schema> & Sourced>;

export interface StorageDaemonConfig {
  readonly storage: SdStorageResource;
  readonly directors: readonly PeerDirectorResource[];
  readonly devices: readonly DeviceResource[];
  readonly messages: readonly MessagesOut[];
}

export const storageDaemonSchema: DaemonSchema = {
  daemonName: 'burrow-sd',
  resources: { Storage: sdStorageSpec, Director: peerDirectorSpec, Device: deviceSpec, Messages: messagesSpec },
  ignored: ['Autochanger', 'NDMP'],
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
  problems.throwIfAny();
  return { config: deepFreeze({ storage: storage!, directors, devices, messages }), warnings: problems.warnings };
}
