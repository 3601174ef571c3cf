/**
 * `File = "|command"` and `File = "<file"` as the File daemon gets them (the Director
 * config's `\|command` and `\<file`): file names come from the command's standard
 * output or from the file, one per line, read on the client when the backup starts.
 * The command runs only if the File daemon's script policy allows it: a Director
 * must not be able to run arbitrary commands on its clients.
 */
import { readFile } from 'node:fs/promises';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { byteLines, commandOutput } from '@burrow/common/scripts/command';
import { displayPath } from '@burrow/common/names/index';
import { stripTrailingSlashes } from './bytes.js';
import type { CompiledFileSet, IncludeSelector } from './matcher.js';

/** Why the client will not run `command`, or undefined when it will. */
export type CommandRefusal = (command: string) => Promise<string | undefined>;

async function names(entry: Buffer, inc: IncludeSelector, refusal: CommandRefusal, signal: AbortSignal): Promise<Buffer[]> {
  const rest = entry.subarray(1).toString('utf8').trim();
  const what = `${inc.where} File = "${displayPath(entry)}"`;
  if (entry[0] === 0x7c) {
    const refused = await refusal(rest);
    if (refused !== undefined) throw new BurrowError('COMMAND_FAILED', `${what}: refused by the client: ${refused}`);
    const r = await commandOutput(rest, signal);
    if (r.exitCode !== 0) {
      throw new BurrowError('COMMAND_FAILED', `${what}: ${r.error ?? `exit status ${r.exitCode}`}${r.stderr ? `: ${r.stderr}` : ''}`);
    }
    return byteLines(r.stdout);
  }
  try {
    return byteLines(await readFile(rest, { signal }));
  } catch (err) {
    throw new BurrowError('COMMAND_FAILED', `${what}: cannot read the list: ${describeError(err)}`, { cause: err });
  }
}

/**
 * The FileSet with every include's lists replaced by the names they give. A name
 * that is not absolute is an error naming the list; a failing or refused command
 * fails the job (without the list the backup would silently miss files).
 */
export async function expandLists(fs: CompiledFileSet, refusal: CommandRefusal, signal: AbortSignal): Promise<CompiledFileSet> {
  const includes: IncludeSelector[] = [];
  for (const inc of fs.includes) {
    if (inc.lists.length === 0) {
      includes.push(inc);
      continue;
    }
    const roots = [...inc.roots];
    for (const entry of inc.lists) {
      for (const line of await names(entry, inc, refusal, signal)) {
        const path = stripTrailingSlashes(line);
        if (path[0] !== 0x2f || path.includes(0)) {
          throw new BurrowError('COMMAND_FAILED', `${inc.where} File = "${displayPath(entry)}" gave "${displayPath(line)}", not an absolute path`);
        }
        roots.push(path);
      }
    }
    includes.push(Object.freeze({ ...inc, roots, lists: [] }));
  }
  return Object.freeze({ ...fs, includes });
}
