#!/usr/bin/env -S node --initial-old-space-size=32 --max-semi-space-size=2 --heap-growing-percent=50
/**
 * burrow-fd: the File daemon's composition root. Runs on each client, as root, and
 * does what its configured Directors order: back up files to a Storage daemon session,
 * restore them from one, report status.
 *
 * The first line gives V8 a 32 MiB initial old generation: the buffers of socket
 * reads (a restore's records, 16 KiB per TLS record) count against a collection limit
 * set from a heap of a few MiB, and set off a full collection every few dozen MiB
 * (bench/README.md, step 6b, which gave it 64 MiB, as the Storage daemon has). Since
 * chunks and records come from slabs (common/net/slab-pool.ts) little of that churn is
 * left, and 64 MiB was mostly room for garbage: each job's old generation filled to
 * 50-60 MiB before its first full collection, the File daemon's largest figure
 * (bench/README.md, step 11d: peak 175 -> 145 MiB on `mixed`, CPU the same).
 * `--max-semi-space-size=2` (the Storage daemon and the Director keep 4, step 6c): a
 * young generation of 2 x 2 MiB, not 2 x 4, for the main thread and for each worker
 * (digest, compression); twice the scavenges, each half as long (step 11e).
 * `--heap-growing-percent=50`, as the Storage daemon and the Director have it: once a
 * backup's chunks no longer churn array buffers (common/net/slab-pool.ts), full collections
 * came every few seconds, and between them V8's own growing factor let the heap reach
 * two to three times its live 18-20 MiB (bench/README.md, step 11).
 */
import { configRelative, daemonUsage, loadConfiguration, parseDaemonArgs, runDaemon, serveUntilStopped } from '@burrow/common/daemon/cli';
import { directorAccess } from '@burrow/common/daemon/monitor';
import { checkDaemonMessages, checkOwnResource, ensureDirectory } from '@burrow/common/daemon/preflight';
// The File daemon's own loader, not the configuration index: every daemon's schemas would stay in memory (about 9 MiB).
import { loadFileDaemonConfig, type FileDaemonConfig } from '@burrow/common/config/daemons/filedaemon';
import { listen } from '@burrow/common/net/server';
import { SessionRegistry } from '@burrow/common/net/job-sessions';
import { derivePsk } from '@burrow/common/net/psk';
import type { ClientContext } from './context.js';
import { serveDirector } from './dir/director-session.js';
import { dialDirector } from './dir/director-dial.js';
import { DigestThread } from './digest/thread.js';
import { CompressThread } from './backup/compress-thread.js';
import { CHUNK_ROOM } from './backup/record.js';
import { trimCHeapEvery } from '@burrow/fsx';
import { daemonRegistry, serveMetrics } from '@burrow/common/metrics/index';
import { registerClientMetrics } from './metrics/client-metrics.js';


// Free pages of the C heap go back to the system each second (fsx explains why).
trimCHeapEvery(1000);

const args = parseDaemonArgs(process.argv.slice(2), '/etc/burrow/burrow-fd.d', daemonUsage('burrow-fd', '/etc/burrow/burrow-fd.d'));

await runDaemon('burrow-fd', args, async ({ log, signal }) => {
  const resolvePath = (p: string): string => configRelative(args.configPath, p);
  const loaded = await loadConfiguration({
    binary: 'burrow-fd', args, log, load: loadFileDaemonConfig,
    check: (config, problems) => {
      const self = config.fileDaemon;
      checkDaemonMessages(problems, { daemon: 'File daemon', own: self, messages: config.messages });
      return checkOwnResource(problems, {
        listen: { resource: self, address: self.fdAddress, addresses: self.fdAddresses, port: self.fdPort, addressProp: 'fdAddress', addressesProp: 'fdAddresses' },
        directories: { workingDirectory: resolvePath(self.workingDirectory), pidDirectory: resolvePath(self.pidDirectory) },
      });
    },
  });
  if (!loaded) return;
  const { config, checked } = loaded;
  for (const dir of checked.directories) ensureDirectory(dir);
  const self = config.fileDaemon;
  const digestThread = new DigestThread();
  signal.addEventListener('abort', () => void digestThread.close(), { once: true });
  const compressThread = new CompressThread(CHUNK_ROOM);
  signal.addEventListener('abort', () => void compressThread.close(), { once: true });
  const registry = daemonRegistry();
  const running: ClientContext['running'] = new Map();
  const ctx: ClientContext = {
    metrics: registerClientMetrics(registry, running),
    digestThread,
    compressThread,
    dataTls: self.tlsEnable,
    name: self.name, startedAt: Date.now(), running, passiveSessions: new SessionRegistry({ claimTimeoutMs: self.sdConnectTimeout * 1000, connecting: 'the Storage daemon', directive: 'SD Connect Timeout' }), heartbeatMs: self.heartbeatInterval * 1000, sdConnectTimeoutMs: self.sdConnectTimeout * 1000, maximumBandwidthPerJob: jobBandwidthCap(config), maximumConcurrentJobs: self.maximumConcurrentJobs, signal,
    scriptPolicy: {
      allowedScriptDirs: self.allowedScriptDir.map(resolvePath),
      allowedJobCommands: [...self.allowedJobCommand],
    },
  };
  const server = await listen({
    binds: checked.binds,
    self: { role: 'client', name: self.name },
    log,
    lookupPsk: (peer) => {
      // A passive client's Storage daemon, with the token of a job waiting for it.
      if (peer.role === 'job') return ctx.passiveSessions.pskFor(peer);
      if (peer.role !== 'director') return undefined;
      const dir = config.directors.find((d) => d.name === peer.name);
      // Connection From Director To Client = no: that Director reaches us only through our own connections.
      return dir?.connectionFromDirectorToClient ? derivePsk(dir.password, peer) : undefined;
    },
    // A restore's records arrive in pooled buffers the restore writer gives back.
    framePools: true,
    heartbeatMs: () => ctx.heartbeatMs,
    onChannel: async (channel) => {
      if (channel.peer.role === 'job') {
        ctx.passiveSessions.claim(channel);
        return;
      }
      await serveDirector(ctx, channel, log.child({ director: channel.peer.name }),
        directorAccess(config.directors.find((d) => d.name === channel.peer.name)));
    },
  });
  for (const dir of config.directors) {
    if (!dir.connectionFromClientToDirector || dir.address === undefined) continue;
    const dirLog = log.child({ director: dir.name });
    void dialDirector({ name: dir.name, address: dir.address, port: dir.port, password: dir.password }, {
      self: self.name, log: dirLog, signal, heartbeatMs: ctx.heartbeatMs,
      serve: (channel, onFirst) => serveDirector(ctx, channel, dirLog, directorAccess(dir), onFirst),
    });
  }
  const metrics = await serveMetrics(registry, { metricsPort: self.metricsPort, metricsAddress: self.metricsAddress }, log);
  await serveUntilStopped({
    server, binary: 'burrow-fd', pidDirectory: resolvePath(self.pidDirectory), log, signal, banner: `burrow-fd "${self.name}"`,
    shutdown: () => metrics?.close(),
  });
});

/** Each Director's cap on its jobs' data here: its resource's Maximum Bandwidth Per Job, else the FileDaemon's; 0 none. */
function jobBandwidthCap(config: FileDaemonConfig): (director: string) => number {
  return (director) => config.directors.find((d) => d.name === director)?.maximumBandwidthPerJob ?? config.fileDaemon.maximumBandwidthPerJob ?? 0;
}
