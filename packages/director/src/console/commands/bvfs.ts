/**
 * The `.bvfs_*` calls a GUI browses backups with, under Bareos's names and parameters,
 * answered as JSON in `.api json` mode:
 *   .bvfs_update [jobid=1,2]                      build (and keep) the tree of those jobs
 *   .bvfs_get_jobids jobid=N [all] | client=NAME  the jobs that make up a point in time
 *   .bvfs_lsdirs jobid=1,2 path=/a/ | pathid=N [offset= limit=]
 *   .bvfs_lsfiles jobid=1,2 path=/a/ | pathid=N [offset= limit=]
 *   .bvfs_versions client=NAME fname=F (jobid=1,2 pathid=N | path=/a/)
 *   .bvfs_restore jobid=1,2 fileid=.. dirid=.. path=b2NNN, then `restore file=?b2NNN`
 *   .bvfs_cleanup path=b2NNN
 * Bareos keeps a path cache in the catalog; Burrow browses the in-memory restore tree
 * of the job set instead (built once per session and job set), so a pathid or fileid
 * is a node of that tree: it means something only with the same jobid= list. Every
 * job id goes through the console's ACLs first, so a restricted console sees nothing
 * of another client. Names are bytes: each entry carries its displayPath text and
 * its raw bytes in base64.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import type { JobRow } from '../../catalog/index.js';
import { currentChain } from '../../jobs/baseline.js';
import { listDate } from '../../jobs/format.js';
import type { RestoreTree } from '../../restore-tree/tree.js';
import type { Args } from '../args.js';
import { ok, type BvfsSelection, type ConsoleContext, type Command } from '../command.js';
import { checkClient, checkJobIds, treeOf } from '../restore/selection.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';
import { digestText } from '@burrow/common/fileset/digests';

const DEFAULT_LIMIT = 1000;
/** Bareos names its selection tables b2<number>; the name is also what `restore file=?` takes. */
const SELECTION_NAME = /^b2\d+$/;

interface JobSet { client: string; jobIds: number[]; tree: RestoreTree }

function jobSet(ctx: ConsoleContext, args: Args, what: string, client?: string): JobSet {
  const ids = args.ids('jobid');
  if (ids.length === 0) throw new BurrowError('BAD_REQUEST', `${what}: missing jobid=`);
  const set = checkJobIds(ctx, ids, client);
  return { ...set, tree: treeOf(ctx, set.jobIds) };
}

/** The directory named by pathid= (a tree node) or path=. */
function dirNode(set: JobSet, args: Args, what: string): number {
  const id = args.int('pathid');
  if (id !== undefined) {
    if (id >= set.tree.size || !set.tree.isDir(id)) throw new BurrowError('NOT_FOUND', `pathid ${id} is not a directory of JobId(s) ${set.jobIds.join(',')}`);
    return id;
  }
  const path = args.get('path');
  if (path === undefined) throw new BurrowError('BAD_REQUEST', `${what}: give path= or pathid=`);
  const n = set.tree.lookup(parseDisplayPath(path));
  if (n < 0 || !set.tree.isDir(n)) throw new BurrowError('NOT_FOUND', `${path}: no such directory in JobId(s) ${set.jobIds.join(',')}`);
  return n;
}

function page<T>(list: T[], args: Args): T[] {
  const offset = args.int('offset') ?? 0;
  return list.slice(offset, offset + (args.int('limit') ?? DEFAULT_LIMIT));
}

/** One listing entry: directories carry their own pathid, files their directory's and a fileid. */
function entry(tree: RestoreTree, n: number, shownName?: string) {
  const i = tree.info(n);
  const path = tree.path(n);
  const name = shownName === undefined ? i.name : Buffer.from(shownName);
  return {
    type: i.isDir ? 'D' : 'F', pathid: i.isDir ? n : tree.parentOf(n), fileid: i.isDir ? null : n, jobid: i.jobId, fileindex: i.fileIndex,
    name: displayPath(name), name_b64: name.toString('base64'), path: displayPath(path), path_b64: path.toString('base64'),
    size: i.size, mtime: i.mtime,
  };
}

type Entry = ReturnType<typeof entry>;

function listed(entries: Entry[], key: 'directories' | 'files') {
  const text = entries.map((e) => `${e.pathid}\t${e.fileid ?? 0}\t${e.jobid}\t${e.size}\t${e.name}${e.type === 'D' && e.name !== '.' && e.name !== '..' ? '/' : ''}`).join('\n');
  return ok(text, { [key]: entries });
}

const good = (j: JobRow): boolean => j.type === 'B' && (j.status === 'T' || j.status === 'W');
const started = (j: JobRow): number => j.startTime ?? j.schedTime;

export const bvfsUpdateCommand: Command = {
  name: '.bvfs_update',
  help: 'Prepare the jobs for browsing (builds their tree)',
  usage: '.bvfs_update [jobid=<ids>]',
  run: (ctx, args) => {
    // Nothing is cached in the catalog: with jobs named, their tree is built now so that browsing is quick.
    if (!args.has('jobid')) return ok('', { updated: [] });
    const set = jobSet(ctx, args, '.bvfs_update');
    return ok(`${set.tree.size - 1} entries`, { updated: set.jobIds, entries: set.tree.size - 1 });
  },
};

export const bvfsGetJobidsCommand: Command = {
  name: '.bvfs_get_jobids',
  help: 'The jobs that make up the state a job (or a client\'s latest backup) left',
  usage: '.bvfs_get_jobids jobid=<id> [all] | client=<name> [all]',
  run: (ctx, args) => {
    const scope = consoleScope(ctx);
    const id = args.int('jobid');
    const job = id === undefined ? undefined : visibleJob(ctx, id);
    const client = job ? job.clientName ?? '' : checkClient(ctx, args.require('client', '.bvfs_get_jobids'));
    const fileSetId = job?.fileSetId ?? undefined;
    const jobs = args.has('all')
      // all: every good backup of the client (and the job's FileSet) up to the job.
      ? ctx.catalog.listJobs({ client, type: 'B' }).filter((j) => good(j) && (fileSetId === undefined || j.fileSetId === fileSetId)
        && (job === undefined || started(j) <= started(job)))
      : currentChain(ctx.catalog, client, { fileSetId, before: job ? started(job) : undefined });
    const ids = jobs.filter((j) => scope.jobAllowed(j)).map((j) => j.jobId).sort((a, b) => a - b);
    return ok(ids.join(','), { jobids: ids });
  },
};

export const bvfsLsdirsCommand: Command = {
  name: '.bvfs_lsdirs',
  help: 'The directories in a directory of a job set',
  usage: '.bvfs_lsdirs jobid=<ids> path=<dir> | pathid=<id> [offset=] [limit=]',
  run: (ctx, args) => {
    const set = jobSet(ctx, args, '.bvfs_lsdirs');
    const dir = dirNode(set, args, '.bvfs_lsdirs');
    const kids = Array.from(set.tree.childrenOf(dir)).filter((n) => set.tree.isDir(n));
    const self = [entry(set.tree, dir, '.'), ...(dir === 0 ? [] : [entry(set.tree, set.tree.parentOf(dir), '..')])];
    return listed([...self, ...page(kids.map((n) => entry(set.tree, n)), args)], 'directories');
  },
};

export const bvfsLsfilesCommand: Command = {
  name: '.bvfs_lsfiles',
  help: 'The files (not directories) in a directory of a job set',
  usage: '.bvfs_lsfiles jobid=<ids> path=<dir> | pathid=<id> [offset=] [limit=]',
  run: (ctx, args) => {
    const set = jobSet(ctx, args, '.bvfs_lsfiles');
    const dir = dirNode(set, args, '.bvfs_lsfiles');
    const kids = Array.from(set.tree.childrenOf(dir)).filter((n) => !set.tree.isDir(n));
    return listed(page(kids, args).map((n) => entry(set.tree, n)), 'files');
  },
};

export const bvfsVersionsCommand: Command = {
  name: '.bvfs_versions',
  help: 'Every saved version of a file in the client\'s backups',
  usage: '.bvfs_versions client=<name> fname=<name> (jobid=<ids> pathid=<id> | path=<dir>)',
  run: (ctx, args) => {
    const scope = consoleScope(ctx);
    // A version's owner is not in FileVersion: a user's console could learn of files that were someone else's.
    if (scope.restoreOwner) throw new BurrowError('BAD_REQUEST', ".bvfs_versions: not offered to a user's console (Restore Owner)");
    const client = checkClient(ctx, args.require('client', '.bvfs_versions'));
    const fname = parseDisplayPath(args.require('fname', '.bvfs_versions'));
    let dir: Buffer;
    if (args.has('pathid')) {
      const set = jobSet(ctx, args, '.bvfs_versions', client);
      dir = set.tree.path(dirNode(set, args, '.bvfs_versions'));
    } else dir = parseDisplayPath(args.require('path', '.bvfs_versions'));
    const path = Buffer.concat([dir, Buffer.from(dir[dir.length - 1] === 0x2f ? '' : '/'), fname]);
    const jobs = ctx.catalog.listJobs({ client, type: 'B' }).filter((j) => good(j) && scope.jobAllowed(j));
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    const versions = ctx.catalog.fileVersions(jobs.map((j) => j.jobId), path).map((v) => ({
      jobid: v.jobId, level: byId.get(v.jobId)?.level ?? null, starttime: listDate(byId.get(v.jobId)?.startTime ?? null),
      fileindex: v.fileIndex, deleted: v.fileIndex === 0, type: v.type, size: v.size, mtime: v.mtime,
      digest: v.digest ? digestText(v.digest) : null, volumename: v.volumeName,
    }));
    const text = versions.map((v) => `${v.jobid}\t${v.level ?? ''}\t${v.starttime}\t${v.deleted ? 'deleted' : `${v.size}\t${v.volumename ?? ''}`}`).join('\n');
    return ok(text, { path: displayPath(path), path_b64: path.toString('base64'), versions });
  },
};

export const bvfsRestoreCommand: Command = {
  name: '.bvfs_restore',
  help: 'Choose files and directories of a job set for `restore file=?b2NNN`',
  usage: '.bvfs_restore jobid=<ids> [fileid=<ids>] [dirid=<ids>] path=b2<number>',
  run: (ctx, args) => {
    const name = args.require('path', '.bvfs_restore');
    if (!SELECTION_NAME.test(name)) throw new BurrowError('BAD_REQUEST', `.bvfs_restore: path= must be b2<number>, not "${name}"`);
    const set = jobSet(ctx, args, '.bvfs_restore');
    const pick = (key: 'fileid' | 'dirid', dirs: boolean): number[] => args.ids(key).map((n) => {
      if (n >= set.tree.size || set.tree.isDir(n) !== dirs) throw new BurrowError('NOT_FOUND', `${key} ${n} is not a ${dirs ? 'directory' : 'file'} of JobId(s) ${set.jobIds.join(',')}`);
      return n;
    });
    const nodes = [...pick('fileid', false), ...pick('dirid', true)];
    if (nodes.length === 0) throw new BurrowError('BAD_REQUEST', '.bvfs_restore: give fileid= or dirid=');
    let files = 0;
    for (const n of nodes) set.tree.walk(n, (at) => { if (set.tree.info(at).jobId !== 0) files++; });
    (ctx.session.bvfsSelections ??= new Map()).set(name, { client: set.client, jobIds: set.jobIds, tree: set.tree, nodes });
    return ok(`${files} entries chosen; restore them with: restore file=?${name}`, { path: name, entries: files, jobids: set.jobIds, client: set.client });
  },
};

export const bvfsCleanupCommand: Command = {
  name: '.bvfs_cleanup',
  help: 'Forget a .bvfs_restore selection',
  usage: '.bvfs_cleanup path=b2<number>',
  run: (ctx, args) => {
    const name = args.require('path', '.bvfs_cleanup');
    const gone = ctx.session.bvfsSelections?.delete(name) ?? false;
    return ok(gone ? `${name} removed` : `no selection ${name}`, { path: name, removed: gone });
  },
};

/**
 * `restore file=?b2NNN`: the selection's tree with exactly its nodes marked. The job
 * ids are checked against the console's ACLs again, as a reload may have narrowed them.
 */
export function bvfsChosen(ctx: ConsoleContext, name: string): BvfsSelection {
  const sel = ctx.session.bvfsSelections?.get(name);
  if (!sel) throw new BurrowError('NOT_FOUND', `no .bvfs_restore selection "${name}" in this console`);
  checkJobIds(ctx, sel.jobIds, sel.client);
  sel.tree.setMark(0, false);
  for (const n of sel.nodes) sel.tree.setMark(n, true);
  return sel;
}

export const BVFS_COMMANDS: Command[] = [
  bvfsCleanupCommand, bvfsGetJobidsCommand, bvfsLsdirsCommand, bvfsLsfilesCommand, bvfsRestoreCommand, bvfsUpdateCommand, bvfsVersionsCommand,
];
