/**
 * CreateBatch: small regular files made together on libuv's pool, each with one
 * openat(O_EXCL|O_NOFOLLOW) (never over an existing name, never through a symlink),
 * its data, owner, mode and times, and close, in one native call (fsx.c createFiles).
 * The caller's thread goes on meanwhile; a batch of many files pays one trip to the
 * pool and back, where a trip per file cost more than its system calls.
 *
 * The batch owns what it needs: a duplicate of each parent directory (the caller may
 * close its own at once, and a descriptor number it reuses for another directory
 * cannot mislead the batch) and a copy of every name and byte.
 */
import { closeSync } from 'node:fs';
import type { Fd, Time } from './types.js';
import type { Binding } from './binding.js';

/** Doubles per file in the plan; the order is fsx.c's (create_one). */
const PLAN_STRIDE = 12;
const STEP_SYSCALLS = ['', 'openat', 'pwrite', 'fchown', 'fchmod', 'futimens', 'close'].map((s) => Buffer.from(s));

export interface NewFileAttributes {
  /** Permission bits (and setuid/setgid/sticky); the type bits are ignored. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly atime: Time;
  readonly mtime: Time;
}

/** What became of one file of a batch: null when made, else the failed call's error (the name is then free again). */
export type CreateResult = NodeJS.ErrnoException | null;

export class CreateBatch {
  private readonly dirs: Fd[] = [];
  private readonly plan: Float64Array;
  private readonly bytes: Buffer;
  private used = 0;
  private files = 0;
  private state: 'open' | 'running' | 'over' = 'open';

  /** Room for `maxFiles` files whose names and data take at most `capacity` bytes. */
  constructor(private readonly b: Binding, capacity: number, readonly maxFiles: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.plan = new Float64Array(PLAN_STRIDE * maxFiles);
  }

  get count(): number {
    return this.files;
  }

  /** Whether a file of `name` and `dataBytes` still fits. */
  fits(name: Buffer, dataBytes: number): boolean {
    return this.files < this.maxFiles && this.used + name.length + dataBytes <= this.bytes.length;
  }

  /** Takes a duplicate of the open directory `dir` for the batch's files to go in; returns its index for add(). */
  addDirectory(dir: Fd): number {
    this.assertOpen();
    this.dirs.push(this.b.dupfd(dir));
    return this.dirs.length - 1;
  }

  /** Adds the file `name` in directory `dir` (an addDirectory index) holding `data` (its pieces in order); returns its index in run()'s results. */
  add(dir: number, name: Buffer, data: readonly Buffer[], attrs: NewFileAttributes): number {
    this.assertOpen();
    const size = data.reduce((n, d) => n + d.length, 0);
    if (dir < 0 || dir >= this.dirs.length) throw new RangeError('CreateBatch: no such directory index');
    if (!this.fits(name, size)) throw new RangeError('CreateBatch: the file does not fit (check fits() first)');
    const nameAt = this.put([name]);
    const dataAt = this.put(data);
    const p = PLAN_STRIDE * this.files;
    this.plan.set([dir, nameAt, name.length, dataAt, size, attrs.mode, attrs.uid, attrs.gid,
      attrs.atime.sec, attrs.atime.nsec, attrs.mtime.sec, attrs.mtime.nsec], p);
    return this.files++;
  }

  /** The bytes of file `index` as added (a view of the batch's copy): for a caller that must write them another way. */
  dataOf(index: number): Buffer {
    if (index < 0 || index >= this.files) throw new RangeError('CreateBatch: no such file index');
    const p = PLAN_STRIDE * index;
    const at = this.plan[p + 3] as number;
    return this.bytes.subarray(at, at + (this.plan[p + 4] as number));
  }

  private put(pieces: readonly Buffer[]): number {
    const at = this.used;
    for (const piece of pieces) this.used += piece.copy(this.bytes, this.used);
    return at;
  }

  /** Makes the files (owners set only when `chown`); resolves with one result per file, in the order added. */
  run(chown: boolean): Promise<CreateResult[]> {
    if (this.state !== 'open') return Promise.reject(new Error('CreateBatch: already run or discarded'));
    const results = new Int32Array(2 * this.files);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.state = 'over';
        const out: CreateResult[] = [];
        for (let i = 0; i < this.files; i++) {
          const errno = results[2 * i] as number;
          out.push(errno === 0 ? null : this.b.errnoError(errno, STEP_SYSCALLS[results[2 * i + 1] as number] ?? STEP_SYSCALLS[1]!));
        }
        resolve(out);
      };
      try {
        // The native call closes the directories once done; the plan and bytes stay referenced until then.
        this.b.createFiles(Int32Array.from(this.dirs), this.plan.subarray(0, PLAN_STRIDE * this.files), this.bytes.subarray(0, this.used), results, chown, done);
        this.state = 'running'; // `done` comes later, never from within the call
      } catch (err) {
        this.discard();
        reject(err);
      }
    });
  }

  /** Empties a batch that has run, for the next files: its buffers are reused. */
  reuse(): void {
    if (this.state !== 'over') throw new Error('CreateBatch: still open or running');
    this.dirs.length = 0; // closed by the native call, or by discard()
    this.used = 0;
    this.files = 0;
    this.state = 'open';
  }

  /** Gives the batch up unrun: closes its directories. */
  discard(): void {
    if (this.state === 'running') return; // the native call closes them
    this.state = 'over';
    for (const fd of this.dirs.splice(0)) closeSync(fd);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error('CreateBatch: already run or discarded');
  }
}
