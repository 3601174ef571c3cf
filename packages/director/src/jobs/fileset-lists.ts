/**
 * Expands the FileSet's Director-side lists when a job starts, as Bareos's Director
 * does before sending the FileSet: `File = "|command"` (each line the command prints
 * is a file name) and `File = "<file"` (each line of the file). The Director's own
 * configuration is trusted, so its commands run as written (without a shell).
 * Client-side lists (`\|command`, `\<file`) lose their backslash and go to the File
 * daemon, which expands them under its own script policy.
 */
import { readFile } from 'node:fs/promises';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { byteLines, commandOutput } from '@burrow/common/scripts/command';
import type { burrow } from '@burrow/common/proto/index';

async function expandEntry(entry: Buffer, where: string, signal: AbortSignal | undefined): Promise<Buffer[]> {
  const text = entry.toString('utf8');
  if (entry[0] === 0x5c && (entry[1] === 0x7c || entry[1] === 0x3c)) return [entry.subarray(1)];
  if (text.startsWith('|')) {
    const command = text.slice(1).trim();
    const r = await commandOutput(command, signal).catch((err: unknown) => ({ exitCode: null, error: describeError(err), stdout: Buffer.alloc(0), stderr: '' }));
    if (r.exitCode !== 0) {
      const why = r.error ?? `exit status ${r.exitCode}`;
      throw new BurrowError('JOB_FAILED', `${where}: File = "|${command}" failed on the Director: ${why}${r.stderr ? `: ${r.stderr}` : ''}`);
    }
    return byteLines(r.stdout);
  }
  if (text.startsWith('<')) {
    const file = text.slice(1).trim();
    try {
      return byteLines(await readFile(file, { signal }));
    } catch (err) {
      throw new BurrowError('JOB_FAILED', `${where}: File = "<${file}": cannot read the list on the Director: ${describeError(err)}`, { cause: err });
    }
  }
  return [entry];
}

/** The spec to send to the File daemon, with the Director's lists expanded. */
export async function expandOnDirector(spec: burrow.IFileSetSpec, signal?: AbortSignal): Promise<burrow.IFileSetSpec> {
  const includes = [];
  for (const [i, inc] of (spec.includes ?? []).entries()) {
    const files: Buffer[] = [];
    for (const f of inc.files ?? []) files.push(...await expandEntry(Buffer.from(f), `FileSet "${spec.name ?? ''}" Include #${i + 1}`, signal));
    includes.push({ ...inc, files });
  }
  return { ...spec, includes };
}
