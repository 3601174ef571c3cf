/**
 * Bareos's file selection shell over a restore tree: cd, ls, dir, pwd, mark, unmark
 * (with wildcards), lsmark, find, estimate, count, versions, help, done, quit. Names
 * are shown with displayPath and typed back in that form (parseDisplayPath).
 */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath, parseDisplayPath } from '@burrow/common/names/index';
import { digestText } from '@burrow/common/fileset/digests';
import { tokenize } from '../args.js';
import { ask, type ConsoleContext } from '../command.js';
import { listDate } from '../../jobs/format.js';
import type { RestoreTree } from '../../restore-tree/tree.js';
import { hasWildcard, matches, wildcard } from '../../restore-tree/wildcard.js';
import { confirm } from './confirm.js';
import type { RestoreSelection } from './selection.js';
import { canceled, type RestoreAnswer, type RestoreQuestion, type RestoreReply, type RestoreResult, type TreeBuilt, type TreeEntry } from './result.js';

const HELP: Array<{ name: string; help: string }> = [
  { name: 'cd', help: 'change current directory' },
  { name: 'count', help: 'count marked files in and below the cd' },
  { name: 'dir', help: 'long list current directory, wildcards allowed' },
  { name: 'done', help: 'leave file selection mode' },
  { name: 'estimate', help: 'estimate restore size' },
  { name: 'find', help: 'find files, wildcards allowed' },
  { name: 'help', help: 'print help' },
  { name: 'ls', help: 'list current directory, wildcards allowed' },
  { name: 'lsmark', help: 'list the marked files in and below the cd' },
  { name: 'mark', help: 'mark dir/file to be restored recursively, wildcards allowed' },
  { name: 'pwd', help: 'print current working directory' },
  { name: 'unmark', help: 'unmark dir/file to be restored recursively, wildcards allowed' },
  { name: 'versions', help: 'list every saved version of a file' },
  { name: 'quit', help: 'quit and do not do restore' },
  { name: '.', help: 'quit and do not do restore' },
];

/** A small cap on one listing so a huge directory cannot flood a console. */
const LIST_LIMIT = 100_000;

interface Shell {
  s: RestoreSelection;
  tree: RestoreTree;
  cwd: number;
  yes: boolean;
}

/** Enters the shell (the tree is built already); `yes` runs the restore after `done` without asking. */
export function treeShell(s: RestoreSelection, yes: boolean, built: TreeBuilt): RestoreReply {
  const tree = s.tree as RestoreTree;
  const shell: Shell = { s, tree, cwd: 0, yes };
  return ask({ kind: 'tree', built, cwd: '/' }, prompt(shell));
}

function prompt(sh: Shell): RestoreQuestion {
  return {
    prompt: '$ ',
    answer: (ctx, line) => {
      const [word, ...rest] = tokenize(line);
      if (word === undefined) return ask({ kind: 'question' }, prompt(sh));
      const run = Object.hasOwn(COMMANDS, word.toLowerCase()) ? COMMANDS[word.toLowerCase()] : undefined;
      if (!run) throw new BurrowError('BAD_REQUEST', `Invalid command "${word}". Enter "done" to exit.`);
      return run(sh, rest, ctx);
    },
  };
}

/** An answer that stays in the shell. */
const stay = (sh: Shell, result: RestoreResult): RestoreReply => ask(result, prompt(sh));

type ShellCommand = (sh: Shell, args: string[], ctx: ConsoleContext) => RestoreAnswer;

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

function entry(tree: RestoreTree, n: number): TreeEntry {
  const i = tree.info(n);
  return {
    name: displayPath(i.name), path: displayPath(tree.path(n)), dir: i.isDir, type: i.type, jobid: i.jobId, fileindex: i.fileIndex,
    size: i.size, mtime: i.mtime, marked: i.marked,
  };
}

function listing(sh: Shell, args: string[], long: boolean): RestoreReply {
  const nodes = args.length ? args.flatMap((a) => resolve(sh, a)) : Array.from(sh.tree.childrenOf(sh.cwd));
  const entries = nodes.slice(0, LIST_LIMIT).map((n) => entry(sh.tree, n));
  return stay(sh, { kind: 'entries', long, entries, more: nodes.length - entries.length });
}

async function mark(sh: Shell, args: string[], on: boolean): Promise<RestoreReply> {
  if (args.length === 0) throw new BurrowError('BAD_REQUEST', `${on ? 'mark' : 'unmark'}: name a file, a directory or a pattern`);
  let changed = 0;
  let found = 0;
  for (const a of args) {
    const nodes = resolve(sh, a);
    found += nodes.length;
    for (const n of nodes) changed += await sh.tree.setMark(n, on);
  }
  if (found === 0) throw new BurrowError('NOT_FOUND', `No files ${on ? 'marked' : 'unmarked'}: nothing matches ${args.join(' ')}`);
  return stay(sh, { kind: 'marked', on, changed });
}

async function count(sh: Shell, estimate: boolean): Promise<RestoreReply> {
  let total = 0;
  let marked = 0;
  let bytes = 0;
  await sh.tree.walk(sh.cwd, (n) => {
    if (n === sh.cwd) return;
    total++;
    if (sh.tree.isMarked(n)) {
      marked++;
      bytes += sh.tree.info(n).size;
    }
  });
  return stay(sh, { kind: 'count', estimate, total, marked, bytes });
}

async function versions(sh: Shell, args: string[], ctx: ConsoleContext): Promise<RestoreReply> {
  const n = resolve(sh, args[0] ?? '')[0];
  if (n === undefined || !args[0]) throw new BurrowError('NOT_FOUND', `versions: no file ${args[0] ?? ''} here`);
  const path = sh.tree.path(n);
  const jobs = (await ctx.catalog.listJobs({ client: sh.s.client, type: 'B' })).filter((j) => j.status === 'T' || j.status === 'W');
  const byId = new Map(jobs.map((j) => [j.jobId, j]));
  const selected = sh.tree.info(n).jobId;
  const versions = await ctx.catalog.fileVersions(jobs.map((j) => j.jobId), path);
  return stay(sh, {
    kind: 'versions',
    path: displayPath(path),
    versions: versions.map((v) => ({
      jobid: v.jobId, level: byId.get(v.jobId)?.level ?? null, starttime: listDate(byId.get(v.jobId)?.startTime ?? null),
      fileindex: v.fileIndex, deleted: v.fileIndex === 0, size: v.size, mtime: v.mtime,
      digest: v.digest ? digestText(v.digest) : null, volumename: v.volumeName, selected: v.jobId === selected,
    })),
  });
}

const COMMANDS: Record<string, ShellCommand> = {
  help: (sh) => stay(sh, { kind: 'help', commands: HELP }),
  '?': (sh) => stay(sh, { kind: 'help', commands: HELP }),
  pwd: (sh) => stay(sh, { kind: 'cwd', cwd: displayPath(sh.tree.path(sh.cwd)) }),
  cd: (sh, args) => {
    const target = resolve(sh, args[0] ?? '/');
    const n = target[0];
    if (target.length !== 1 || n === undefined || !sh.tree.isDir(n)) throw new BurrowError('NOT_FOUND', `Invalid path given: ${args[0] ?? ''}`);
    sh.cwd = n;
    return stay(sh, { kind: 'cwd', cwd: displayPath(sh.tree.path(n)) });
  },
  ls: (sh, args) => listing(sh, args, false),
  dir: (sh, args) => listing(sh, args, true),
  mark: (sh, args) => mark(sh, args, true),
  add: (sh, args) => mark(sh, args, true),
  unmark: (sh, args) => mark(sh, args, false),
  delete: (sh, args) => mark(sh, args, false),
  lsmark: async (sh) => {
    const marked: string[] = [];
    await sh.tree.walk(sh.cwd, (n) => { if (sh.tree.isMarked(n) && marked.length < LIST_LIMIT) marked.push(`${displayPath(sh.tree.path(n))}${sh.tree.isDir(n) ? '/' : ''}`); });
    return stay(sh, { kind: 'lsmark', marked });
  },
  find: async (sh, args) => {
    if (args.length === 0) throw new BurrowError('BAD_REQUEST', 'find: give a name or a pattern');
    const res = args.map((a) => wildcard(parseDisplayPath(a)));
    const found: string[] = [];
    await sh.tree.walk(sh.cwd, (n) => { if (n !== sh.cwd && res.some((re) => matches(re, sh.tree.name(n))) && found.length < LIST_LIMIT) found.push(`${sh.tree.isMarked(n) ? '*' : ''}${displayPath(sh.tree.path(n))}`); });
    return stay(sh, { kind: 'found', found });
  },
  count: (sh) => count(sh, false),
  estimate: (sh) => count(sh, true),
  versions,
  done: (sh, _args, ctx) => {
    if (sh.tree.marks === 0) throw new BurrowError('NOT_FOUND', 'No files are marked to be restored. Mark some, or "quit".');
    return confirm(ctx, sh.s, sh.yes, { marked: sh.tree.marks });
  },
  quit: () => canceled(),
};
