/**
 * What each step of a restore conversation answers (the menu, the file tree shell, the
 * summary, the job queued), as data; and the one renderer that prints it as Bareos
 * does. `kind` says which step it is; in `.api json` mode a script reads the same
 * objects, with the next question's prompt beside them.
 */
import { listDate, withCommas } from '../../jobs/format.js';
import type { Question, Reply } from '../command.js';
import { table } from '../text.js';

/** A node of the restore tree as the shell lists it. */
export interface TreeEntry {
  name: string;
  path: string;
  dir: boolean;
  /** The file type (as FileAttributes has it); 3 is a symbolic link. */
  type: number;
  /** The job of the version shown; 0 for a directory that was not saved itself. */
  jobid: number;
  fileindex: number;
  size: number;
  mtime: number;
  marked: boolean;
}

/** A version of one file, as the shell's `versions` shows it. */
export interface ShellVersion {
  jobid: number;
  /** The level and start of the job that saved it. */
  level: string | null;
  starttime: string;
  fileindex: number;
  deleted: boolean;
  size: number;
  mtime: number;
  digest: string | null;
  volumename: string | null;
  /** The version the tree holds (the one a restore takes). */
  selected: boolean;
}

/** The tree just built for the chosen jobs. */
export interface TreeBuilt {
  jobids: number[];
  files: number;
  seconds: number;
}

/** What is said before a summary: how the files were chosen. */
export type Preface = { built: TreeBuilt } | { marked: number } | null;

/** The summary Bareos shows before `OK to run?`. */
export interface RestoreSummary {
  files: number;
  /** Known when files were chosen in a tree; null when named paths are selected by the job. */
  bytes: number | null;
  jobids: number[];
  volumes: string[];
  /** Where each of `volumes` is (media/locations.ts), in the same order. */
  locations: string[];
  client: string;
  restoreclient: string;
  /** '' for the original location; unused when regexwhere rewrites the names. */
  where: string;
  regexwhere: string;
  replace: string;
}

export type RestoreResult =
  | { kind: 'menu'; choices: string[] }
  | { kind: 'clients'; clients: string[] }
  /** Only a question: its prompt says everything. */
  | { kind: 'question' }
  | { kind: 'jobs'; jobs: Array<{ jobid: number; client: string; starttime: string; level: string; jobfiles: number; jobbytes: number; jobstatus: string }> }
  | { kind: 'saved-in'; versions: Array<{ jobid: number; fileindex: number; size: number; mtime: number }> }
  | { kind: 'jobids'; jobids: number[] }
  | { kind: 'tree'; built: TreeBuilt; cwd: string }
  | { kind: 'help'; commands: Array<{ name: string; help: string }> }
  | { kind: 'cwd'; cwd: string }
  | { kind: 'entries'; long: boolean; entries: TreeEntry[]; more: number }
  | { kind: 'marked'; on: boolean; changed: number }
  | { kind: 'lsmark'; marked: string[] }
  | { kind: 'found'; found: string[] }
  | { kind: 'count'; estimate: boolean; total: number; marked: number; bytes: number }
  | { kind: 'versions'; path: string; versions: ShellVersion[] }
  | ({ kind: 'summary'; preface: Preface; started: false } & RestoreSummary)
  | ({ kind: 'queued'; preface: Preface; started: true; jobid: number } & RestoreSummary)
  | { kind: 'modify'; options: string[] }
  | { kind: 'canceled'; message: string; started: false };

export type RestoreReply = Reply<RestoreResult>;
/** A reply now or once the catalog has answered (a restore tree builds off the event loop). */
export type RestoreAnswer = RestoreReply | Promise<RestoreReply>;
export type RestoreQuestion = Question<RestoreResult>;

export function canceled(message = 'Restore canceled.'): RestoreResult {
  return { kind: 'canceled', message, started: false };
}

export const QUESTION: RestoreResult = { kind: 'question' };

function numbered(items: string[]): string[] {
  return items.map((c, i) => `${String(i + 1).padStart(5)}: ${c}`);
}

function builtText(b: TreeBuilt): string {
  return `Building directory tree for JobId(s) ${b.jobids.join(',')} ...  ${withCommas(b.files)} files inserted into the tree (${b.seconds.toFixed(1)} s).`;
}

function prefaceText(p: Preface): string {
  if (p === null) return '';
  return 'built' in p ? `${builtText(p.built)}\n` : `Bootstrap records written for ${withCommas(p.marked)} marked entries.\n`;
}

function summaryText(s: RestoreSummary): string {
  return [
    `${withCommas(s.files)} files selected to be restored from JobId(s) ${s.jobids.join(',')}.`,
    ...(s.bytes !== null ? [`Bytes:          ${withCommas(s.bytes)}`] : []),
    `Volumes needed: ${s.volumes.join(', ')}`,
    ...s.volumes.map((v, i) => `    ${v.padEnd(16)} ${s.locations[i] ?? ''}`),
    `Restore Client: ${s.restoreclient}`,
    // As in Bareos, a rewrite replaces where=, so the summary shows one or the other.
    s.regexwhere ? `RegexWhere:     ${s.regexwhere}` : `Where:          ${s.where || '(original location)'}`,
    `Replace:        ${s.replace}`,
  ].join('\n');
}

function entryLine(e: TreeEntry, long: boolean): string {
  if (!long) return `${e.marked ? '*' : ''}${e.name}${e.dir ? '/' : ''}`;
  const kind = e.dir ? 'd' : e.type === 3 ? 'l' : '-';
  const version = e.jobid ? `JobId ${e.jobid}` : '(not saved)';
  return `${kind} ${withCommas(e.size).padStart(14)}  ${e.mtime ? listDate(e.mtime) : ''.padEnd(19)}  ${version.padEnd(12)} ${e.marked ? '*' : ' '}${e.path}`;
}

function versionLine(v: ShellVersion): string {
  const what = v.deleted ? 'deleted' : `${withCommas(v.size)} bytes, modified ${listDate(v.mtime)}, Volume ${v.volumename ?? ''}`;
  return `${v.selected ? '*' : ' '} JobId ${v.jobid} (${v.level ?? '?'} ${v.starttime}): ${what}`;
}

const TREE_INTRO = 'You are now entering file selection mode where you add (mark) and\nremove (unmark) files to be restored. No files are initially added, unless\n'
  + 'you used the "all" keyword on the command line.\nEnter "done" to leave this mode.';

export function renderRestore(r: RestoreResult): string {
  switch (r.kind) {
    case 'menu': return ['To select the JobIds, you have the following choices:', ...numbered(r.choices)].join('\n');
    case 'clients': return ['Defined Clients:', ...numbered(r.clients)].join('\n');
    case 'question': return '';
    case 'jobs': return table(['JobId', 'Client', 'StartTime', 'Level', 'JobFiles', 'JobBytes', 'JobStatus'],
      r.jobs.map((j) => [j.jobid, j.client, j.starttime, j.level, withCommas(j.jobfiles), withCommas(j.jobbytes), j.jobstatus]));
    case 'saved-in': return table(['JobId', 'FileIndex', 'Size', 'MTime'], r.versions.map((v) => [v.jobid, v.fileindex, withCommas(v.size), listDate(v.mtime)]));
    case 'jobids': return `You have selected JobIds: ${r.jobids.join(',')}`;
    case 'tree': return `${builtText(r.built)}\n${TREE_INTRO}\n\ncwd is: ${r.cwd}`;
    case 'help': return ['  Command    Description', '  =======    ===========', ...r.commands.map((c) => `  ${c.name.padEnd(10)} ${c.help}`)].join('\n');
    case 'cwd': return `cwd is: ${r.cwd}`;
    case 'entries': return [...r.entries.map((e) => entryLine(e, r.long)), ...(r.more > 0 ? [`... ${withCommas(r.more)} more`] : [])].join('\n');
    case 'marked': return `${withCommas(r.changed)} ${r.changed === 1 ? 'file' : 'files'} ${r.on ? 'marked' : 'unmarked'}.`;
    case 'lsmark': return r.marked.length ? r.marked.map((m) => `*${m}`).join('\n') : 'No files marked.';
    case 'found': return r.found.length ? r.found.join('\n') : 'No matches found.';
    case 'count': return r.estimate
      ? `${withCommas(r.total)} total files; ${withCommas(r.marked)} marked to be restored; ${withCommas(r.bytes)} bytes.`
      : `${withCommas(r.total)} total files/directories. ${withCommas(r.marked)} marked to be restored.`;
    case 'versions': return [`Versions of ${r.path} (* the one selected):`, ...r.versions.map(versionLine)].join('\n');
    case 'summary': return `${prefaceText(r.preface)}${summaryText(r)}`;
    case 'queued': return `${prefaceText(r.preface)}${summaryText(r)}\nJob queued. JobId=${r.jobid}`;
    case 'modify': return ['Parameters to modify:', ...numbered(r.options)].join('\n');
    case 'canceled': return r.message;
  }
}
