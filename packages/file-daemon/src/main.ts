#!/usr/bin/env node
/**
 * burrow-fd: the File daemon's composition root. Runs on each client, as root, and
 * does what its configured Directors order: back up files to a Storage daemon session,
 * restore them from one, report status.
 */
import { parseDaemonArgs, runDaemon, untilAborted, writePidFile, configRelative } from '@burrow/common/daemon/cli';
import { loadFileDaemonConfig } from '@burrow/common/config/index';
import { listen } from '@burrow/common/net/server';
import { derivePsk } from '@burrow/common/net/psk';
import type { ClientContext } from './context.js';
import { serveDirector } from './dir/director-session.js';

const USAGE = `Usage: burrow-fd [-c config] [-f] [-t] [-d level] [-v]
  -c PATH  configuration file or directory (default /etc/burrow/burrow-fd.d)
  -f       run in the foreground
  -t       test the configuration and exit
  -d N     debug level
  -v       verbose
`;

const args = parseDaemonArgs(process.argv.slice(2), '/etc/burrow/burrow-fd.d', USAGE);

await runDaemon('burrow-fd', args, async ({ log, signal }) => {
  const { config, warnings } = loadFileDaemonConfig(args.configPath);
  for (const w of warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
  if (args.testOnly) {
    process.stdout.write(`burrow-fd: configuration ${args.configPath} is valid\n`);
    return;
  }
  const self = config.fileDaemon;
  const ctx: ClientContext = { name: self.name, startedAt: Date.now(), running: new Map(), signal };
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
  const removePid = writePidFile(self.pidDirectory ? configRelative(args.configPath, self.pidDirectory) : undefined, 'burrow-fd', server.port);
  log.info({ port: server.port, address: self.fdAddress }, `burrow-fd "${self.name}" listening on ${self.fdAddress}:${server.port}`);
  await untilAborted(signal);
  await server.close();
  removePid();
});
