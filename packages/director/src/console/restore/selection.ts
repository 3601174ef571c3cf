/**
 * What a restore conversation has gathered so far — the client, the jobs that make up
 * the chosen point in time, the files (marks in a tree, or named paths) and the
 * restore options — and the steps shared by the menu, the tree and the keyword form:
 * building the tree, the summary, and queueing the job.
 */
import { placeOf } from '../../media/locations.js';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { parseRegexWhere, rewritePath, rewrittenPathProblem } from '@burrow/common/names/rewrite';
import { findResource } from '@burrow/common/config/index';
import { resolveRestore } from '../../setup/resolve.js';
import { currentChain } from '../../jobs/baseline.js';
import { listDate } from '../../jobs/format.js';
import { burrow } from '@burrow/common/proto/index';
import { chooseFiles } from '../../jobs/chosen-files.js';
import type { ChosenFiles } from '../../jobs/plan.js';
import type { ChosenLink } from '../../jobs/link-targets.js';
import type { ChosenFile } from '../../catalog/index.js';
import { RestoreTree } from '../../restore-tree/tree.js';
import { ownedBy } from '../../restore-tree/owner.js';
import type { ConsoleContext } from '../command.js';
import type { JobRow } from '../../catalog/index.js';
import type { RestoreSummary } from './result.js';
import { consoleScope } from '../scope.js';

/** The options `mod` can change, with their keyword names. */
export interface RestoreOptions {
  where?: string;
  regexwhere?: string;
  strip_prefix?: string;
  add_prefix?: string;
  add_suffix?: string;
  replace?: string;
  restoreclient?: string;
  /** bootstrap=FILE: also write the restore's bootstrap there (Bareos's restore argument). */
  bootstrap?: string;
}

export interface RestoreSelection {
  client: string;
  jobIds: number[];
  /** The browsed state, when files are chosen by marks. */
  tree?: RestoreTree;
  /** Files or directories named with file= / directory= (no tree needed). */
  paths: Buffer[];
  options: RestoreOptions;
  restoreJob?: string;
  storage?: string;
  fileSetId?: number;
  /** fileregex=: mark the files whose full path matches. */
  fileRegex?: string;
}

export function checkClient(ctx: ConsoleContext, name: string): string {
  const client = findResource(ctx.config.clients, name);
  if (!client || !consoleScope(ctx).clientAllowed(client.name)) throw new BurrowError('NOT_FOUND', `Client "${name}" is not defined`);
  return client.name;
}

/** Checks job ids a person typed: each must be a good backup this console may see. */
export async function checkJobIds(ctx: ConsoleContext, ids: number[], client?: string): Promise<{ client: string; jobIds: number[] }> {
  if (ids.length === 0) throw new BurrowError('BAD_REQUEST', 'no JobId given');
  let owner = client;
  for (const id of ids) {
    const j = await ctx.catalog.getJob(id);
    if (!j || !consoleScope(ctx).jobAllowed(j)) throw new BurrowError('NOT_FOUND', `JobId ${id} does not exist`);
    if (j.type !== 'B') throw new BurrowError('BAD_REQUEST', `JobId ${id} is not a backup`);
    // Incomplete (I): the files saved by its last checkpoint are whole and restorable.
    if (j.status !== 'T' && j.status !== 'W' && j.status !== 'I') throw new BurrowError('BAD_REQUEST', `JobId ${id} did not end well (status ${j.status}); its files may be incomplete`);
    if (owner !== undefined && j.clientName !== owner) throw new BurrowError('BAD_REQUEST', `JobId ${id} is a backup of client "${j.clientName}", not "${owner}"`);
    owner = j.clientName ?? undefined;
  }
  return { client: owner as string, jobIds: [...new Set(ids)].sort((a, b) => a - b) };
}

/** Full + Differential + Incrementals of the client's state now or before `before` (ms). */
export async function chainJobIds(ctx: ConsoleContext, client: string, before?: number, fileSetId?: number): Promise<number[]> {
  const chain = await currentChain(ctx.catalog, client, { before, fileSetId });
  if (chain.length === 0) throw new BurrowError('NOT_FOUND', await noChain(ctx, client, before, fileSetId));
  return chain.map((j) => j.jobId);
}

/**
 * Why there is nothing to restore. A time before the oldest Full still in the catalog
 * is a point whose backups have passed their retention (or never were): the message
 * names the oldest point that can still be restored, so the operator knows how far
 * back the catalog reaches.
 */
async function noChain(ctx: ConsoleContext, client: string, before: number | undefined, fileSetId: number | undefined): Promise<string> {
  const none = `no successful Full backup of client "${client}" in the catalog`;
  if (before === undefined) return none;
  const start = (j: JobRow): number => j.startTime ?? j.schedTime;
  const oldest = (await ctx.catalog.listJobs({ client, type: 'B' }))
    .filter((j) => j.level === 'F' && (j.status === 'T' || j.status === 'W') && (fileSetId === undefined || j.fileSetId === fileSetId))
    .sort((a, b) => start(a) - start(b))[0];
  if (oldest === undefined) return `${none} before ${listDate(before)}`;
  return `${none} before ${listDate(before)}: the oldest one is JobId ${oldest.jobId} of ${listDate(start(oldest))}; `
    + 'older backups have passed their retention and been pruned, or never were';
}

export function parseWhen(text: string): number {
  const t = Date.parse(text.trim().replace(' ', 'T'));
  if (Number.isNaN(t)) throw new BurrowError('BAD_REQUEST', `"${text}" is not a date (YYYY-MM-DD HH:MM:SS)`);
  return t;
}

/**
 * The tree of the selection's jobs; the session keeps the last one for `.bvfs_*` calls.
 * A user's console (Restore Owner) gets only that user's files in it.
 */
export async function treeOf(ctx: ConsoleContext, jobIds: readonly number[]): Promise<RestoreTree> {
  const owner = consoleScope(ctx).restoreOwner;
  const key = `${jobIds.join(',')}${owner ? ` uid=${owner.uid}` : ''}`;
  if (ctx.session.browse?.key === key) return ctx.session.browse.tree;
  const pages = ctx.catalog.restoreTreePages(jobIds, { owners: owner !== null });
  const tree = await RestoreTree.from(owner ? ownedBy(pages, owner.uid) : pages);
  ctx.session.browse = { key, tree };
  return tree;
}

/**
 * The names of the volumes the marked files are on, by MediaId: a few volumes for any
 * number of files, each asked of the catalog once, before the files are listed.
 */
async function markedVolumes(ctx: ConsoleContext, tree: RestoreTree): Promise<Map<number, string>> {
  const volumes = new Map<number, string>();
  for (const id of tree.markedMediaIds()) volumes.set(id, (await ctx.catalog.getMedia(id))?.volumeName ?? '');
  return volumes;
}

/** The marked files as the bootstrap needs them, one at a time; `sizes` gets their bytes. */
function* markedFiles(tree: RestoreTree, volumes: ReadonlyMap<number, string>, sizes: { bytes: number }): Generator<ChosenFile> {
  for (const n of tree.markedFiles()) {
    const i = tree.info(n);
    sizes.bytes += i.size;
    yield { jobId: i.jobId, fileIndex: i.fileIndex, volumeName: volumes.get(i.mediaId) ?? '', addr: i.addr };
  }
}

/** The marked files that are hard links, with their names. */
function* markedLinks(tree: RestoreTree): Generator<ChosenLink> {
  for (const n of tree.markedFiles()) {
    const i = tree.info(n);
    if (i.type === burrow.FileType.FT_HARDLINK) yield { jobId: i.jobId, path: tree.path(n) };
  }
}

/** A chosen file's name and its place in the order the backup saved files. */
interface NamedFile {
  path: Buffer;
  jobId: number;
  fileIndex: number;
}

/** The marked files' names, one at a time. */
function* markedPaths(tree: RestoreTree): Generator<NamedFile> {
  for (const n of tree.markedFiles()) {
    const i = tree.info(n);
    yield { path: tree.path(n), jobId: i.jobId, fileIndex: i.fileIndex };
  }
}

/**
 * A user's console chooses named files through its own tree, never straight from the
 * catalog: a path of another owner's file is simply not in it.
 */
async function ownersTree(ctx: ConsoleContext, s: RestoreSelection): Promise<RestoreTree> {
  const tree = await treeOf(ctx, s.jobIds);
  await tree.setMark(0, false);
  if (s.paths.length === 0) await tree.setMark(0, true);
  for (const p of s.paths) {
    const n = tree.lookup(p);
    if (n >= 0) await tree.setMark(n, true);
  }
  return tree;
}

/** What the summary says of the chosen files, and what the job needs of them. */
interface Choice {
  count: number;
  /** -1: not known (the catalog's selection does not sum sizes). */
  bytes: number;
  volumes: string[];
  /** The chosen files' names (read once). */
  paths: Iterable<NamedFile>;
  /** The exact choice for the job; without it the job selects `paths` itself when it starts. */
  chosen?: ChosenFiles;
}

/** The files to restore: the tree's marks as a bootstrap, or what the catalog selects of the named paths. */
async function choiceOf(ctx: ConsoleContext, s: RestoreSelection): Promise<Choice> {
  const tree = s.tree ?? (consoleScope(ctx).restoreOwner ? await ownersTree(ctx, s) : undefined);
  if (tree) {
    const sizes = { bytes: 0 };
    const volumes = await markedVolumes(ctx, tree);
    const { count, ...chosen } = await chooseFiles(ctx.catalog, s.jobIds, markedFiles(tree, volumes, sizes), markedLinks(tree));
    return { count, bytes: sizes.bytes, volumes: [...new Set(chosen.bootstrap.sections.map((x) => x.volume))], paths: markedPaths(tree), chosen };
  }
  const rows = await ctx.catalog.selectRestoreFiles(s.jobIds, s.paths.length ? { paths: s.paths } : undefined);
  return { count: rows.length, bytes: -1, volumes: [...new Set(rows.map((f) => f.volumeName))], paths: rows };
}

function planOf(ctx: ConsoleContext, s: RestoreSelection, chosen: ChosenFiles | undefined) {
  const name = s.restoreJob;
  const job = name ? findResource(ctx.config.jobs, name) : ctx.config.jobs.find((j) => j.type === 'Restore');
  if (!job) throw new BurrowError('NOT_FOUND', name ? `Job "${name}" is not defined` : 'no Job with Type = Restore is configured');
  if (job.type !== 'Restore') throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is not a Restore job`);
  const o = s.options;
  if (o.restoreclient !== undefined) checkClient(ctx, o.restoreclient);
  const scope = consoleScope(ctx);
  if (o.where !== undefined && !scope.whereAllowed(o.where)) throw new BurrowError('BAD_REQUEST', `where=${o.where} is not allowed for this console`);
  const owner = scope.restoreOwner ?? undefined;
  // A user's files go only below a place named and allowed here; the client checks it is theirs.
  if (owner && !o.where) throw new BurrowError('BAD_REQUEST', `this console restores the files of uid ${owner.uid} only into a directory of theirs: give where=`);
  if (owner && (o.regexwhere || o.strip_prefix || o.add_prefix || o.add_suffix)) {
    throw new BurrowError('BAD_REQUEST', `this console restores the files of uid ${owner.uid} only below where=; a rewrite (regexwhere, strip_prefix, add_prefix, add_suffix) would replace it`);
  }
  if (o.bootstrap !== undefined && scope.restricted) throw new BurrowError('BAD_REQUEST', 'bootstrap= writes a file on the Director: it is for the Director\'s own console');
  return resolveRestore(ctx.config, {
    job, client: s.client, restoreClient: o.restoreclient, storage: s.storage, jobIds: s.jobIds, paths: s.paths,
    chosen, where: o.where, replace: o.replace, owner,
    regexWhere: o.regexwhere, stripPrefix: o.strip_prefix, addPrefix: o.add_prefix, addSuffix: o.add_suffix,
    writeBootstrap: o.bootstrap === undefined ? undefined : ctx.resolvePath(o.bootstrap),
  });
}

/**
 * A rewrite replaces where=, so each selected file's new name is where it would land:
 * it must be a path a restore may write to, and one this console's WhereACL allows.
 * Refused here, before the job runs, naming the first file it goes wrong for.
 */
function checkRewrites(ctx: ConsoleContext, regexWhere: string, files: Iterable<NamedFile>): void {
  const rewrites = parseRegexWhere(regexWhere);
  const scope = consoleScope(ctx);
  // The files come in tree order; the one named is the first the backup saved, whatever that order.
  let first: { f: NamedFile; message: string } | undefined;
  for (const f of files) {
    if (first && (f.jobId > first.f.jobId || (f.jobId === first.f.jobId && f.fileIndex > first.f.fileIndex))) continue;
    const to = rewritePath(rewrites, f.path);
    const problem = rewrittenPathProblem(to) ?? (scope.whereAllowed(displayPath(to)) ? undefined : 'this console may not restore there (WhereACL)');
    if (problem) first = { f, message: `regexwhere ${regexWhere} turns ${displayPath(f.path)} into ${displayPath(to)}: ${problem}` };
  }
  if (first) throw new BurrowError('BAD_REQUEST', first.message);
}

/** The summary Bareos shows before `OK to run?`, and a way to queue the job it describes. */
export async function summarize(ctx: ConsoleContext, s: RestoreSelection): Promise<{ summary: RestoreSummary; submit: () => Promise<number> }> {
  const choice = await choiceOf(ctx, s);
  if (choice.count === 0) {
    const owner = consoleScope(ctx).restoreOwner;
    const mine = owner ? ` among the files of uid ${owner.uid}, the only ones this console restores` : '';
    throw new BurrowError('NOT_FOUND', s.tree ? 'No files are marked to be restored.' : `none of the named files is in JobId(s) ${s.jobIds.join(',')}${mine}`);
  }
  const plan = planOf(ctx, s, choice.chosen);
  if (plan.regexWhere) checkRewrites(ctx, plan.regexWhere, choice.paths);
  const locations: string[] = [];
  for (const v of choice.volumes) {
    const m = await ctx.catalog.getMediaByName(v);
    locations.push(m ? placeOf(m) : 'not in the catalog');
  }
  const summary: RestoreSummary = {
    files: choice.count, bytes: choice.bytes >= 0 ? choice.bytes : null, jobids: s.jobIds, volumes: choice.volumes, locations,
    client: s.client, restoreclient: plan.restoreClient.name, where: displayPath(plan.where), regexwhere: plan.regexWhere, replace: plan.replace,
  };
  return { summary, submit: async () => (await ctx.queue.submit(plan)).jobId };
}
