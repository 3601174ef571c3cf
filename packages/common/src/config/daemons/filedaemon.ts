/**
 * Loads a File daemon configuration (`burrow-fd.conf` or `burrow-fd.d/`): the daemon's
 * own resource, spelled `FileDaemon` or `Client` as in Bareos, Directors, Messages.
 */
import { z } from 'zod';
import { bareosDaemonCommonExcept, bareosTlsExcept } from '../schema/bareos.js';
import { collectDaemon, checkReferences, exactlyOne, problemAt, validateAll, type DaemonSchema, type Sourced } from '../schema/daemon.js';
import { bool, description, duration, speed, integer, listenPort, many, name, one, text } from '../schema/fields.js';
import { addressesBlock, addressesField } from '../schema/addresses.js';
import { messagesSpec } from '../schema/messages.js';
import { deepFreeze, Problems, type ConfigWarning, type Frozen } from '../schema/problems.js';
import { METRICS_FIELDS } from '../schema/metrics.js';
import { defineResource, type ResourceSpec } from '../schema/resource.js';
import { readConfigNodes } from '../syntax/source.js';
import { fdDirectorSpec } from './peers.js';

export const fileDaemonSpec = defineResource({
  type: 'FileDaemon',
  fields: {
    name: one(name()),
    description: description(),
    fdPort: one(listenPort().default(9102)),
    // No address: every IPv6 and IPv4 address, as Bareos (net/addresses.ts).
    fdAddress: one(text().optional()),
    fdAddresses: addressesField(),
    workingDirectory: one(text().default('/var/lib/burrow')),
    pidDirectory: one(text().default('/run/burrow')),
    maximumConcurrentJobs: one(integer(1).default(20)),
    messages: one(text().optional()),
    allowedScriptDir: many(z.array(z.string()).default([])),
    allowedJobCommand: many(z.array(z.string()).default([])),
    // The data channel's TLS (this daemon's sessions with Storage daemons; its
    // Directors' connections always use TLS-PSK): no sends a job's data in the clear,
    // which the Storage daemon must allow too, and says so in the job log.
    tlsEnable: one(bool().default(true)),
    // Bareos's Heartbeat Interval (common/net/heartbeat.ts): on every connection of this
    // daemon, a heartbeat when idle and a silent peer taken as gone after two; 0: none.
    heartbeatInterval: one(duration().default(0)),
    // Bytes/s any job may send its data at, whatever the Director asks (the lower wins).
    maximumBandwidthPerJob: one(speed().optional()),
    // How long a job keeps trying to reach its Storage daemon (sd/storage-link.ts), and a passive client's job
    // waits for its Storage daemon to connect (common/net/job-sessions.ts): Bareos's default, 30 minutes.
    sdConnectTimeout: one(duration().default(1800)),
    ...METRICS_FIELDS,
  },
  aliases: { port: 'fdPort', address: 'fdAddress' },
  blocks: { fdAddresses: addressesBlock('fdAddresses') },
  unimplemented: [
    ...bareosTlsExcept('TLS Enable'), ...bareosDaemonCommonExcept('Heartbeat Interval', 'Maximum Bandwidth Per Job', 'Sd Connect Timeout'), 'FD Source Address', 'Maximum Network Buffer Size',
    'PKI Signatures', 'PKI Encryption', 'PKI Key Pair', 'PKI Signer', 'PKI Master Key', 'PKI Cipher',
    'Allow Bandwidth Bursting', 'Always Use LMDB', 'LMDB Threshold', 'Compatible',
  ],
});

export type FileDaemonResource = Frozen<z.output<typeof fileDaemonSpec.schema> & Sourced>;
/** A Director as the File daemon knows it, with the directions its connections may take. */
export type FdDirectorResource = Frozen<z.output<typeof fdDirectorSpec.schema> & Sourced>;
type MessagesOut = Frozen<z.output<typeof messagesSpec.schema> & Sourced>;

export interface FileDaemonConfig {
  readonly fileDaemon: FileDaemonResource;
  readonly directors: readonly FdDirectorResource[];
  readonly messages: readonly MessagesOut[];
}

export const fileDaemonSchema: DaemonSchema = {
  daemonName: 'burrow-fd',
  resources: { FileDaemon: fileDaemonSpec, Client: fileDaemonSpec, Director: fdDirectorSpec, Messages: messagesSpec },
  ignored: [],
};

export function loadFileDaemonConfig(path: string): { config: FileDaemonConfig; warnings: ConfigWarning[] } {
  const nodes = readConfigNodes(path, 'burrow-fd');
  const problems = new Problems();
  const raws = collectDaemon(nodes, fileDaemonSchema, problems);
  const rawOf = (spec: ResourceSpec) => raws.get(spec) ?? [];
  const messages = validateAll<MessagesOut>(rawOf(messagesSpec), problems);
  const own = validateAll<FileDaemonResource>(rawOf(fileDaemonSpec), problems);
  const fileDaemon = exactlyOne(own, rawOf(fileDaemonSpec), 'FileDaemon', problems, nodes[0] ?? { file: path, line: 1 });
  for (const raw of rawOf(fileDaemonSpec)) {
    checkReferences({ problems, from: raw, prop: 'messages', names: raw.values['messages'] as string | undefined, targets: messages, targetType: 'Messages' });
  }
  const directors = validateAll<FdDirectorResource>(rawOf(fdDirectorSpec), problems);
  for (const d of directors) {
    if (d.connectionFromClientToDirector && d.address === undefined) {
      problems.error(problemAt(d, 'connectionFromClientToDirector', 'needs the Director\'s Address, which the File daemon connects to'));
    }
  }
  problems.throwIfAny();
  return { config: deepFreeze({ fileDaemon: fileDaemon!, directors, messages }), warnings: problems.warnings };
}
