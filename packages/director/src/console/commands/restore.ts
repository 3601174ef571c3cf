/**
 * restore, as Bareos has it. Keywords say as much as the operator wants:
 *   restore [client=NAME] [jobid=N,M | current | before="YYYY-MM-DD HH:MM:SS"] [fileset=]
 *           [all | file=PATH ... | directory=PATH ... | fileregex=RE] [done]
 *           [where=PATH] [regexwhere=!a!b!] [strip_prefix=] [add_prefix=] [add_suffix=]
 *           [replace=always|ifnewer|ifolder|never] [restoreclient=] [restorejob=] [yes]
 * and whatever they leave open is asked: the menu (which point in time), the file
 * tree (which files), then `OK to run? (yes/mod/no)`. `current` (or `before=`) takes
 * the Full + Differential + Incrementals that make up the client's state.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import { withCommas } from '../../jobs/format.js';
import type { Command, CommandResult, ConsoleContext } from '../command.js';
import type { Args } from '../args.js';
import { confirm } from '../restore/confirm.js';
import { restoreMenu, type MenuNext } from '../restore/menu.js';
import { treeShell } from '../restore/tree-shell.js';
import { bvfsChosen } from './bvfs.js';
import { chainJobIds, checkClient, checkJobIds, parseWhen, treeOf, type RestoreOptions, type RestoreSelection } from '../restore/selection.js';

const OPTION_KEYS: Array<keyof RestoreOptions> = ['where', 'regexwhere', 'strip_prefix', 'add_prefix', 'add_suffix', 'replace', 'restoreclient', 'bootstrap'];

function checkedPaths(args: Args): Buffer[] {
  const paths = [...args.all('file'), ...args.all('directory')].map(parseDisplayPath);
  for (const p of paths) {
    if (p.includes(0)) throw new BurrowError('HOSTILE_PATH', 'a file name with a NUL byte cannot exist');
    if (p.toString('latin1').split('/').includes('..')) throw new BurrowError('HOSTILE_PATH', `file=${displayPath(p)} contains ".."`);
  }
  return paths;
}

function fileRegex(text: string): RegExp {
  try {
    return new RegExp(Buffer.from(text, 'utf8').toString('latin1'));
  } catch (err) {
    throw new BurrowError('BAD_REQUEST', `fileregex "${text}" is not valid: ${(err as Error).message}`);
  }
}

/** After the jobs are known: named files go straight to the summary; otherwise the tree. */
function next(flags: { all: boolean; done: boolean; yes: boolean }): MenuNext {
  return {
    withJobs(ctx: ConsoleContext, s: RestoreSelection): CommandResult {
      if (s.paths.length > 0 && !s.fileRegex) return confirm(ctx, s, flags.yes);
      const start = Date.now();
      const tree = treeOf(ctx, s.jobIds);
      tree.setMark(0, false); // a tree kept from an earlier browse starts clean
      const built = `Building directory tree for JobId(s) ${s.jobIds.join(',')} ...  ${withCommas(tree.size - 1)} files inserted into the tree (${((Date.now() - start) / 1000).toFixed(1)} s).`;
      const withTree = { ...s, tree };
      if (flags.all) tree.setMark(0, true);
      if (s.fileRegex) {
        const re = fileRegex(s.fileRegex);
        tree.walk(0, (n) => { if (!tree.isDir(n) && re.test(tree.path(n).toString('latin1'))) tree.setMark(n, true); });
      }
      if (flags.all || flags.done || s.fileRegex) return confirm(ctx, withTree, flags.yes, built);
      return treeShell(withTree, flags.yes, built);
    },
  };
}

export const restoreCommand: Command = {
  name: 'restore',
  help: 'Restore files from backups: a menu, a file tree, or keywords',
  usage: 'restore [client=] [jobid=<ids> | current | before=<time>] [all | file=<path> | file=?b2<n> (a .bvfs_restore selection) | directory=<path> | fileregex=<re>] [done] [where=] [regexwhere=] [strip_prefix=] [add_prefix=] [add_suffix=] [replace=] [restoreclient=] [bootstrap=<file to write>] [yes]',
  run: (ctx, args) => {
    try {
      return startRestore(ctx, args);
    } catch (err) {
      // The audit: what a console asked for and was refused stays in the log (`messages`, the catalog).
      ctx.catalog.addLog(null, Date.now(), `Console "${ctx.session.consoleName}": restore refused: ${(err as Error).message}`);
      throw err;
    }
  },
};

function optionsOf(args: Args): RestoreOptions {
  const options: RestoreOptions = {};
  for (const k of OPTION_KEYS) if (args.get(k) !== undefined) options[k] = args.get(k);
  return options;
}

/** Bareos's `restore file=?b2NNN`: the files a GUI chose with `.bvfs_restore path=b2NNN`, straight to the summary. */
function fromBvfs(ctx: ConsoleContext, args: Args, name: string): CommandResult {
  const sel = bvfsChosen(ctx, name);
  const client = args.get('client');
  if (client !== undefined && checkClient(ctx, client) !== sel.client) {
    throw new BurrowError('BAD_REQUEST', `selection ${name} holds files of client "${sel.client}", not "${client}"`);
  }
  const s: RestoreSelection = {
    client: sel.client, jobIds: sel.jobIds, tree: sel.tree, paths: [], options: optionsOf(args), restoreJob: args.get('restorejob'), storage: args.get('storage'),
  };
  return confirm(ctx, s, args.has('yes'));
}

function startRestore(ctx: ConsoleContext, args: Args): CommandResult {
    const chosen = args.all('file').find((f) => f.startsWith('?'));
    if (chosen !== undefined) return fromBvfs(ctx, args, chosen.slice(1));
    const options = optionsOf(args);
    const fileSetName = args.get('fileset');
    let s: RestoreSelection = {
      client: '', jobIds: [], paths: checkedPaths(args), options, restoreJob: args.get('restorejob'), storage: args.get('storage'),
      fileRegex: args.get('fileregex'),
    };
    if (s.fileRegex !== undefined) fileRegex(s.fileRegex);
    const clientName = args.get('client');
    if (clientName !== undefined) s.client = checkClient(ctx, clientName);
    if (fileSetName !== undefined && s.client) {
      const used = ctx.catalog.listJobs({ client: s.client, type: 'B' }).filter((j) => j.fileSetName?.toLowerCase() === fileSetName.toLowerCase());
      if (used.length === 0) throw new BurrowError('NOT_FOUND', `no backup of client "${s.client}" used FileSet "${fileSetName}"`);
      s.fileSetId = used[used.length - 1]?.fileSetId ?? undefined;
    }
    const flags = { all: args.has('all'), done: args.has('done'), yes: args.has('yes') };
    const ids = args.ids('jobid');
    if (ids.length > 0) {
      s = { ...s, ...checkJobIds(ctx, ids, s.client || undefined) };
      return next(flags).withJobs(ctx, s);
    }
    const before = args.get('before');
    if (args.has('current') || before !== undefined) {
      if (!s.client) {
        const only = ctx.config.clients.length === 1 ? ctx.config.clients[0]?.name : undefined;
        if (!only) throw new BurrowError('BAD_REQUEST', 'restore: give client=NAME with current or before=');
        s.client = only;
      }
      s.jobIds = chainJobIds(ctx, s.client, before === undefined ? undefined : parseWhen(before), s.fileSetId);
      return next(flags).withJobs(ctx, s);
    }
    return restoreMenu(s, next(flags));
}
