/**
 * FIFOs and device nodes: Node has no mkfifo/mknod, so the coreutils programs make
 * them. Their arguments are strings, but our directory names are bytes that need not
 * be UTF-8; so the parent directory is handed to the child as file descriptor 3 and
 * the node is named `/proc/self/fd/3/<ascii temp name>`.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { BurrowError } from '@burrow/common/errors/index';

export type SpecialNode = { kind: 'fifo' } | { kind: 'char' | 'block'; major: number; minor: number };

function runWithDirFd(cmd: string, args: string[], fd: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe', fd], signal });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (err) => reject(new BurrowError('FILE_ACCESS', `${cmd}: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BurrowError('FILE_ACCESS', `${cmd} failed: ${stderr.trim() || `exit ${code}`}`));
    });
  });
}

/** Creates a FIFO or device node called `name` (ASCII) in `dir`, mode 0600. */
export async function makeSpecialNode(dir: Buffer, name: string, node: SpecialNode, signal: AbortSignal): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const at = `/proc/self/fd/3/${name}`;
    const args =
      node.kind === 'fifo'
        ? ['-m', '600', at]
        : ['-m', '600', at, node.kind === 'char' ? 'c' : 'b', String(node.major), String(node.minor)];
    await runWithDirFd(node.kind === 'fifo' ? 'mkfifo' : 'mknod', args, handle.fd, signal);
  } finally {
    await handle.close();
  }
}
