/**
 * Command output saving (Bareos's bpipe): the reader command's standard output is
 * saved as a regular file under the virtual name `file=`, with the writer command in
 * its attributes so a restore can pipe the data back into it. The command obeys the
 * client's script policy. A refused or failing reader is an error with code
 * COMMAND_FAILED (the job ends in Error), never a short file that looks fine.
 */
import type { BpipeSpec } from '@burrow/common/config/director/bpipe';
import { burrow, timestampFromMs } from '@burrow/common/proto/index';
import type { FileOptions } from '../fileset/index.js';
import type { CommandRefusal } from '../fileset/lists.js';
import { CommandFailedError, commandPieces } from './command-output.js';
import type { EntrySaver } from './saver.js';

export interface BpipeParams {
  readonly saver: EntrySaver;
  readonly refusal: CommandRefusal;
  readonly signal: AbortSignal;
  /** Include's where, for messages. */
  readonly where: string;
}

function virtualAttributes(spec: BpipeSpec): burrow.FileAttributes.$Properties {
  const now = timestampFromMs(Date.now());
  return {
    path: Buffer.from(spec.file, 'utf8'),
    type: burrow.FileType.FT_REGULAR,
    mode: 0o640,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    atime: now,
    mtime: now,
    ctime: now,
    nlink: 1,
    restoreCommand: spec.writer,
  };
}

export async function saveCommandOutput(spec: BpipeSpec, options: FileOptions, p: BpipeParams): Promise<void> {
  const path = Buffer.from(spec.file, 'utf8');
  const fail = (message: string): void => p.saver.issue({ path, severity: 'error', message: `${p.where} Plugin bpipe: ${message}`, code: 'COMMAND_FAILED' });
  const refused = await p.refusal(spec.reader);
  if (refused !== undefined) {
    fail(`reader refused by the client: ${refused}`);
    return;
  }
  const onStderr = (line: string): void => p.saver.issue({ path, severity: 'info', message: `reader: ${line}` });
  try {
    await p.saver.saveStreamed(virtualAttributes(spec), options, commandPieces(spec.reader, { signal: p.signal, onStderr }));
  } catch (err) {
    if (!(err instanceof CommandFailedError)) throw err;
    fail(`reader ${err.message}; the saved data is incomplete`);
  }
}
