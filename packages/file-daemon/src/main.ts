#!/usr/bin/env node
/**
 * burrow-fd: the File daemon's composition root. Runs on each client, as root, and
 * does what its configured Directors order: back up files to a Storage daemon session,
 * restore them from one, report status.
 */
import { configRelative, daemonUsage, parseDaemonArgs, runDaemon, serveUntilStopped } from '@burrow/common/daemon/cli';
import { loadFileDaemonConfig } from '@burrow/common/config/index';
import { listen } from '@burrow/common/net/server';
import { derivePsk } from '@burrow/common/net/psk';
import type { ClientContext } from './context.js';
import { serveDirector } from './dir/director-session.js';


const args = parseDaemonArgs(process.argv.slice(2), '/etc/burrow/burrow-fd.d', daemonUsage('burrow-fd', '/etc/burrow/burrow-fd.d'));

await runDaemon('burrow-fd', args, async ({ log, signal }) => {
  const { config, warnings } = loadFileDaemonConfig(args.configPath);
  for (const w of warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
  if (args.testOnly) {
    process.stdout.write(`burrow-fd: configuration ${args.configPath} is valid\n`);
    return;
  }
  const self = config.fileDaemon;
  const ctx: ClientContext = {
    name: self.name, startedAt: Date.now(), running: new Map(), signal,
    scriptPolicy: {
      allowedScriptDirs: self.allowedScriptDir.map((d) => configRelative(args.configPath, d)),
      allowedJobCommands: [...self.allowedJobCommand],
    },
  };
  const server = await listen({
    host: self.fdAddress,
    port: self.fdPort,
    self: { role: 'client', name: self.name },
    log,
    lookupPsk: (peer) => {
      if (peer.role !== 'director') return undefined;
      const dir = config.directors.find((d) => d.name === peer.name);
      return dir ? derivePsk(dir.password, peer) : undefined;
    },
    onChannel: (channel) => serveDirector(ctx, channel, log.child({ director: channel.peer.name })),
  });
  await serveUntilStopped({
    server, binary: 'burrow-fd', pidDirectory: self.pidDirectory ? configRelative(args.configPath, self.pidDirectory) : undefined, log, signal,
    banner: `burrow-fd "${self.name}"`, address: self.fdAddress,
  });
});
