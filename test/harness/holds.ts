/**
 * Holding a running job at a chosen point, for the fault tests (a daemon killed there):
 * a client run script that says it was reached and then waits while a hold file exists
 * (early: Client Run Before Job, end: Client Run After Job), and a FIFO read with
 * ReadFifo that nobody feeds (mid-data: the data before it is on its way, the job waits
 * at it). Every point is met by the job itself, never guessed with a sleep.
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class JobHolds {
  readonly script: string;
  private readonly holdFile: string;

  /** Writes the hold script into `dir` (an Allowed Script Dir of the File daemon). */
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.script = join(dir, 'hold.sh');
    this.holdFile = join(dir, 'hold');
    // The marker names the point and the JobId (%i); the loop ends when the hold file goes.
    writeFileSync(this.script, `#!/bin/sh\n: > "${dir}/at-$1"\nwhile [ -e "${this.holdFile}" ]; do sleep 0.05; done\n`);
    chmodSync(this.script, 0o755);
  }

  /** The run script line that holds a job at `point` (a word naming it). */
  command(point: string): string {
    return `${this.script} ${point}-%i`;
  }

  /** From now on, scripts reaching their point wait there. */
  hold(): void {
    writeFileSync(this.holdFile, '');
  }

  /** Lets every waiting script (and those to come) go on. */
  release(): void {
    rmSync(this.holdFile, { force: true });
  }

  /** Whether JobId `jobId`'s script reached `point`. */
  reached(point: string, jobId: number): boolean {
    return existsSync(join(this.dir, `at-${point}-${jobId}`));
  }
}

/**
 * Feeds `data` into a FIFO the File daemon reads with ReadFifo: a writer process that
 * opens it (waiting for the reader) and closes it at the end, giving the reader its end.
 * Gives up after `timeoutSeconds` when nobody reads.
 */
export function feedFifo(fifo: string, dataFile: string, timeoutSeconds = 120): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('timeout', [String(timeoutSeconds), 'sh', '-c', 'cat "$1" > "$2"', 'sh', dataFile, fifo], { stdio: 'ignore' });
    child.on('close', (code) => resolve(code));
  });
}

/**
 * A reader held on a FIFO that a restore writes into: opened without waiting, it reads
 * until the first bytes come (the restore has begun writing the FIFO's data) and then
 * stops, so the pipe fills and the restore waits there, mid-data, until close().
 */
export class StalledFifoReader {
  private readonly fd: number;

  constructor(fifo: string) {
    this.fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  /** Reads what has come so far; true once some bytes came. */
  tookSome(): boolean {
    const buf = Buffer.alloc(4096);
    try {
      return readSync(this.fd, buf, 0, buf.length, null) > 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return false;
      throw err;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
