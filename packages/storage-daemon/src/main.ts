#!/usr/bin/env -S node --initial-old-space-size=64 --max-semi-space-size=4 --heap-growing-percent=50
/**
 * burrow-sd: the Storage daemon's composition root. Reads the configuration, opens the
 * devices, and serves Directors (labels, status, job sessions) and File daemons (the
 * data connection of a session) on one TLS-PSK port.
 *
 * The first line gives V8 a 64 MiB initial old generation. The daemon's own heap is
 * about 12 MiB, so V8 would set its collection limit near 28 MiB; but it counts the
 * buffers each socket read makes (16 KiB per TLS record) against that limit, and a
 * backup stream then set off a full collection every 25 MiB or so (20 a 512 MiB job,
 * a fifth of the daemon's CPU). With the room they die young, in scavenges (0 full
 * collections for the same job; bench/README.md, step 6a). --heap-growing-percent=50:
 * past that, the old generation grows by half of what survived each full collection
 * instead of V8's own factor (as the Director's, step 8d): peak after backups of 20,000
 * small files 153 -> 134-137 MiB, CPU per MiB the same within the load's noise. The
 * harness and the installed command both start the daemon by this line
 * (test/harness/processes.ts).
 */
import { dirname } from 'node:path';
import { configRelative, daemonUsage, loadConfiguration, parseDaemonArgs, runDaemon, serveUntilStopped } from '@burrow/common/daemon/cli';
import { directorAccess } from '@burrow/common/daemon/monitor';
import { checkDaemonMessages, checkOwnResource, ensureDirectory } from '@burrow/common/daemon/preflight';
// The Storage daemon's own loader, not the configuration index: every daemon's schemas would stay in memory (about 9 MiB).
import { loadStorageConfig } from '@burrow/common/config/daemons/storage';
import { listen } from '@burrow/common/net/server';
import { derivePsk } from '@burrow/common/net/psk';
import type { StorageContext } from './context.js';
import { configuredDrives } from './reservations/configured.js';
import { DriveOperator, Reservations } from './reservations/index.js';
import { checkAutochangers, checkDevices } from './devices/check.js';
import { serveDirector } from './dir/director-session.js';
import { SessionRegistry } from '@burrow/common/net/job-sessions';
import { trimCHeapEvery } from '@burrow/fsx';
import { daemonRegistry, serveMetrics } from '@burrow/common/metrics/index';
import { registerStorageMetrics } from './metrics/storage-metrics.js';
import { spoolDesk } from './spool/index.js';


// Free pages of the C heap go back to the system each second (fsx explains why).
trimCHeapEvery(1000);

const args = parseDaemonArgs(process.argv.slice(2), '/etc/burrow/burrow-sd.d', daemonUsage('burrow-sd', '/etc/burrow/burrow-sd.d'));

await runDaemon('burrow-sd', args, async ({ log, signal }) => {
  const resolvePath = (p: string): string => configRelative(args.configPath, p);
  const loaded = await loadConfiguration({
    binary: 'burrow-sd', args, log, load: loadStorageConfig,
    check: async (config, problems) => {
      const self = config.storage;
      checkDaemonMessages(problems, { daemon: 'Storage daemon', own: self, messages: config.messages });
      const own = await checkOwnResource(problems, {
        listen: { resource: self, address: self.sdAddress, addresses: self.sdAddresses, port: self.sdPort, addressProp: 'sdAddress', addressesProp: 'sdAddresses' },
        directories: { workingDirectory: resolvePath(self.workingDirectory), pidDirectory: resolvePath(self.pidDirectory) },
      });
      const devices = checkDevices(problems, config.devices, resolvePath);
      return { own, devices, changers: checkAutochangers(problems, config.autochangers, config.devices) };
    },
  });
  if (!loaded) return;
  const { config, checked } = loaded;
  for (const dir of checked.own.directories) ensureDirectory(dir);
  const self = config.storage;
  // A VTape's Archive Device is the cartridge file: the directory it sits in is made as a File device's is; a Tape's is a device.
  for (const d of checked.devices) {
    if (d.resource.deviceType === 'File') ensureDirectory(d.archiveDevice);
    else if (d.resource.deviceType === 'VTape') ensureDirectory(dirname(d.archiveDevice));
  }
  const spools = spoolDesk(self.name, resolvePath(self.workingDirectory), checked.devices.map((d) => d.resource), resolvePath);
  for (const dir of spools.directories()) ensureDirectory(dir);
  const reservations = new Reservations(configuredDrives(checked.devices, checked.changers, signal));
  const sessions = new SessionRegistry({ claimTimeoutMs: self.clientConnectWait * 1000, connecting: 'the File daemon', directive: 'Client Connect Wait' });
  const registry = daemonRegistry();
  const running: StorageContext['running'] = new Map();
  const ctx: StorageContext = {
    name: self.name, reservations, operator: new DriveOperator(reservations), sessions, running, fdConnectTimeoutMs: self.fdConnectTimeout * 1000,
    metrics: registerStorageMetrics({ registry, reservations, running }), spools,
    maximumConcurrentJobs: self.maximumConcurrentJobs, checkpointIntervalMs: self.checkpointInterval * 1000, maximumBandwidthPerJob: self.maximumBandwidthPerJob ?? 0, startedAt: Date.now(), signal, heartbeatMs: self.heartbeatInterval * 1000,
  };
  const server = await listen({
    binds: checked.own.binds,
    self: { role: 'storage', name: self.name },
    log,
    lookupPsk: (peer) => {
      if (peer.role === 'director') {
        const dir = config.directors.find((d) => d.name === peer.name);
        return dir ? derivePsk(dir.password, peer) : undefined;
      }
      if (peer.role === 'job') return sessions.pskFor(peer);
      return undefined;
    },
    // The Storage resource's TLS Enable / TLS Require: a File daemon's data session may
    // come without TLS only when one of them is no; a Director always uses TLS.
    // A backup's records are given back once on the volume (backup-receiver.ts).
    framePools: true,
    heartbeatMs: () => ctx.heartbeatMs,
    cleartextAllowed: (peer) => peer.role === 'job' && !(self.tlsEnable && self.tlsRequire),
    onChannel: async (channel) => {
      if (channel.peer.role === 'job') {
        sessions.claim(channel);
        return;
      }
      await serveDirector(ctx, channel, log.child({ director: channel.peer.name }),
        directorAccess(config.directors.find((d) => d.name === channel.peer.name)));
    },
  });
  const metrics = await serveMetrics(registry, { metricsPort: self.metricsPort, metricsAddress: self.metricsAddress }, log);
  await serveUntilStopped({
    server, binary: 'burrow-sd', pidDirectory: resolvePath(self.pidDirectory), log, signal, banner: `burrow-sd "${self.name}"`,
    shutdown: () => metrics?.close(),
  });
});
