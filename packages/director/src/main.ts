#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=50
/**
 * burrow-dir: the Director's composition root. Loads the configuration, opens the
 * catalog, and serves consoles on the daemon port; jobs reach the Storage and File
 * daemons from the job queue.
 *
 * --heap-growing-percent=50: after each full collection V8 lets the old generation grow
 * by half of what survived, not by its own factor of up to several times. Taking a
 * backup's catalog batches makes garbage fast, and with V8's factor the Director's peak
 * grew with the job (205 MiB at 1,000,000 files against 139 at 100,000) though what it
 * keeps does not: capping old space at 90 MiB changed nothing else. With the flag: 126
 * and 139 MiB; the restore tree of 1,000,000 files built in the same time.
 */
import { configRelative, daemonUsage, loadConfiguration, parseDaemonArgs, runDaemon, serveUntilStopped } from '@burrow/common/daemon/cli';
import { ensureDirectory } from '@burrow/common/daemon/preflight';
import { findResource, loadDirectorConfig } from '@burrow/common/config/index';
import { describeError } from '@burrow/common/errors/index';
import { listen, type Refusal } from '@burrow/common/net/server';
import { derivePsk } from '@burrow/common/net/psk';
import { catalogFiles, DEFAULT_DB_NAME, openSqliteCatalog } from './catalog/index.js';
import { JobQueue } from './jobs/queue.js';
import { buildGeneration, writeResourceRows } from './configuration/generation.js';
import { LiveConfiguration } from './configuration/live.js';
import { checkDirectorConfiguration } from './configuration/check.js';
import { reloader, reloadOnHangup } from './configuration/reload.js';
import { runAsDirector, serveConsole } from './console/session.js';
import { COMMANDS } from './console/commands/index.js';
import type { ConsoleServices } from './console/command.js';
import type { JobEnv } from './jobs/env.js';
import { DEFAULT_CONSOLE_NAME } from './console/console-name.js';
import { Scheduler } from './scheduler/scheduler.js';
import { systemClock } from './time/clock.js';
import { ClientConnections } from './fd/client-connections.js';
import { VolumeReservations } from './media/reservations.js';
import { heartbeatMs, scheduledPlan } from './setup/resolve.js';
import { DEFAULT_DIRECTOR_CONFIG, prepareCommandEnvironment } from './setup/command-environment.js';
import { daemonRegistry, serveMetrics } from '@burrow/common/metrics/index';
import { registerDirectorMetrics, timedCatalog } from './metrics/director-metrics.js';
import { serveHttp } from './http/server.js';
import { JobEvents } from './jobs/events.js';
import { reportingProgress } from './jobs/progress.js';
import { reportingVolumes } from './jobs/volume-events.js';


const args = parseDaemonArgs(process.argv.slice(2), DEFAULT_DIRECTOR_CONFIG, daemonUsage('burrow-dir', DEFAULT_DIRECTOR_CONFIG));

await runDaemon('burrow-dir', args, async ({ log, signal }) => {
  const resolvePath = (p: string): string => configRelative(args.configPath, p);
  const loaded = await loadConfiguration({
    binary: 'burrow-dir', args, log, load: loadDirectorConfig,
    check: (config, problems) => checkDirectorConfiguration(config, problems, resolvePath),
  });
  if (!loaded) return;
  const { config, checked } = loaded;
  prepareCommandEnvironment(args.configPath);
  for (const dir of checked.directories) ensureDirectory(dir);
  const self = config.director;
  const workingDirectory = resolvePath(self.workingDirectory);
  const clock = systemClock;
  const registry = daemonRegistry();
  const events = new JobEvents((name, err) => log.warn({ event: name, err }, 'a follower of job events failed'));
  const opened = openSqliteCatalog(catalogFiles(workingDirectory, config.catalogs[0]?.dbName ?? DEFAULT_DB_NAME).database, { now: clock.now });
  const catalog = reportingVolumes(reportingProgress(timedCatalog(opened, registry), events, clock.now), events);
  // Called only once a job runs, when everything it reads exists.
  const runConsoleCommand = scriptConsole(() => services);
  const parts = { catalog, log, resolvePath, runConsoleCommand, clock, reservations: new VolumeReservations(), clientConnections: new ClientConnections() };
  const live = new LiveConfiguration(buildGeneration(config, parts));
  for (const jobId of await catalog.markInterruptedJobs()) {
    log.warn({ jobId }, 'job was cut off by a previous Director run; marked failed');
    live.current.daemonMessage('warning', `Warning: JobId ${jobId} was cut off by a previous Director run; marked failed.`);
  }
  await writeResourceRows(catalog, config);
  const queue = new JobQueue({ env: () => live.current.env, maxConcurrentJobs: () => live.current.config.director.maximumConcurrentJobs, events });
  registerDirectorMetrics({ registry, catalog, queue });
  const state = { startedAt: clock.now(), lastShownLogId: 0 };
  const scheduler = new Scheduler(live.current.schedule, clock, async (firing) => {
    try {
      const id = await queue.submit(scheduledPlan(live.current.config, firing.item.job, firing.run.overrides, resolvePath));
      log.info({ jobId: id.jobId, schedule: firing.item.schedule }, `Job "${firing.item.job.name}" started by Schedule "${firing.item.schedule}"`);
    } catch (err) {
      // No job exists to log it: the Director's Messages carry it (the scheduler logs it too).
      live.current.daemonMessage('error', `Error: scheduled run of Job "${firing.item.job.name}" could not start: ${describeError(err)}`);
      throw err;
    }
  }, log);
  live.onReplace((next) => scheduler.replaceEntries(next.schedule));
  const schedulerDone = scheduler.run(signal);
  const reload = reloader({ configPath: args.configPath, live, parts, check: (c, problems) => checkDirectorConfiguration(c, problems, resolvePath) });
  const stopHangups = reloadOnHangup(reload, log, args.configPath);
  const services: ConsoleServices = { catalog, queue, live, reload, state, scheduler, resolvePath, commands: COMMANDS };
  const server = await listen({
    binds: checked.binds,
    self: { role: 'director', name: self.name },
    log,
    lookupPsk: (peer) => {
      const now = live.current.config;
      if (peer.role === 'client') {
        // A File daemon connecting by itself, for its jobs: only a Client that allows it.
        const client = findResource(now.clients, peer.name);
        return client?.connectionFromClientToDirector && client.name === peer.name ? derivePsk(client.password, peer) : undefined;
      }
      if (peer.role !== 'console') return undefined;
      if (peer.name === DEFAULT_CONSOLE_NAME) return derivePsk(now.director.password, peer);
      const named = findResource(now.consoles, peer.name);
      // Resource names match case-insensitively, but the key is bound to the exact identity.
      return named ? derivePsk(named.password, peer) : undefined;
    },
    onChannel: async (channel) => {
      if (channel.peer.role === 'client') {
        log.info({ client: channel.peer.name, remote: channel.remoteAddress }, `Client "${channel.peer.name}" connected; its connection waits for a job`);
        parts.clientConnections.offer(channel);
        return;
      }
      await serveConsole(services, channel, signal);
    },
    onRefused: (r) => live.current.daemonMessage('security', consoleRefusal(r)),
    // A client's own connection, waiting for jobs, is kept under its Heartbeat Interval; consoles under none.
    heartbeatMs: (peer) => {
      const now = live.current.config;
      const client = peer.role === 'client' ? findResource(now.clients, peer.name) : undefined;
      return client ? heartbeatMs(now, client) : 0;
    },
  });
  const metrics = await serveMetrics(registry, { metricsPort: self.metricsPort, metricsAddress: self.metricsAddress }, log);
  const http = await serveHttp({ self, services, log, clock, resolvePath });
  await serveUntilStopped({
    server, binary: 'burrow-dir', pidDirectory: resolvePath(self.pidDirectory), log, signal, banner: `burrow-dir "${self.name}"`,
    shutdown: async () => {
      stopHangups();
      await http?.close();
      await schedulerDone;
      await queue.shutdown();
      await metrics?.close();
      catalog.close();
    },
  });
});

/** A refused console login in the words Bareos's Director uses for it. */
function consoleRefusal(r: Refusal): string {
  const who = r.peer ? `${r.peer.role === 'client' ? 'client' : 'console'} "${r.peer.name}"` : 'a peer with an unreadable identity';
  return `Unable to authenticate ${who} at ${r.remote}: ${r.reason}.`;
}

/** A RunScript's `Console =` line, run by runAsDirector; a cancel of the job stops waiting for it. */
function scriptConsole(services: () => ConsoleServices): JobEnv['runConsoleCommand'] {
  return (line, signal) => untilAborted(runAsDirector(services(), line), signal);
}

/** The work's result, or the signal's reason once it aborts (the work is left to finish on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
