/**
 * Bareos's file selection shell over a restore tree: cd, ls, dir, pwd, mark, unmark
 * (with wildcards), lsmark, find, estimate, count, versions, help, done, quit. Names
 * are shown with displayPath and typed back in that form (parseDisplayPath).
 */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import { tokenize } from '../args.js';
import { ask, ok, type Dialog, type CommandResult, type ConsoleContext } from '../command.js';
import { listDate, withCommas } from '../../jobs/format.js';
import type { RestoreTree } from '../../restore-tree/tree.js';
import { hasWildcard, matches, wildcard } from '../../restore-tree/wildcard.js';
import { confirm } from './confirm.js';
import type { RestoreSelection } from './selection.js';
import { digestText } from '@burrow/common/fileset/digests';

const HELP = `  Command    Description
  =======    ===========
  cd         change current directory
  count      count marked files in and below the cd
  dir        long list current directory, wildcards allowed
  done       leave file selection mode
  estimate   estimate restore size
  find       find files, wildcards allowed
  help       print help
  ls         list current directory, wildcards allowed
  lsmark     list the marked files in and below the cd
  mark       mark dir/file to be restored recursively, wildcards allowed
  pwd        print current working directory
  unmark     unmark dir/file to be restored recursively, wildcards allowed
  versions   list every saved version of a file
  quit       quit and do not do restore
  .          quit and do not do restore`;

/** A small cap on one listing so a huge directory cannot flood a console. */
const LIST_LIMIT = 100_000;

interface Shell {
  s: RestoreSelection;
  tree: RestoreTree;
  cwd: number;
  yes: boolean;
}

/** Enters the shell (the tree is built already); `yes` runs the restore after `done` without asking. */
export function treeShell(s: RestoreSelection, yes: boolean, intro: string): CommandResult {
  const tree = s.tree as RestoreTree;
  const shell: Shell = { s, tree, cwd: 0, yes };
  const text = `${intro}\nYou are now entering file selection mode where you add (mark) and\nremove (unmark) files to be restored. No files are initially added, unless\nyou used the "all" keyword on the command line.\nEnter "done" to leave this mode.\n\ncwd is: /`;
  return ask(text, dialog(shell));
}

function dialog(sh: Shell): Dialog {
  return {
    prompt: '$ ',
    answer: (ctx, line) => {
      const [word, ...rest] = tokenize(line);
      if (word === undefined) return ask('', dialog(sh));
      const run = COMMANDS[word.toLowerCase()];
      if (!run) throw new BurrowError('BAD_REQUEST', `Invalid command "${word}". Enter "done" to exit.`);
      return run(sh, rest, ctx);
    },
  };
}

type ShellCommand = (sh: Shell, args: string[], ctx: ConsoleContext) => CommandResult;

/** Nodes an argument names: a path (relative to cwd or absolute) whose last part may hold wildcards. */
function resolve(sh: Shell, arg: string): number[] {
  const raw = parseDisplayPath(arg);
  const cut = raw.lastIndexOf(0x2f);
  const dirPart = cut < 0 ? undefined : raw.subarray(0, cut + 1);
  const last = raw.subarray(cut + 1);
  const dir = dirPart === undefined ? sh.cwd : sh.tree.lookup(dirPart[0] === 0x2f ? dirPart : Buffer.concat([sh.tree.path(sh.cwd), Buffer.from('/'), dirPart]));
  if (dir < 0) return [];
  if (last.length === 0) return [dir];
  if (!hasWildcard(last)) {
    const n = last.equals(Buffer.from('..')) ? sh.tree.parentOf(dir) : last.equals(Buffer.from('.')) ? dir : sh.tree.child(dir, last);
    return n < 0 ? [] : [n];
  }
  const re = wildcard(last);
  return Array.from(sh.tree.childrenOf(dir)).filter((n) => matches(re, sh.tree.name(n)));
}

function shownName(tree: RestoreTree, n: number): string {
  return `${displayPath(tree.name(n))}${tree.isDir(n) ? '/' : ''}`;
}

function listing(sh: Shell, args: string[], line: (n: number) => string): CommandResult {
  const nodes = args.length ? args.flatMap((a) => resolve(sh, a)) : Array.from(sh.tree.childrenOf(sh.cwd));
  const lines = nodes.slice(0, LIST_LIMIT).map(line);
  if (nodes.length > LIST_LIMIT) lines.push(`... ${withCommas(nodes.length - LIST_LIMIT)} more`);
  return ask(lines.join('\n'), dialog(sh), { entries: nodes.map((n) => entry(sh.tree, n)) });
}

function entry(tree: RestoreTree, n: number): Record<string, unknown> {
  const i = tree.info(n);
  return { name: displayPath(i.name), dir: i.isDir, jobid: i.jobId, fileindex: i.fileIndex, size: i.size, mtime: i.mtime, marked: i.marked };
}

function mark(sh: Shell, args: string[], on: boolean): CommandResult {
  if (args.length === 0) throw new BurrowError('BAD_REQUEST', `${on ? 'mark' : 'unmark'}: name a file, a directory or a pattern`);
  let changed = 0;
  let found = 0;
  for (const a of args) {
    const nodes = resolve(sh, a);
    found += nodes.length;
    for (const n of nodes) changed += sh.tree.setMark(n, on);
  }
  if (found === 0) throw new BurrowError('NOT_FOUND', `No files ${on ? 'marked' : 'unmarked'}: nothing matches ${args.join(' ')}`);
  const what = changed === 1 ? 'file' : 'files';
  return ask(`${withCommas(changed)} ${what} ${on ? 'marked' : 'unmarked'}.`, dialog(sh), { changed });
}

function countBelow(sh: Shell): { total: number; marked: number; bytes: number } {
  let total = 0;
  let marked = 0;
  let bytes = 0;
  sh.tree.walk(sh.cwd, (n) => {
    if (n === sh.cwd) return;
    total++;
    if (sh.tree.isMarked(n)) {
      marked++;
      bytes += sh.tree.info(n).size;
    }
  });
  return { total, marked, bytes };
}

const COMMANDS: Record<string, ShellCommand> = {
  help: (sh) => ask(HELP, dialog(sh)),
  '?': (sh) => ask(HELP, dialog(sh)),
  pwd: (sh) => ask(`cwd is: ${displayPath(sh.tree.path(sh.cwd))}`, dialog(sh)),
  cd: (sh, args) => {
    const target = resolve(sh, args[0] ?? '/');
    const n = target[0];
    if (target.length !== 1 || n === undefined || !sh.tree.isDir(n)) throw new BurrowError('NOT_FOUND', `Invalid path given: ${args[0] ?? ''}`);
    sh.cwd = n;
    return ask(`cwd is: ${displayPath(sh.tree.path(n))}`, dialog(sh));
  },
  ls: (sh, args) => listing(sh, args, (n) => `${sh.tree.isMarked(n) ? '*' : ''}${shownName(sh.tree, n)}`),
  dir: (sh, args) => listing(sh, args, (n) => {
    const i = sh.tree.info(n);
    const kind = i.isDir ? 'd' : i.type === 3 ? 'l' : '-';
    const version = i.jobId ? `JobId ${i.jobId}` : '(not saved)';
    return `${kind} ${withCommas(i.size).padStart(14)}  ${i.mtime ? listDate(i.mtime) : ''.padEnd(19)}  ${version.padEnd(12)} ${i.marked ? '*' : ' '}${displayPath(sh.tree.path(n))}`;
  }),
  mark: (sh, args) => mark(sh, args, true),
  add: (sh, args) => mark(sh, args, true),
  unmark: (sh, args) => mark(sh, args, false),
  delete: (sh, args) => mark(sh, args, false),
  lsmark: (sh) => {
    const lines: string[] = [];
    sh.tree.walk(sh.cwd, (n) => { if (sh.tree.isMarked(n) && lines.length < LIST_LIMIT) lines.push(`*${displayPath(sh.tree.path(n))}${sh.tree.isDir(n) ? '/' : ''}`); });
    return ask(lines.length ? lines.join('\n') : 'No files marked.', dialog(sh), { marked: lines.map((l) => l.slice(1)) });
  },
  find: (sh, args) => {
    if (args.length === 0) throw new BurrowError('BAD_REQUEST', 'find: give a name or a pattern');
    const res = args.map((a) => wildcard(parseDisplayPath(a)));
    const found: string[] = [];
    sh.tree.walk(sh.cwd, (n) => { if (n !== sh.cwd && res.some((re) => matches(re, sh.tree.name(n))) && found.length < LIST_LIMIT) found.push(`${sh.tree.isMarked(n) ? '*' : ''}${displayPath(sh.tree.path(n))}`); });
    return ask(found.length ? found.join('\n') : 'No matches found.', dialog(sh), { found });
  },
  count: (sh) => {
    const c = countBelow(sh);
    return ask(`${withCommas(c.total)} total files/directories. ${withCommas(c.marked)} marked to be restored.`, dialog(sh), c);
  },
  estimate: (sh) => {
    const c = countBelow(sh);
    return ask(`${withCommas(c.total)} total files; ${withCommas(c.marked)} marked to be restored; ${withCommas(c.bytes)} bytes.`, dialog(sh), c);
  },
  versions: (sh, args, ctx) => {
    const n = resolve(sh, args[0] ?? '')[0];
    if (n === undefined || !args[0]) throw new BurrowError('NOT_FOUND', `versions: no file ${args[0] ?? ''} here`);
    const path = sh.tree.path(n);
    const jobs = ctx.catalog.listJobs({ client: sh.s.client, type: 'B' }).filter((j) => j.status === 'T' || j.status === 'W');
    const versions = ctx.catalog.fileVersions(jobs.map((j) => j.jobId), path);
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    const lines = versions.map((v) => {
      const j = byId.get(v.jobId);
      const chosen = v.jobId === sh.tree.info(n).jobId ? '*' : ' ';
      const what = v.fileIndex === 0 ? 'deleted' : `${withCommas(v.size)} bytes, modified ${listDate(v.mtime)}, Volume ${v.volumeName ?? ''}`;
      return `${chosen} JobId ${v.jobId} (${j?.level ?? '?'} ${listDate(j?.startTime ?? null)}): ${what}`;
    });
    return ask([`Versions of ${displayPath(path)} (* the one selected):`, ...lines].join('\n'), dialog(sh), { versions: versions.map((v) => ({ ...v, digest: v.digest ? digestText(v.digest) : null })) });
  },
  done: (sh, _args, ctx) => {
    if (sh.tree.marks === 0) throw new BurrowError('NOT_FOUND', 'No files are marked to be restored. Mark some, or "quit".');
    return confirm(ctx, sh.s, sh.yes, `Bootstrap records written for ${withCommas(sh.tree.marks)} marked entries.`);
  },
  quit: () => ok('Restore canceled.', { started: false }),
};
