/**
 * restore, as Bareos has it. Keywords say as much as the operator wants:
 *   restore [client=NAME] [jobid=N,M | current | before="YYYY-MM-DD HH:MM:SS" | select] [fileset=]
 *           [all | file=PATH ... | directory=PATH ... | fileregex=RE] [done]
 *           [where=PATH] [regexwhere=!a!b!] [strip_prefix=] [add_prefix=] [add_suffix=]
 *           [replace=always|ifnewer|ifolder|never] [restoreclient=] [restorejob=] [storage=] [bootstrap=FILE] [yes]
 * and whatever they leave open is asked: the menu (which point in time), the file
 * tree (which files), then `OK to run? (yes/mod/no)`. `current` (or `before=`) takes
 * the Full + Differential + Incrementals that make up the client's state; `select`,
 * as in Bareos, takes them too without the menu (with jobid=, those jobs as given).
 * Every step answers a RestoreResult (restore/result.ts).
 */
import { z } from 'zod';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import { defineCommand, type ConsoleContext } from '../command.js';
import { flag, ids, many, maybeEmpty, text } from '../arg-types.js';
import { confirm } from '../restore/confirm.js';
import { restoreMenu, type MenuNext } from '../restore/menu.js';
import { treeShell } from '../restore/tree-shell.js';
import { renderRestore, type RestoreAnswer, type RestoreReply, type RestoreResult } from '../restore/result.js';
import { chainJobIds, checkClient, checkJobIds, parseWhen, treeOf, type RestoreOptions, type RestoreSelection } from '../restore/selection.js';
import { bvfsChosen } from './bvfs-restore.js';

export const restoreArgs = z.object({
  client: text().optional(),
  jobid: ids().optional(),
  current: flag().default(false),
  before: text().optional(),
  select: flag().default(false),
  fileset: text().optional(),
  all: flag().default(false),
  file: many().default([]),
  directory: many().default([]),
  fileregex: text().optional(),
  done: flag().default(false),
  where: maybeEmpty().optional(),
  regexwhere: maybeEmpty().optional(),
  strip_prefix: maybeEmpty().optional(),
  add_prefix: maybeEmpty().optional(),
  add_suffix: maybeEmpty().optional(),
  replace: text().optional(),
  restoreclient: text().optional(),
  restorejob: text().optional(),
  storage: text().optional(),
  /** A file to write the restore's bootstrap to (the Director's own console only). */
  bootstrap: text().optional(),
  yes: flag().default(false),
}).strict();
type RestoreArgs = z.output<typeof restoreArgs>;

function checkedPaths(a: RestoreArgs): Buffer[] {
  const paths = [...a.file, ...a.directory].map(parseDisplayPath);
  for (const p of paths) {
    if (p.includes(0)) throw new BurrowError('HOSTILE_PATH', 'a file name with a NUL byte cannot exist');
    if (p.toString('latin1').split('/').includes('..')) throw new BurrowError('HOSTILE_PATH', `file=${displayPath(p)} contains ".."`);
  }
  return paths;
}

function fileRegex(source: string): RegExp {
  try {
    return new RegExp(Buffer.from(source, 'utf8').toString('latin1'));
  } catch (err) {
    throw new BurrowError('BAD_REQUEST', `fileregex "${source}" is not valid: ${(err as Error).message}`);
  }
}

/** After the jobs are known: named files go straight to the summary; otherwise the tree. */
function next(flags: { all: boolean; done: boolean; yes: boolean }): MenuNext {
  return {
    async withJobs(ctx: ConsoleContext, s: RestoreSelection): Promise<RestoreReply> {
      if (s.paths.length > 0 && !s.fileRegex) return confirm(ctx, s, flags.yes);
      const start = Date.now();
      const tree = await treeOf(ctx, s.jobIds);
      await tree.setMark(0, false); // a tree kept from an earlier browse starts clean
      const built = { jobids: s.jobIds, files: tree.size - 1, seconds: (Date.now() - start) / 1000 };
      const withTree = { ...s, tree };
      if (flags.all) await tree.setMark(0, true);
      if (s.fileRegex) {
        const re = fileRegex(s.fileRegex);
        const matching: number[] = [];
        await tree.walk(0, (n) => { if (!tree.isDir(n) && re.test(tree.path(n).toString('latin1'))) matching.push(n); });
        for (const n of matching) await tree.setMark(n, true);
      }
      if (flags.all || flags.done || s.fileRegex) return confirm(ctx, withTree, flags.yes, { built });
      return treeShell(withTree, flags.yes, built);
    },
  };
}

function optionsOf(a: RestoreArgs): RestoreOptions {
  const { where, regexwhere, strip_prefix, add_prefix, add_suffix, replace, restoreclient, bootstrap } = a;
  return Object.fromEntries(Object.entries({ where, regexwhere, strip_prefix, add_prefix, add_suffix, replace, restoreclient, bootstrap })
    .filter(([, v]) => v !== undefined)) as RestoreOptions;
}

/** Bareos's `restore file=?b2NNN`: the files a GUI chose with `.bvfs_restore path=b2NNN`, straight to the summary. */
async function fromBvfs(ctx: ConsoleContext, a: RestoreArgs, name: string): Promise<RestoreReply> {
  const sel = await bvfsChosen(ctx, name);
  if (a.client !== undefined && checkClient(ctx, a.client) !== sel.client) {
    throw new BurrowError('BAD_REQUEST', `selection ${name} holds files of client "${sel.client}", not "${a.client}"`);
  }
  const s: RestoreSelection = { client: sel.client, jobIds: sel.jobIds, tree: sel.tree, paths: [], options: optionsOf(a), restoreJob: a.restorejob, storage: a.storage };
  return confirm(ctx, s, a.yes);
}

/** fileset=: which FileSet's backups make up the client's state. */
async function fileSetOf(ctx: ConsoleContext, client: string, fileSetName: string): Promise<number | undefined> {
  const used = (await ctx.catalog.listJobs({ client, type: 'B' })).filter((j) => j.fileSetName?.toLowerCase() === fileSetName.toLowerCase());
  if (used.length === 0) throw new BurrowError('NOT_FOUND', `no backup of client "${client}" used FileSet "${fileSetName}"`);
  return used[used.length - 1]?.fileSetId ?? undefined;
}

async function startRestore(ctx: ConsoleContext, a: RestoreArgs): Promise<RestoreAnswer> {
  const chosen = a.file.find((f) => f.startsWith('?'));
  if (chosen !== undefined) return fromBvfs(ctx, a, chosen.slice(1));
  let s: RestoreSelection = {
    client: '', jobIds: [], paths: checkedPaths(a), options: optionsOf(a), restoreJob: a.restorejob, storage: a.storage, fileRegex: a.fileregex,
  };
  if (s.fileRegex !== undefined) fileRegex(s.fileRegex);
  if (a.client !== undefined) s.client = checkClient(ctx, a.client);
  if (a.fileset !== undefined && s.client) s.fileSetId = await fileSetOf(ctx, s.client, a.fileset);
  const flags = { all: a.all, done: a.done, yes: a.yes };
  if (a.jobid !== undefined && a.jobid.length > 0) {
    s = { ...s, ...(await checkJobIds(ctx, a.jobid, s.client || undefined)) };
    return next(flags).withJobs(ctx, s);
  }
  if (a.current || a.select || a.before !== undefined) {
    if (!s.client) {
      const only = ctx.config.clients.length === 1 ? ctx.config.clients[0]?.name : undefined;
      if (!only) throw new BurrowError('BAD_REQUEST', 'restore: give client=NAME with current, select or before=');
      s.client = only;
    }
    s.jobIds = await chainJobIds(ctx, s.client, a.before === undefined ? undefined : parseWhen(a.before), s.fileSetId);
    return next(flags).withJobs(ctx, s);
  }
  return restoreMenu(s, next(flags));
}

export const restoreCommand = defineCommand({
  name: 'restore',
  help: 'Restore files from backups: a menu, a file tree, or keywords',
  usage: 'restore [client=] [jobid=<ids> | current | select | before=<time>] [fileset=] [all | file=<path> | file=?b2<n> (a .bvfs_restore selection) | directory=<path> | fileregex=<re>] [done] [where=] [regexwhere=] [strip_prefix=] [add_prefix=] [add_suffix=] [replace=] [restoreclient=] [restorejob=] [storage=] [bootstrap=<file to write>] [yes]',
  args: restoreArgs,
  run: startRestore,
  // The audit: what a console asked for and was refused stays in the log (`messages`, the catalog).
  refused: (ctx, err) => ctx.catalog.addLog(null, ctx.env.clock.now(), `Console "${ctx.session.consoleName}": restore refused: ${describeError(err)}`),
  render: (r: RestoreResult) => renderRestore(r),
});
