/**
 * restore, the non-interactive form Bareos scripts use:
 *   restore client=NAME [jobid=N,M | select current] [all | file=PATH ... | directory=PATH]
 *           [where=PATH] [replace=always|ifnewer|ifolder|never] [restoreclient=] [restorejob=] [done] yes
 * `current` (or `before=`) takes the backups that make up the client's latest state
 * (or its state at that time): the last Full, the last Differential after it, and the
 * Incrementals after those; the newest version of each file wins. (The interactive file tree
 * comes with the operators' restore issue.)
 */
import { BurrowError } from '@burrow/common/errors/index';
import { parseDisplayPath, displayPath } from '@burrow/common/names/index';
import { findResource } from '@burrow/common/config/index';
import { resolveRestore } from '../../setup/resolve.js';
import { withCommas } from '../../jobs/format.js';
import { currentChain } from '../../jobs/baseline.js';
import { ok, type Command } from '../table.js';
import type { ConsoleContext } from '../context.js';
import type { Args } from '../args.js';

function restoreJob(ctx: ConsoleContext, args: Args) {
  const name = args.get('restorejob');
  const job = name ? findResource(ctx.config.jobs, name) : ctx.config.jobs.find((j) => j.type === 'Restore');
  if (!job) throw new BurrowError('NOT_FOUND', name ? `Job "${name}" is not defined` : 'no Job with Type = Restore is configured');
  if (job.type !== 'Restore') throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is not a Restore job`);
  return job;
}

function selectedJobs(ctx: ConsoleContext, args: Args, client: string): number[] {
  const ids = args.ids('jobid');
  if (ids.length > 0) {
    for (const id of ids) {
      const j = ctx.catalog.getJob(id);
      if (!j) throw new BurrowError('NOT_FOUND', `JobId ${id} does not exist`);
      if (j.type !== 'B') throw new BurrowError('BAD_REQUEST', `JobId ${id} is not a backup`);
      if (j.status !== 'T' && j.status !== 'W') throw new BurrowError('BAD_REQUEST', `JobId ${id} did not end well (status ${j.status}); its files may be incomplete`);
    }
    return ids;
  }
  if (!args.has('current') && !args.has('select') && !args.has('before')) {
    throw new BurrowError('BAD_REQUEST', 'restore: give jobid=N, or "select current" for the most recent backup, or before="YYYY-MM-DD HH:MM:SS"');
  }
  const beforeText = args.get('before');
  const before = beforeText === undefined ? undefined : Date.parse(beforeText.replace(' ', 'T'));
  if (before !== undefined && Number.isNaN(before)) throw new BurrowError('BAD_REQUEST', `before=${beforeText} is not a date (YYYY-MM-DD HH:MM:SS)`);
  const chain = currentChain(ctx.catalog, client, { before });
  if (chain.length === 0) throw new BurrowError('NOT_FOUND', `no successful Full backup of client "${client}" in the catalog${beforeText ? ` before ${beforeText}` : ''}`);
  return chain.map((j) => j.jobId);
}

export const restoreCommand: Command = {
  name: 'restore',
  help: 'Restore files from backups',
  usage: 'restore client=<name> [jobid=<ids> | select current] [all | file=<path> ... | directory=<path>] [where=<path>] [replace=<mode>] [restoreclient=<name>] yes',
  run: (ctx, args) => {
    const client = args.get('client') ?? ctx.config.clients[0]?.name;
    if (!client) throw new BurrowError('BAD_REQUEST', 'restore: give client=NAME');
    const jobIds = selectedJobs(ctx, args, client);
    const paths = [...args.all('file'), ...args.all('directory')].map(parseDisplayPath);
    for (const p of paths) {
      if (p.includes(0)) throw new BurrowError('HOSTILE_PATH', 'a file name with a NUL byte cannot exist');
      if (p.toString('latin1').split('/').includes('..')) throw new BurrowError('HOSTILE_PATH', `file=${displayPath(p)} contains ".."`);
    }
    if (paths.length === 0 && !args.has('all')) throw new BurrowError('BAD_REQUEST', 'restore: say "all", or name files with file= or directory=');
    const plan = resolveRestore(ctx.config, {
      job: restoreJob(ctx, args), client, restoreClient: args.get('restoreclient'), storage: args.get('storage'),
      jobIds, paths, where: args.get('where'), replace: args.get('replace'),
    });
    const selected = ctx.catalog.selectRestoreFiles(jobIds, paths.length ? { paths } : undefined);
    if (selected.length === 0) throw new BurrowError('NOT_FOUND', `none of the named files is in JobId(s) ${jobIds.join(',')}`);
    const volumes = [...new Set(selected.map((s) => s.volumeName))];
    const summary = [
      `${withCommas(selected.length)} files selected to be restored from JobId(s) ${jobIds.join(',')}.`,
      `Volumes needed: ${volumes.join(', ')}`,
      `Restore Client: ${plan.restoreClient.name}`,
      `Where:          ${plan.where.length ? plan.where.toString('utf8') : '(original location)'}`,
      `Replace:        ${plan.replace}`,
    ].join('\n');
    if (!args.has('yes')) return ok(`${summary}\nNot started: add "yes" to run it.`, { started: false, files: selected.length });
    const id = ctx.queue.submit(plan);
    return ok(`${summary}\nJob queued. JobId=${id.jobId}`, { jobid: id.jobId, files: selected.length, volumes });
  },
};
