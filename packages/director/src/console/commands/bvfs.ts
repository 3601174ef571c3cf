/**
 * The `.bvfs_*` calls a GUI browses backups with, under Bareos's names and parameters,
 * answered as JSON in `.api json` mode:
 *   .bvfs_update [jobid=1,2]                      build (and keep) the tree of those jobs
 *   .bvfs_get_jobids jobid=N [all] | client=NAME [before=DATE]  the jobs that make up a point in time
 *   .bvfs_lsdirs jobid=1,2 path=/a/ | pathid=N [offset= limit=]
 *   .bvfs_lsfiles jobid=1,2 path=/a/ | pathid=N [offset= limit=]
 *   .bvfs_versions client=NAME fname=F (jobid=1,2 pathid=N | path=/a/)
 *   .bvfs_restore and .bvfs_cleanup: bvfs-restore.ts
 * Bareos keeps a path cache in the catalog; Burrow browses the in-memory restore tree
 * of the job set instead (built once per session and job set), so a pathid or fileid
 * is a node of that tree: it means something only with the same jobid= list. Every
 * job id goes through the console's ACLs first, so a restricted console sees nothing
 * of another client. Names are bytes: each entry carries its displayPath text and
 * its raw bytes in base64.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import { digestText } from '@burrow/common/fileset/digests';
import type { JobRow } from '../../catalog/index.js';
import { currentChain } from '../../jobs/baseline.js';
import { listDate } from '../../jobs/format.js';
import type { RestoreTree } from '../../restore-tree/tree.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { count, flag, ids, text } from '../arg-types.js';
import { checkClient, checkJobIds, parseWhen, treeOf } from '../restore/selection.js';
import { consoleScope } from '../scope.js';
import { visibleJob } from './list.js';

const DEFAULT_LIMIT = 1000;

export interface JobSet { client: string; jobIds: number[]; tree: RestoreTree }

/** The jobs named by jobid=, checked against the console's ACLs, and their tree. */
export async function jobSet(ctx: ConsoleContext, jobIds: number[], client?: string): Promise<JobSet> {
  const set = await checkJobIds(ctx, jobIds, client);
  return { ...set, tree: await treeOf(ctx, set.jobIds) };
}

/** The directory named by pathid= (a tree node) or path=. */
function dirNode(set: JobSet, at: { pathid?: number; path?: string }, what: string): number {
  if (at.pathid !== undefined) {
    if (at.pathid >= set.tree.size || !set.tree.isDir(at.pathid)) throw new BurrowError('NOT_FOUND', `pathid ${at.pathid} is not a directory of JobId(s) ${set.jobIds.join(',')}`);
    return at.pathid;
  }
  if (at.path === undefined) throw new BurrowError('BAD_REQUEST', `${what}: give path= or pathid=`);
  const n = set.tree.lookup(parseDisplayPath(at.path));
  if (n < 0 || !set.tree.isDir(n)) throw new BurrowError('NOT_FOUND', `${at.path}: no such directory in JobId(s) ${set.jobIds.join(',')}`);
  return n;
}

/** One listing entry: directories carry their own pathid, files their directory's and a fileid. */
export interface BvfsEntry {
  type: 'D' | 'F';
  pathid: number;
  fileid: number | null;
  jobid: number;
  fileindex: number;
  name: string;
  name_b64: string;
  path: string;
  path_b64: string;
  size: number;
  mtime: number;
}

function entry(tree: RestoreTree, n: number, shownName?: string): BvfsEntry {
  const i = tree.info(n);
  const path = tree.path(n);
  const name = shownName === undefined ? i.name : Buffer.from(shownName);
  return {
    type: i.isDir ? 'D' : 'F', pathid: i.isDir ? n : tree.parentOf(n), fileid: i.isDir ? null : n, jobid: i.jobId, fileindex: i.fileIndex,
    name: displayPath(name), name_b64: name.toString('base64'), path: displayPath(path), path_b64: path.toString('base64'),
    size: i.size, mtime: i.mtime,
  };
}

/** Bareos's tab-separated listing: pathid, fileid, jobid, size, name (directories end in /). */
export function renderEntries(entries: BvfsEntry[]): string {
  return entries.map((e) => `${e.pathid}\t${e.fileid ?? 0}\t${e.jobid}\t${e.size}\t${e.name}${e.type === 'D' && e.name !== '.' && e.name !== '..' ? '/' : ''}`).join('\n');
}

const good = (j: JobRow): boolean => j.type === 'B' && (j.status === 'T' || j.status === 'W');
const started = (j: JobRow): number => j.startTime ?? j.schedTime;

export const bvfsUpdateCommand = defineCommand({
  name: '.bvfs_update',
  help: 'Prepare the jobs for browsing (builds their tree)',
  usage: '.bvfs_update [jobid=<ids>]',
  args: z.object({ jobid: ids().optional() }).strict(),
  run: async (ctx, a): Promise<{ updated: number[]; entries?: number }> => {
    // Nothing is cached in the catalog: with jobs named, their tree is built now so that browsing is quick.
    if (a.jobid === undefined) return { updated: [] };
    const set = await jobSet(ctx, a.jobid);
    return { updated: set.jobIds, entries: set.tree.size - 1 };
  },
  render: (r) => (r.entries === undefined ? '' : `${r.entries} entries`),
});

export const bvfsGetJobidsCommand = defineCommand({
  name: '.bvfs_get_jobids',
  help: 'The jobs that make up the state a job (or a client\'s latest backup) left',
  // before= (Burrow's, as `restore before=` takes it): the client's state at a date, for a GUI's point in time.
  usage: '.bvfs_get_jobids jobid=<id> [all] | client=<name> [before=<date>] [all]',
  args: z.object({ jobid: count().optional(), client: text().optional(), before: text().optional(), all: flag().default(false) }).strict(),
  run: async (ctx, a): Promise<{ jobids: number[] }> => {
    const scope = consoleScope(ctx);
    const job = a.jobid === undefined ? undefined : await visibleJob(ctx, a.jobid);
    if (!job && a.client === undefined) throw new BurrowError('BAD_REQUEST', '.bvfs_get_jobids: missing client=');
    if (job && a.before !== undefined) throw new BurrowError('BAD_REQUEST', '.bvfs_get_jobids: give jobid= or before=, not both');
    const client = job ? job.clientName ?? '' : checkClient(ctx, a.client as string);
    const fileSetId = job?.fileSetId ?? undefined;
    const before = job ? started(job) : a.before === undefined ? undefined : parseWhen(a.before);
    const jobs = a.all
      // all: every good backup of the client (and the job's FileSet) up to the job or the date.
      ? (await ctx.catalog.listJobs({ client, type: 'B' })).filter((j) => good(j) && (fileSetId === undefined || j.fileSetId === fileSetId)
        && (before === undefined || started(j) <= before))
      : await currentChain(ctx.catalog, client, { fileSetId, before });
    return { jobids: jobs.filter((j) => scope.jobAllowed(j)).map((j) => j.jobId).sort((x, y) => x - y) };
  },
  render: (r) => r.jobids.join(','),
});

const listArgs = z.object({
  jobid: ids(),
  path: text().optional(),
  pathid: count().optional(),
  offset: count().default(0),
  limit: count().default(DEFAULT_LIMIT),
}).strict();

export const bvfsLsdirsCommand = defineCommand({
  name: '.bvfs_lsdirs',
  help: 'The directories in a directory of a job set',
  usage: '.bvfs_lsdirs jobid=<ids> path=<dir> | pathid=<id> [offset=] [limit=]',
  args: listArgs,
  run: async (ctx, a): Promise<{ directories: BvfsEntry[] }> => {
    const set = await jobSet(ctx, a.jobid);
    const dir = dirNode(set, a, '.bvfs_lsdirs');
    const kids = Array.from(set.tree.childrenOf(dir)).filter((n) => set.tree.isDir(n));
    const self = [entry(set.tree, dir, '.'), ...(dir === 0 ? [] : [entry(set.tree, set.tree.parentOf(dir), '..')])];
    return { directories: [...self, ...kids.slice(a.offset, a.offset + a.limit).map((n) => entry(set.tree, n))] };
  },
  render: (r) => renderEntries(r.directories),
});

export const bvfsLsfilesCommand = defineCommand({
  name: '.bvfs_lsfiles',
  help: 'The files (not directories) in a directory of a job set',
  usage: '.bvfs_lsfiles jobid=<ids> path=<dir> | pathid=<id> [offset=] [limit=]',
  args: listArgs,
  run: async (ctx, a): Promise<{ files: BvfsEntry[] }> => {
    const set = await jobSet(ctx, a.jobid);
    const dir = dirNode(set, a, '.bvfs_lsfiles');
    const kids = Array.from(set.tree.childrenOf(dir)).filter((n) => !set.tree.isDir(n));
    return { files: kids.slice(a.offset, a.offset + a.limit).map((n) => entry(set.tree, n)) };
  },
  render: (r) => renderEntries(r.files),
});

export interface BvfsVersion {
  jobid: number;
  level: string | null;
  starttime: string;
  fileindex: number;
  deleted: boolean;
  type: number;
  size: number;
  mtime: number;
  digest: string | null;
  volumename: string | null;
}

export const bvfsVersionsCommand = defineCommand({
  name: '.bvfs_versions',
  help: 'Every saved version of a file in the client\'s backups',
  usage: '.bvfs_versions client=<name> fname=<name> (jobid=<ids> pathid=<id> | path=<dir>)',
  args: z.object({ client: text(), fname: text(), jobid: ids().optional(), pathid: count().optional(), path: text().optional() }).strict(),
  run: async (ctx, a): Promise<{ path: string; path_b64: string; versions: BvfsVersion[] }> => {
    const scope = consoleScope(ctx);
    // A version's owner is not in FileVersion: a user's console could learn of files that were someone else's.
    if (scope.restoreOwner) throw new BurrowError('BAD_REQUEST', ".bvfs_versions: not offered to a user's console (Restore Owner)");
    const client = checkClient(ctx, a.client);
    const fname = parseDisplayPath(a.fname);
    let dir: Buffer;
    if (a.pathid !== undefined) {
      if (a.jobid === undefined) throw new BurrowError('BAD_REQUEST', '.bvfs_versions: missing jobid=');
      const set = await jobSet(ctx, a.jobid, client);
      dir = set.tree.path(dirNode(set, a, '.bvfs_versions'));
    } else if (a.path !== undefined) dir = parseDisplayPath(a.path);
    else throw new BurrowError('BAD_REQUEST', '.bvfs_versions: missing path=');
    const path = Buffer.concat([dir, Buffer.from(dir[dir.length - 1] === 0x2f ? '' : '/'), fname]);
    const jobs = (await ctx.catalog.listJobs({ client, type: 'B' })).filter((j) => good(j) && scope.jobAllowed(j));
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    const versions = (await ctx.catalog.fileVersions(jobs.map((j) => j.jobId), path)).map((v) => ({
      jobid: v.jobId, level: byId.get(v.jobId)?.level ?? null, starttime: listDate(byId.get(v.jobId)?.startTime ?? null),
      fileindex: v.fileIndex, deleted: v.fileIndex === 0, type: v.type, size: v.size, mtime: v.mtime,
      digest: v.digest ? digestText(v.digest) : null, volumename: v.volumeName,
    }));
    return { path: displayPath(path), path_b64: path.toString('base64'), versions };
  },
  render: (r) => r.versions.map((v) => `${v.jobid}\t${v.level ?? ''}\t${v.starttime}\t${v.deleted ? 'deleted' : `${v.size}\t${v.volumename ?? ''}`}`).join('\n'),
});
