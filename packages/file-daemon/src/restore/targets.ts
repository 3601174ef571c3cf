/**
 * Where a restored file's data goes when it is not a new regular file: into a
 * command's standard input (bpipe's writer), into an existing FIFO (readfifo), or
 * into an existing block device (a raw partition). Data records arrive in offset
 * order; gaps (a raw device's runs of zeros left out with `sparse`) are written as
 * zeros, because a device's old contents must not show through. The digest is
 * checked when the previous file's algorithm guessed it (as PendingFile does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { write } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { closeFd, type Fd } from '@burrow/fsx';
import { BurrowError } from '@burrow/common/errors/index';
import { splitCommand } from '@burrow/common/scripts/command';
import { burrow } from '@burrow/common/proto/generated';
import { readDataPayload } from '../backup/index.js';
import { decodeChunk } from '../backup/codec.js';
import type { CommitResult, DigestGuess } from './regular.js';
import type { Hasher } from '../digest/hashers.js';

const writeAsync = promisify(write);

/** What the restore writer feeds a file's data records into. */
export interface DataTarget {
  /**
   * Takes one data payload; resolves with the file bytes it carries once the target
   * may be given the next. `release`, when the target calls it, says it holds no view
   * of `payload` any more (its frame may be reused); a target that cannot tell never calls it.
   */
  write(stream: burrow.Stream, payload: Buffer, release?: () => void): Promise<number>;
  setDigest(d: burrow.FileDigest): void;
  commit(): Promise<CommitResult>;
  /** Gives the file up; resolves once nothing more is written to it (the name may go at once). */
  abandon(): Promise<void>;
}

/** Where the bytes go, in order; `end` says whether all went well. */
interface Output {
  put(bytes: Buffer, offset: number): Promise<void>;
  end(): Promise<string | null>;
  kill(): void;
}

const ZEROS = Buffer.alloc(64 * 1024);

export class OrderedTarget implements DataTarget {
  // Never releases a payload: a pipe's stream may still hold the bytes after a write resolves.
  private at = 0;
  private hash: Hasher | null;
  private expected: burrow.FileDigest | null = null;

  constructor(private readonly out: Output, private readonly digest: DigestGuess, private readonly size: number | null) {
    this.hash = digest.hashers.open(digest.guess) ?? null;
  }

  private async put(bytes: Buffer): Promise<void> {
    await this.out.put(bytes, this.at);
    this.hash?.update(bytes);
    this.at += bytes.length;
  }

  private async zerosTo(offset: number): Promise<void> {
    while (this.at < offset) await this.put(ZEROS.subarray(0, Math.min(ZEROS.length, offset - this.at)));
  }

  async write(stream: burrow.Stream, payload: Buffer): Promise<number> {
    const { offset, body } = readDataPayload(payload);
    if (offset < this.at) throw new BurrowError('VOLUME_FORMAT', `data at offset ${offset} after offset ${this.at}: out of order`);
    const bytes = await decodeChunk(stream, body);
    await this.zerosTo(offset);
    await this.put(bytes);
    return bytes.length;
  }

  setDigest(d: burrow.FileDigest): void {
    this.expected = d;
  }

  async commit(): Promise<CommitResult> {
    if (this.size !== null) await this.zerosTo(this.size);
    const failed = await this.out.end();
    if (failed !== null) return { error: failed, warnings: [] };
    const e = this.expected;
    if (e === null || this.hash === null || e.algorithm !== this.digest.guess) return { error: null, warnings: [] };
    const got = this.hash.digest();
    const want = Buffer.from(e.value);
    return { error: got.equals(want) ? null : `digest mismatch: saved ${want.toString('hex')}, restored ${got.toString('hex')}`, warnings: [] };
  }

  abandon(): Promise<void> {
    this.out.kill();
    return Promise.resolve();
  }
}

/** A block device opened for writing: bytes go to their offsets. */
export function deviceOutput(fd: Fd): Output {
  let open = true;
  const close = (): void => { if (open) { open = false; closeFd(fd); } };
  return {
    async put(bytes, offset) {
      for (let done = 0; done < bytes.length; ) {
        const n = (await writeAsync(fd, bytes, done, bytes.length - done, offset + done)).bytesWritten;
        if (n === 0) throw new BurrowError('FILE_ACCESS', `the device ends at ${offset + done} bytes: too small for the saved data`);
        done += n;
      }
    },
    async end() { close(); return null; },
    kill: close,
  };
}

/**
 * A FIFO opened O_WRONLY|O_NONBLOCK: a full pipe (EAGAIN) is waited out, until the job
 * ends (a reader that stopped reading must not hold a canceled restore forever).
 */
export function fifoOutput(fd: Fd, signal: AbortSignal): Output {
  let open = true;
  const close = (): void => { if (open) { open = false; closeFd(fd); } };
  return {
    async put(bytes) {
      for (let done = 0; done < bytes.length; ) {
        try {
          done += (await writeAsync(fd, bytes, done, bytes.length - done, null)).bytesWritten;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          signal.throwIfAborted();
          await sleep(5);
        }
      }
    },
    async end() { close(); return null; },
    kill: close,
  };
}

/** A command (bpipe's writer) reading the data on its standard input; its exit status decides. */
export function commandOutput(command: string, signal: AbortSignal, onStderr: (line: string) => void): Output {
  const [program, ...args] = splitCommand(command);
  const child: ChildProcess = spawn(program as string, args, { stdio: ['pipe', 'ignore', 'pipe'], signal });
  const ended = new Promise<string | null>((resolve) => {
    child.on('error', (err) => resolve(`writer "${command}" cannot run: ${err.message}`));
    child.on('close', (code, sig) => resolve(sig ? `writer "${command}" killed by ${sig}` : code === 0 ? null : `writer "${command}" failed: exit status ${code}`));
  });
  child.stderr?.on('data', (d: Buffer) => { for (const l of d.toString('utf8').split('\n')) if (l !== '') onStderr(l); });
  const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
  let broken: Error | null = null;
  stdin.on('error', (err) => { broken = err; });
  return {
    async put(bytes) {
      if (broken !== null) throw new BurrowError('FILE_ACCESS', `writer "${command}" stopped reading: ${broken.message}`);
      if (!stdin.write(bytes)) await new Promise<void>((resolve) => { stdin.once('drain', resolve); stdin.once('close', resolve); });
    },
    async end() {
      stdin.end();
      return ended;
    },
    kill() { child.kill('SIGTERM'); },
  };
}
