/**
 * The standard output of a command as a file's data (bpipe). The command runs
 * without a shell; its standard error goes to the job log line by line. Its exit
 * status decides: anything but 0 (or a command that cannot start) is thrown as a
 * CommandFailedError once its output has been read, so a failing dump is never
 * taken for a good, short one.
 */
import { spawn } from 'node:child_process';
import { splitCommand } from '@burrow/common/scripts/command';

export class CommandFailedError extends Error {}

export async function* commandPieces(command: string, o: { signal: AbortSignal; onStderr: (line: string) => void }): AsyncGenerator<Buffer> {
  const [program, ...args] = splitCommand(command);
  const child = spawn(program as string, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
  const ended = new Promise<string | null>((resolve) => {
    child.on('error', (err) => resolve(`cannot run: ${err.message}`));
    child.on('close', (code, sig) => resolve(sig ? `killed by ${sig}` : code === 0 ? null : `exit status ${code}`));
  });
  let rest = '';
  child.stderr.on('data', (d: Buffer) => {
    const lines = (rest + d.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) o.onStderr(l);
  });
  try {
    for await (const piece of child.stdout) yield piece as Buffer;
  } finally {
    // Stopped early (a failing sink, a cancel): the command must not outlive the job.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  const failure = await ended;
  if (rest !== '') o.onStderr(rest);
  if (failure !== null) throw new CommandFailedError(`"${command}" failed: ${failure}`);
}
