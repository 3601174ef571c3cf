#!/usr/bin/env node
/**
 * burrow-sd: the Storage daemon's composition root. Reads the configuration, opens the
 * devices, and serves Directors (labels, status, job sessions) and File daemons (the
 * data connection of a session) on one TLS-PSK port.
 */
import { mkdirSync } from 'node:fs';
import { configRelative, daemonUsage, parseDaemonArgs, runDaemon, serveUntilStopped } from '@burrow/common/daemon/cli';
import { loadStorageConfig } from '@burrow/common/config/index';
import { listen } from '@burrow/common/net/server';
import { derivePsk } from '@burrow/common/net/psk';
import { deviceLookup, type StorageContext } from './context.js';
import { FileDevice } from './devices/file-device.js';
import type { Device } from './devices/device.js';
import { serveDirector } from './dir/director-session.js';
import { SessionRegistry } from './sessions/registry.js';


const args = parseDaemonArgs(process.argv.slice(2), '/etc/burrow/burrow-sd.d', daemonUsage('burrow-sd', '/etc/burrow/burrow-sd.d'));

await runDaemon('burrow-sd', args, async ({ log, signal }) => {
  const { config, warnings } = loadStorageConfig(args.configPath);
  for (const w of warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
  if (args.testOnly) {
    process.stdout.write(`burrow-sd: configuration ${args.configPath} is valid\n`);
    return;
  }
  const self = config.storage;
  const devices = new Map<string, Device>();
  for (const d of config.devices) {
    if (d.deviceType.toLowerCase() !== 'file') {
      log.warn(`Device "${d.name}": Device Type ${d.deviceType} is not supported yet; the device is not available`);
      continue;
    }
    const archiveDevice = configRelative(args.configPath, d.archiveDevice);
    mkdirSync(archiveDevice, { recursive: true });
    devices.set(d.name.toLowerCase(), new FileDevice({ name: d.name, archiveDevice }));
  }
  const sessions = new SessionRegistry();
  const ctx: StorageContext = {
    name: self.name, devices, sessions, running: new Map(), startedAt: Date.now(), signal, device: deviceLookup(devices),
  };
  const server = await listen({
    host: self.sdAddress,
    port: self.sdPort,
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
    onChannel: async (channel) => {
      if (channel.peer.role === 'job') {
        sessions.claim(channel);
        return;
      }
      await serveDirector(ctx, channel, log.child({ director: channel.peer.name }));
    },
  });
  await serveUntilStopped({
    server, binary: 'burrow-sd', pidDirectory: self.pidDirectory ? configRelative(args.configPath, self.pidDirectory) : undefined, log, signal,
    banner: `burrow-sd "${self.name}"`, address: self.sdAddress,
  });
});
