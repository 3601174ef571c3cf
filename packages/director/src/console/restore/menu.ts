/**
 * Bareos's restore menu: how the point in time (the jobs) and, for some choices, the
 * files are picked when the keywords do not say. Numbers follow Bareos where it has
 * the choice; 14 (a pattern) is Burrow's.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { parseDisplayPath } from '@burrow/common/names/index';
import { ask, type ConsoleContext } from '../command.js';
import { consoleScope } from '../scope.js';
import { listDate } from '../../jobs/format.js';
import { chainJobIds, checkClient, checkJobIds, parseWhen, type RestoreSelection } from './selection.js';
import { canceled, QUESTION, type RestoreAnswer, type RestoreQuestion, type RestoreReply } from './result.js';

/** What happens once the jobs (and maybe files) are known: the tree, or the summary. */
export interface MenuNext {
  withJobs(ctx: ConsoleContext, s: RestoreSelection): Promise<RestoreReply>;
}

const CHOICES = [
  'List last 20 Jobs run',
  'List Jobs where a given File is saved',
  'Enter list of comma separated JobIds to select',
  '(not offered: SQL queries)',
  'Select the most recent backup for a client',
  'Select backup for a client before a specified time',
  'Enter a list of files to restore',
  'Enter a list of files to restore before a specified time',
  'Find the JobIds of the most recent backup for a client',
  'Find the JobIds for a backup for a client before a specified time',
  '(not offered: directories of found JobIds)',
  'Select full restore to a specified Job date',
  'Cancel',
  'Select the files matching a regular expression (most recent backup)',
];

export function restoreMenu(s: RestoreSelection, next: MenuNext): RestoreReply {
  return ask({ kind: 'menu', choices: CHOICES }, menu(s, next));
}

function question(prompt: string, answer: RestoreQuestion['answer']): RestoreQuestion {
  return { prompt, answer };
}

async function lastJobs(ctx: ConsoleContext, again: RestoreQuestion): Promise<RestoreReply> {
  const jobs = (await ctx.catalog.listJobs({ type: 'B', limit: 20 })).filter((j) => consoleScope(ctx).jobAllowed(j));
  return ask({
    kind: 'jobs',
    jobs: jobs.map((j) => ({ jobid: j.jobId, client: j.clientName ?? '', starttime: listDate(j.startTime), level: j.level, jobfiles: j.jobFiles, jobbytes: j.jobBytes, jobstatus: j.status })),
  }, again);
}

function jobIdList(s: RestoreSelection, next: MenuNext): RestoreReply {
  return ask(QUESTION, question('Enter JobId(s), comma separated, to restore: ', async (ctx, answer) => {
    const ids = answer.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      if (!/^\d+$/.test(p)) throw new BurrowError('BAD_REQUEST', `"${p}" is not a JobId`);
      return Number(p);
    });
    return next.withJobs(ctx, { ...s, ...(await checkJobIds(ctx, ids, undefined)) });
  }));
}

function menu(s: RestoreSelection, next: MenuNext): RestoreQuestion {
  return question(`Select item:  (1-${CHOICES.length}): `, async (ctx, line) => {
    const again = menu(s, next);
    const chain = (c: RestoreSelection, before?: number): Promise<number[]> => chainJobIds(ctx, c.client, before, c.fileSetId);
    switch (Number(line.trim())) {
      case 1: return lastJobs(ctx, again);
      case 2: return withClient(ctx, s, (c) => ask(QUESTION, question('Enter Filename (with path): ', async (ctx2, answer) => {
        const jobs = await ctx2.catalog.listJobs({ client: c.client, type: 'B' });
        const versions = await ctx2.catalog.fileVersions(jobs.map((j) => j.jobId), parseDisplayPath(answer.trim()));
        return ask({ kind: 'saved-in', versions: versions.map((v) => ({ jobid: v.jobId, fileindex: v.fileIndex, size: v.size, mtime: v.mtime })) }, menu(c, next));
      })));
      case 3: return jobIdList(s, next);
      case 5: return withClient(ctx, s, async (c) => next.withJobs(ctx, { ...c, jobIds: await chain(c) }));
      case 6: return withClient(ctx, s, (c) => ask(QUESTION, atTime(async (ctx2, before) => next.withJobs(ctx2, { ...c, jobIds: await chainJobIds(ctx2, c.client, before, c.fileSetId) }))));
      case 7: return withClient(ctx, s, async (c) => ask(QUESTION, fileList({ ...c, jobIds: await chain(c) }, next)));
      case 8: return withClient(ctx, s, (c) => ask(QUESTION, atTime(async (ctx2, before) => ask(QUESTION, fileList({ ...c, jobIds: await chainJobIds(ctx2, c.client, before, c.fileSetId) }, next)))));
      case 9: return withClient(ctx, s, async (c) => ask({ kind: 'jobids', jobids: await chainJobIds(ctx, c.client) }, menu(c, next)));
      case 10: return withClient(ctx, s, (c) => ask(QUESTION, atTime(async (ctx2, before) => ask({ kind: 'jobids', jobids: await chainJobIds(ctx2, c.client, before) }, menu(c, next)))));
      case 12: return ask(QUESTION, question('Enter JobId to get the state to restore: ', async (ctx2, answer) => {
        const job = await checkJobIds(ctx2, [Number(answer.trim()) || 0], undefined);
        const row = await ctx2.catalog.getJob(job.jobIds[0] as number);
        return next.withJobs(ctx2, { ...s, client: job.client, jobIds: await chainJobIds(ctx2, job.client, row?.startTime ?? undefined) });
      }));
      case 13: return canceled();
      case 14: return withClient(ctx, s, (c) => ask(QUESTION, question('Enter a regular expression for the files to restore: ', async (ctx2, answer) =>
        next.withJobs(ctx2, { ...c, jobIds: await chainJobIds(ctx2, c.client, undefined, c.fileSetId), fileRegex: answer.trim() }))));
      default: throw new BurrowError('BAD_REQUEST', `give a number from 1 to ${CHOICES.length}`);
    }
  });
}

/** The client: given by keyword, the only one, or chosen from the list. */
function withClient(ctx: ConsoleContext, s: RestoreSelection, then: (s: RestoreSelection) => RestoreAnswer): RestoreAnswer {
  if (s.client) return then(s);
  const clients = ctx.config.clients.filter((c) => consoleScope(ctx).clientAllowed(c.name)).map((c) => c.name);
  if (clients.length === 1) return then({ ...s, client: clients[0] as string });
  return ask({ kind: 'clients', clients }, question(`Select the Client (1-${clients.length}): `, (ctx2, line) => {
    const picked = clients[Number(line.trim()) - 1] ?? line.trim();
    return then({ ...s, client: checkClient(ctx2, picked) });
  }));
}

function atTime(then: (ctx: ConsoleContext, before: number) => RestoreAnswer): RestoreQuestion {
  return question('Enter date as YYYY-MM-DD HH:MM:SS :', (ctx, line) => then(ctx, parseWhen(line)));
}

/** Files typed one per line (directories select their trees); an empty line ends the list. */
function fileList(s: RestoreSelection, next: MenuNext): RestoreQuestion {
  return question('Enter full filename: ', (ctx, line) => {
    const text = line.trim();
    if (text === '') {
      if (s.paths.length === 0) return canceled('No files given: restore canceled.');
      return next.withJobs(ctx, s);
    }
    return ask(QUESTION, fileList({ ...s, paths: [...s.paths, parseDisplayPath(text)] }, next));
  });
}
