/**
 * Schemas of the Director's simpler resources. Property names are the camelCase of
 * Bareos's spelling; aliases are Bareos's and Bacula's alternative spellings.
 * `unimplemented` lists the Bareos directives Burrow accepts with a warning.
 */
import { z } from 'zod';
import { BAREOS_TLS, NOT_AVAILABLE_YET, bareosDaemonCommonExcept } from '../schema/bareos.js';
import { bool, description, duration, inert, integer, listenPort, many, name, NOT_YET, one, oneOf, port, raw, rawMany, restoreOwner, size, speed, text } from '../schema/fields.js';
import { addressesBlock, addressesField } from '../schema/addresses.js';
import { METRICS_FIELDS } from '../schema/metrics.js';
import { defineResource } from '../schema/resource.js';

export const directorSpec = defineResource({
  type: 'Director',
  fields: {
    name: one(name()),
    description: description(),
    password: one(text()),
    dirPort: one(listenPort().default(9101)),
    // No address: every IPv6 and IPv4 address, as Bareos (net/addresses.ts).
    dirAddress: one(text().optional()),
    dirAddresses: addressesField(),
    workingDirectory: one(text().default('/var/lib/burrow')),
    pidDirectory: one(text().default('/run/burrow')),
    // The query command's file (relative paths: to the configuration's root).
    queryFile: one(text().optional()),
    // The Director's own messages (configuration/generation.ts daemonMessage): audit lines,
    // refused console logins, failed reloads and scheduled runs; jobs use their own Messages.
    messages: one(text().optional()),
    maximumConcurrentJobs: one(integer(1).default(1)),
    // How long a job keeps trying to reach its File daemon (director/src/peer-connect.ts),
    // or waits for a client that connects by itself (Connection From Client To Director)
    // when none of its connections waits: Bareos's default, 3 minutes.
    fdConnectTimeout: one(duration().default(180)),
    // How long a job keeps trying to reach its Storage daemon: Bareos's default, 30 minutes.
    sdConnectTimeout: one(duration().default(1800)),
    // Bareos's Heartbeat Interval (common/net/heartbeat.ts): on every connection of this
    // daemon, a heartbeat when idle and a silent peer taken as gone after two; 0: none.
    heartbeatInterval: one(duration().default(0)),
    // Console commands logged as "audit" messages through the Director's Messages (console/audit.ts).
    auditing: one(bool().default(false)),
    auditEvents: many(z.array(z.string()).default([])),
    ...METRICS_FIELDS,
    // The HTTP API (director/src/http, docs/http-api.md): none without Http Port; plain HTTP
    // only on a loopback Http Address, otherwise Http Certificate and Http Key (PEM files).
    httpPort: one(port().optional()),
    httpAddress: one(text().default('127.0.0.1')),
    httpCertificate: one(text().optional()),
    httpKey: one(text().optional()),
    // How long a login's token lasts.
    httpTokenLifetime: one(duration().default(3600)),
  },
  aliases: { port: 'dirPort', address: 'dirAddress' },
  blocks: { dirAddresses: addressesBlock('dirAddresses') },
  unimplemented: [
    ...BAREOS_TLS, ...bareosDaemonCommonExcept('Fd Connect Timeout', 'Sd Connect Timeout', 'Heartbeat Interval'), 'Dir Source Address', 'Subscriptions',
    'Maximum Console Connections', 'Statistics Retention', 'Optimize For Size', 'Optimize For Speed',
    'Omit Defaults', 'Key Encryption Key', 'NDMP Snooping', 'NDMP Log Level', 'NDMP Namelist Fhinfo Set Zero',
  ],
});

export const clientSpec = defineResource({
  type: 'Client',
  fields: {
    name: one(name()),
    description: description(),
    address: one(text()),
    fdPort: one(port().default(9102)),
    password: one(text()),
    catalog: one(text().optional()),
    // Pruning at the end of each job (director/src/media/autoprune.ts), as Bareos's defaults.
    fileRetention: one(duration().default(60 * 86400)),
    jobRetention: one(duration().default(180 * 86400)),
    autoPrune: one(bool().default(true)),
    enabled: one(bool().default(true)),
    maximumConcurrentJobs: one(integer(1).default(1)),
    // Firewalled clients (docs/firewalled-clients.md), as Bareos: the File daemon may keep a
    // connection open to the Director for its jobs; the Director's own may be forbidden;
    // Passive: the Storage daemon connects to the File daemon for the data.
    connectionFromClientToDirector: one(bool().default(false)),
    connectionFromDirectorToClient: one(bool().default(true)),
    passive: one(bool().default(false)),
    // Unset: the Director resource's Heartbeat Interval.
    heartbeatInterval: one(duration().optional()),
    // Bytes/s a backup of this client may send its data at, unless its Job says otherwise.
    maximumBandwidthPerJob: one(speed().optional()),
    // Bareos's Lan Address: where the job's Storage daemon reaches this client (or it the
    // Storage daemon) when both sit on one LAN behind the NAT the Director goes through;
    // used only when the job's Storage has one too (director/src/jobs/data-channel.ts).
    lanAddress: one(text().optional()),
  },
  aliases: { port: 'fdPort', 'FD Address': 'address', 'FD Password': 'password' },
  unimplemented: [
    ...BAREOS_TLS, 'Protocol', 'Auth Type', 'Username', 'Allow Client Connect',
    'Hard Quota', 'Soft Quota', 'Soft Quota Grace Period', 'Strict Quotas', 'Quota Include Failed Jobs',
    'NDMP Log Level', 'NDMP Block Size', 'NDMP Use LMDB',
  ],
});

export const storageSpec = defineResource({
  type: 'Storage',
  fields: {
    name: one(name()),
    description: description(),
    address: one(text()),
    sdPort: one(port().default(9103)),
    password: one(text()),
    device: many(z.array(z.string()).min(1)),
    mediaType: one(text()),
    maximumConcurrentJobs: one(integer(1).default(1)),
    enabled: one(bool().default(true), 'is not applied yet: jobs still use a disabled Storage'),
    // Unset: the Director resource's Heartbeat Interval.
    heartbeatInterval: one(duration().optional()),
    // The Storage is an autochanger: volumes with InChanger = 1 in it are chosen first.
    autoChanger: one(bool().default(false)),
    // Bareos's Lan Address: where a client on the same LAN reaches this Storage daemon;
    // used only when the job's Client has one too (director/src/jobs/data-channel.ts).
    lanAddress: one(text().optional()),
  },
  aliases: { port: 'sdPort', 'SD Address': 'address', 'SD Password': 'password' },
  unimplemented: [
    ...BAREOS_TLS, 'Protocol', 'Auth Type', 'Username', 'Allow Compression',
    'Cache Status Interval', 'Maximum Concurrent Read Jobs', 'SDD Port', 'Paired Storage',
    'Maximum Bandwidth Per Job', 'Collect Statistics', 'NDMP Changer Device',
  ],
});

export const DB_DRIVERS = ['sqlite3'] as const;

export const catalogSpec = defineResource({
  type: 'Catalog',
  fields: {
    name: one(name()),
    description: description(),
    dbDriver: one(z.string().transform((t, ctx) => {
      if (t.trim().toLowerCase() === 'sqlite3') return 'sqlite3' as const;
      ctx.addIssue({ code: 'custom', message: `"${t}" is not supported: Burrow's catalog is SQLite only (DbDriver = sqlite3)` });
      return z.NEVER;
    }).default('sqlite3')),
    dbName: one(text()),
    // SQLite is a file in the Working Directory: no server to reach, no user to log in as.
    dbUser: inert(one(text().optional()), 'SQLite has no users'),
    dbPassword: inert(one(text().optional()), 'SQLite has no passwords'),
    dbAddress: inert(one(text().optional()), 'SQLite has no server: the catalog is a file in the Working Directory'),
    dbPort: inert(one(port().optional()), 'SQLite has no server: the catalog is a file in the Working Directory'),
  },
  aliases: { user: 'dbUser', password: 'dbPassword', address: 'dbAddress' },
  unimplemented: [
    'DB Socket', 'Multiple Connections', 'Disable Batch Insert', 'Reconnect', 'Exit On Fatal',
    'Min Connections', 'Max Connections', 'Inc Connections', 'Idle Timeout', 'Validate Timeout',
  ],
});

export const poolSpec = defineResource({
  type: 'Pool',
  fields: {
    name: one(name()),
    description: description(),
    poolType: one(oneOf(['Backup', 'Copy', 'Cloned', 'Archive', 'Migration', 'Scratch']).default('Backup')),
    labelFormat: one(text().optional()),
    maximumVolumes: one(integer().optional()),
    maximumVolumeJobs: one(integer().optional()),
    maximumVolumeFiles: one(integer().optional()),
    maximumVolumeBytes: one(size().optional()),
    volumeUseDuration: one(duration().optional()),
    volumeRetention: one(duration().default(365 * 86400)),
    // Unset: the Client's File and Job Retention apply (Bareos: the Pool's win when set).
    fileRetention: one(duration().optional()),
    jobRetention: one(duration().optional()),
    recycle: one(bool().default(true)),
    autoPrune: one(bool().default(true)),
    recycleOldestVolume: one(bool().default(false)),
    purgeOldestVolume: one(bool().default(false)),
    recycleCurrentVolume: one(bool().default(false)),
    recyclePool: one(text().optional()),
    scratchPool: one(text().optional()),
    actionOnPurge: one(oneOf(['None', 'Truncate']).default('None')),
    cleaningPrefix: one(text().default('CLN')),
    storage: many(z.array(z.string()).default([])),
    catalog: one(text().optional()),
    // Burrow's own (Bareos has none; afbackup's per-client cartridge sets): only these
    // Clients' data may be written to the pool's volumes. Empty: any Client.
    allowedClients: many(z.array(z.string()).default([])),
  },
  unimplemented: [
    'Label Type', 'Use Catalog', 'Use Volume Once', 'Catalog Files', 'Migration Time',
    'Migration High Bytes', 'Migration Low Bytes', 'Next Pool', 'Copy Pool', 'Minimum Block Size', 'Maximum Block Size',
  ],
});

export const scheduleSpec = defineResource({
  type: 'Schedule',
  fields: {
    name: one(name()),
    description: description(),
    // The Run grammar (`Level=Full 1st sun at 23:05`) is parsed by the scheduler, not here.
    run: rawMany(),
    enabled: one(bool().default(true)),
  },
});

const ACL = () => many(z.array(z.string()).default([]));
const aclFields = {
  jobAcl: ACL(), clientAcl: ACL(), storageAcl: ACL(), poolAcl: ACL(),
  scheduleAcl: ACL(),
  commandAcl: ACL(), fileSetAcl: ACL(), catalogAcl: ACL(), whereAcl: ACL(),
  pluginOptionsAcl: inert(ACL(), 'Burrow takes no plugin options, so there is nothing to restrict'),
};

export const consoleSpec = defineResource({
  type: 'Console',
  fields: {
    name: one(name()),
    description: description(),
    password: one(text()),
    ...aclFields,
    // Burrow's own: this console restores only the files of this user (docs/user-restores.md).
    restoreOwner: one(restoreOwner().optional()),
    // Its Profiles' ACLs apply after its own (director/src/console/acl.ts).
    profile: many(z.array(z.string()).default([])),
  },
  unimplemented: [...BAREOS_TLS, 'Run ACL', 'Use Pam Authentication'],
});

export const profileSpec = defineResource({
  type: 'Profile',
  fields: {
    name: one(name()),
    description: description(),
    ...aclFields,
  },
});
