/**
 * Bareos's restore menu: how the point in time (the jobs) and, for some choices, the
 * files are picked when the keywords do not say. Numbers follow Bareos where it has
 * the choice; 14 (a pattern) is Burrow's.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { parseDisplayPath } from '@burrow/common/names/index';
import { ask, ok, type Dialog, type CommandResult, type ConsoleContext } from '../command.js';
import { table } from '../text.js';
import { consoleScope } from '../scope.js';
import { listDate, withCommas } from '../../jobs/format.js';
import { chainJobIds, checkClient, checkJobIds, parseWhen, type RestoreSelection } from './selection.js';

/** What happens once the jobs (and maybe files) are known: the tree, or the summary. */
export interface MenuNext {
  withJobs(ctx: ConsoleContext, s: RestoreSelection): CommandResult;
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

export function restoreMenu(s: RestoreSelection, next: MenuNext): CommandResult {
  const text = ['To select the JobIds, you have the following choices:',
    ...CHOICES.map((c, i) => `${String(i + 1).padStart(5)}: ${c}`)].join('\n');
  return ask(text, menu(s, next));
}

function menu(s: RestoreSelection, next: MenuNext): Dialog {
  return {
    prompt: `Select item:  (1-${CHOICES.length}): `,
    answer: (ctx, line) => {
      const n = Number(line.trim());
      const again = menu(s, next);
      switch (n) {
        case 1: {
          const jobs = ctx.catalog.listJobs({ type: 'B', limit: 20 }).filter((j) => consoleScope(ctx).jobAllowed(j));
          return ask(table(['JobId', 'Client', 'StartTime', 'Level', 'JobFiles', 'JobBytes', 'JobStatus'],
            jobs.map((j) => [j.jobId, j.clientName ?? '', listDate(j.startTime), j.level, withCommas(j.jobFiles), withCommas(j.jobBytes), j.status])), again);
        }
        case 2: return withClient(ctx, s, (c) => ask('', question('Enter Filename (with path): ', (ctx2, answer) => {
          const jobs = ctx2.catalog.listJobs({ client: c.client, type: 'B' });
          const versions = ctx2.catalog.fileVersions(jobs.map((j) => j.jobId), parseDisplayPath(answer.trim()));
          return ask(table(['JobId', 'FileIndex', 'Size', 'MTime'], versions.map((v) => [v.jobId, v.fileIndex, withCommas(v.size), listDate(v.mtime)])), menu(c, next));
        })));
        case 3: return ask('', question('Enter JobId(s), comma separated, to restore: ', (ctx2, answer) => {
          const ids = answer.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
            if (!/^\d+$/.test(p)) throw new BurrowError('BAD_REQUEST', `"${p}" is not a JobId`);
            return Number(p);
          });
          const checked = checkJobIds(ctx2, ids, undefined);
          return next.withJobs(ctx2, { ...s, ...checked });
        }));
        case 5: return withClient(ctx, s, (c) => next.withJobs(ctx, { ...c, jobIds: chainJobIds(ctx, c.client, undefined, c.fileSetId) }));
        case 6: return withClient(ctx, s, (c) => ask('', atTime(c, (ctx2, before) => next.withJobs(ctx2, { ...c, jobIds: chainJobIds(ctx2, c.client, before, c.fileSetId) }))));
        case 7: return withClient(ctx, s, (c) => ask('', fileList({ ...c, jobIds: chainJobIds(ctx, c.client, undefined, c.fileSetId) }, next)));
        case 8: return withClient(ctx, s, (c) => ask('', atTime(c, (ctx2, before) => ask('', fileList({ ...c, jobIds: chainJobIds(ctx2, c.client, before, c.fileSetId) }, next)))));
        case 9: return withClient(ctx, s, (c) => ask(`You have selected JobIds: ${chainJobIds(ctx, c.client).join(',')}`, menu(c, next)));
        case 10: return withClient(ctx, s, (c) => ask('', atTime(c, (ctx2, before) => ask(`You have selected JobIds: ${chainJobIds(ctx2, c.client, before).join(',')}`, menu(c, next)))));
        case 12: return ask('', question('Enter JobId to get the state to restore: ', (ctx2, answer) => {
          const job = checkJobIds(ctx2, [Number(answer.trim()) || 0], undefined);
          const row = ctx2.catalog.getJob(job.jobIds[0] as number);
          return next.withJobs(ctx2, { ...s, client: job.client, jobIds: chainJobIds(ctx2, job.client, row?.startTime ?? undefined) });
        }));
        case 13: return ok('Restore canceled.', { started: false });
        case 14: return withClient(ctx, s, (c) => ask('', question('Enter a regular expression for the files to restore: ', (ctx2, answer) =>
          next.withJobs(ctx2, { ...c, jobIds: chainJobIds(ctx2, c.client, undefined, c.fileSetId), fileRegex: answer.trim() }))));
        default: throw new BurrowError('BAD_REQUEST', `give a number from 1 to ${CHOICES.length}`);
      }
    },
  };
}

function question(prompt: string, answer: Dialog['answer']): Dialog {
  return { prompt, answer };
}

/** The client: given by keyword, the only one, or chosen from the list. */
function withClient(ctx: ConsoleContext, s: RestoreSelection, then: (s: RestoreSelection) => CommandResult): CommandResult {
  if (s.client) return then(s);
  const clients = ctx.config.clients.filter((c) => consoleScope(ctx).clientAllowed(c.name));
  if (clients.length === 1) return then({ ...s, client: (clients[0] as { name: string }).name });
  const text = ['Defined Clients:', ...clients.map((c, i) => `${String(i + 1).padStart(5)}: ${c.name}`)].join('\n');
  return ask(text, question(`Select the Client (1-${clients.length}): `, (ctx2, line) => {
    const picked = clients[Number(line.trim()) - 1]?.name ?? line.trim();
    return then({ ...s, client: checkClient(ctx2, picked) });
  }));
}

function atTime(s: RestoreSelection, then: (ctx: ConsoleContext, before: number) => CommandResult): Dialog {
  return question('Enter date as YYYY-MM-DD HH:MM:SS :', (ctx, line) => then(ctx, parseWhen(line)));
}

/** Files typed one per line (directories select their trees); an empty line ends the list. */
function fileList(s: RestoreSelection, next: MenuNext): Dialog {
  return question('Enter full filename: ', (ctx, line) => {
    const text = line.trim();
    if (text === '') {
      if (s.paths.length === 0) return ok('No files given: restore canceled.', { started: false });
      return next.withJobs(ctx, s);
    }
    return ask('', fileList({ ...s, paths: [...s.paths, parseDisplayPath(text)] }, next));
  });
}
