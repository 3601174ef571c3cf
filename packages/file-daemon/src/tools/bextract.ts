#!/usr/bin/env node
/**
 * bextract: restores files from volumes with no Director, no catalog and no Storage
 * daemon, exactly as a restore job writes them (the File daemon's RestoreWriter).
 *
 *   bextract [-v] [-p] [-c config] [-b bootstrap] [-i include-list] [-e exclude-list]
 *            [-V VolumeName[|VolumeName...]] ArchiveDeviceDir DirectoryToStoreFiles
 *
 * With -b, what the bootstrap selects (its volumes, sessions and file indexes); else
 * every job session on the volumes given with -V, read in the order given, each job's
 * files after the one before (a Full, then its Incrementals: the last state wins).
 * -i and -e narrow it by name (extract/selection.ts). Files land below
 * DirectoryToStoreFiles at their saved paths; an existing file is replaced.
 * -v names each file; -p is accepted for Bareos compatibility (a damaged block never
 * stops the rest); -c is accepted and ignored: the archive directory is given directly.
 * Exit status: 0 all restored, 1 something was not restored (each named on stderr),
 * 2 usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseBootstrapText } from '@burrow/common/bootstrap/text';
import { HELP, toolMain } from '@burrow/common/daemon/tool-main';
import { displayPath } from '@burrow/common/names/index';
import { archiveVolumes, partsOfBootstrap, planOfVolumes, type FileRef, type OpenVolume, type SessionPart } from '@burrow/storage-daemon/offline/index';
import { Hashers } from '../digest/hashers.js';
import { RestoreWriter } from '../restore/index.js';
import type { FileIssue } from '../backup/index.js';
import { extractSessions } from '../extract/extract.js';
import { listLines, nameSelection, type NameSelection } from '../extract/selection.js';

const USAGE = 'usage: bextract [-v] [-p] [-c config] [-b bootstrap] [-i include-list] [-e exclude-list] '
  + '[-V VolumeName[|VolumeName...]] ArchiveDeviceDir DirectoryToStoreFiles\n';

const say = (line: string): void => { process.stderr.write(`bextract: ${line}\n`); };

function byNumber(file: FileRef | undefined): string {
  return file === undefined ? '' : `JobId ${file.sessionId} FileIndex ${file.fileIndex}: `;
}

function issueLine(issue: FileIssue): string {
  const who = issue.byNumber !== undefined ? byNumber(issue.byNumber) : issue.path.length > 0 ? `${displayPath(issue.path)}: ` : '';
  const level = issue.severity === 'error' ? 'Error' : issue.severity === 'warning' ? 'Warning' : 'Info';
  return `${level}: ${who}${issue.message}`;
}

interface Request {
  archive: string;
  where: string;
  bootstrap?: string;
  volumes?: string[];
  selection?: NameSelection;
  verbose: boolean;
}

function request(argv: string[]): Request | typeof HELP | string {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      b: { type: 'string' }, i: { type: 'string' }, e: { type: 'string' }, V: { type: 'string' }, c: { type: 'string', multiple: true },
      v: { type: 'boolean' }, p: { type: 'boolean' }, h: { type: 'boolean' },
    },
  });
  if (values.h) return HELP;
  const [archive, where, ...extra] = positionals;
  if (archive === undefined || where === undefined || extra.length > 0) return 'an archive device directory and a directory to store files are needed';
  if ((values.b === undefined) === (values.V === undefined)) return 'give a bootstrap (-b) or volume names (-V), one of them';
  const list = (file: string | undefined): Buffer[] | undefined => (file === undefined ? undefined : listLines(readFileSync(file)));
  const include = list(values.i);
  const exclude = list(values.e);
  return {
    archive, where, bootstrap: values.b, volumes: values.V?.split('|'), verbose: values.v ?? false,
    selection: include === undefined && exclude === undefined ? undefined : nameSelection({ include, exclude }),
  };
}

async function plan(r: Request, open: OpenVolume, signal: AbortSignal): Promise<SessionPart[]> {
  if (r.bootstrap !== undefined) return partsOfBootstrap(parseBootstrapText(readFileSync(r.bootstrap, 'utf8'), r.bootstrap));
  return planOfVolumes(open, r.volumes ?? [], signal);
}

async function run(r: Request, signal: AbortSignal): Promise<number> {
  const open = archiveVolumes(r.archive, 'bextract');
  const parts = await plan(r, open, signal);
  const writer = new RestoreWriter({
    where: Buffer.from(r.where),
    replace: 'always',
    signal,
    hashers: await Hashers.create(),
    onFileIssue: (issue) => { if (issue.severity !== 'info' || r.verbose) say(issueLine(issue)); },
  });
  let extracted;
  try {
    extracted = await extractSessions({
      parts, open, writer, selection: r.selection, signal,
      onProblem: (text, file, severity) => say(`${severity === 'error' ? 'Error' : 'Warning'}: ${byNumber(file)}${text}`),
      onFile: r.verbose ? (path) => process.stdout.write(`${displayPath(path)}\n`) : undefined,
    });
  } catch (err) {
    writer.abandon();
    throw err;
  }
  const totals = await writer.finish();
  process.stdout.write(`${totals.files} files restored.\n`);
  const failed = totals.errors + extracted.problems;
  if (failed > 0) say(`${failed} problems: not everything selected was restored (see above)`);
  if (parts.length === 0) say('no job session found on the volumes');
  return failed > 0 || parts.length === 0 ? 1 : 0;
}

process.exitCode = await toolMain({
  name: 'bextract', usage: USAGE, argv: process.argv.slice(2), parse: request,
  run: (r) => {
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort(new Error('interrupted')));
    return run(r, abort.signal);
  },
});
