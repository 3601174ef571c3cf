/** status: what the Director, a client or a storage daemon is doing. */
import { VERSION } from '@burrow/common/daemon/version';
import { BurrowError } from '@burrow/common/errors/index';
import { daemonStatus } from '../../peer-connect.js';
import { clientTarget, storageTarget } from '../../setup/resolve.js';
import { elapsed, listDate, withCommas } from '../../jobs/format.js';
import { statusWords } from '../../jobs/status.js';
import { ok, type Command, type CommandResult, type ConsoleContext } from '../command.js';
import { table } from '../text.js';
import { consoleScope } from '../scope.js';

function directorStatus(ctx: ConsoleContext, days: number): CommandResult {
  const scope = consoleScope(ctx);
  const running = ctx.queue.list().filter((j) => scope.jobAllowed({ name: j.name, clientName: j.client }));
  const done = ctx.catalog.listJobs({ limit: 10 }).filter((j) => ['T', 'W', 'E', 'f', 'A'].includes(j.status) && scope.jobAllowed(j));
  const scheduled = ctx.scheduler.upcoming(days).filter((f) => scope.jobAllowed({ name: f.item.job.name, clientName: f.item.job.client ?? null })).map((f) => ({
    level: f.run.overrides.level ?? f.item.job.level ?? 'Full', type: f.item.job.type ?? 'Backup',
    priority: f.run.overrides.priority ?? f.item.job.priority, scheduled: listDate(f.time), name: f.item.job.name, schedule: f.item.schedule,
  }));
  const text = [
    `${ctx.env.directorName} Version: ${VERSION}`,
    `Daemon started ${listDate(ctx.state.startedAt)}, up ${elapsed(Date.now() - ctx.state.startedAt)}.`,
    '',
    'Scheduled Jobs:',
    scheduled.length === 0 ? 'No Scheduled Jobs.' : table(['Level', 'Type', 'Pri', 'Scheduled', 'Job Name', 'Schedule'],
      scheduled.map((s) => [s.level, s.type, s.priority, s.scheduled, s.name, s.schedule])),
    '',
    'Running Jobs:',
    running.length === 0 ? 'No Jobs running.' : table(['JobId', 'Level', 'Name', 'Status'], running.map((j) => [j.jobId, j.level, j.job, j.state === 'running' ? 'is running' : (j.waitingFor ?? 'is waiting execution')])),
    '',
    'Terminated Jobs:',
    table(['JobId', 'Level', 'Files', 'Bytes', 'Status', 'Finished', 'Name'],
      done.map((j) => [j.jobId, j.level, withCommas(j.jobFiles), withCommas(j.jobBytes), statusWords(j.status), listDate(j.endTime), j.name])),
  ].join('\n');
  return ok(text, { scheduled, running, terminated: done });
}

export const statusCommand: Command = {
  name: 'status',
  help: 'Report the status of the Director, a client or a storage daemon',
  usage: 'status [dir [days=N] | client=<name> | storage=<name>]',
  run: async (ctx, args) => {
    const client = args.get('client');
    const storage = args.get('storage');
    const scope = consoleScope(ctx);
    if (client && !scope.clientAllowed(client)) throw new BurrowError('NOT_FOUND', `Client "${client}" is not defined`);
    if (storage && !scope.storageAllowed(storage)) throw new BurrowError('NOT_FOUND', `Storage "${storage}" is not defined`);
    if (client) {
      const text = await daemonStatus(clientTarget(ctx.config, client), 'client', ctx.env.directorName);
      return ok(text, { client, text });
    }
    if (storage) {
      const text = await daemonStatus(storageTarget(ctx.config, storage), 'storage', ctx.env.directorName);
      return ok(text, { storage, text });
    }
    const what = args.firstWord() ?? 'dir';
    if (!['dir', 'director', 'all'].includes(what)) throw new BurrowError('BAD_REQUEST', `status ${what}: say dir, client=NAME or storage=NAME`);
    return directorStatus(ctx, args.int('days') ?? 1);
  },
};
