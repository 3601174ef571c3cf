/**
 * The Linux tape (Bareos's `Device Type = Tape`, /dev/nst*): a RawTape over the st
 * driver. Records go through read(2) and write(2) on the non-rewinding device (in
 * variable-block mode one write is one record); everything else is one MTIOCTOP,
 * MTIOCGET or MTIOCPOS ioctl (mtio.ts encodes them), made by the `ioctl` function it
 * is given: the native addon's (@burrow/fsx) in the daemon.
 *
 * It is kept thin on purpose: the tape semantics, Bareos's directives and the volume
 * logic live above it (tape-head.ts, tape-drive.ts) and are tested on the virtual tape;
 * this file cannot be exercised on machines without an st driver, so only its ioctl
 * encoding has unit tests here (mtio.test.ts). The tape-semantics suite
 * (tape-semantics.ts) is what a real drive should pass.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { TapeError, type RawTape, type TapeErrno, type TapeStatus } from './raw-tape.js';
import { decodeMtget, encodeMtop, MTGET_SIZE, MTIOCGET, MTIOCTOP, statusOf, type MtOp } from './mtio.js';

/** ioctl(2) on an open descriptor with a request and its argument's memory; throws Node-style errors (code = errno name). */
export type Ioctl = (fd: number, request: number, arg: Buffer) => void;

const ERRNOS: ReadonlySet<string> = new Set<TapeErrno>(['EIO', 'ENOSPC', 'ENOMEM', 'EINVAL', 'ENOMEDIUM', 'EBUSY', 'EACCES']);

function tapeError(path: string, what: string, err: unknown): TapeError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  // Anything st says that is not one of the tape errnos is an I/O failure to the layers above.
  const errno = (ERRNOS.has(code) ? code : code === 'EROFS' ? 'EACCES' : 'EIO') as TapeErrno;
  return new TapeError(errno, `${path}: ${what}: ${(err as Error).message}`, { cause: err });
}

export class LinuxTape implements RawTape {
  private constructor(readonly path: string, private readonly fh: FileHandle, private readonly ioctl: Ioctl) {}

  /**
   * Opens the drive as Bareos does: O_NONBLOCK, so a drive with no tape opens (and
   * reports itself offline); read-only when the tape is write-protected.
   */
  static async open(path: string, ioctl: Ioctl): Promise<LinuxTape> {
    const flags = constants.O_NONBLOCK;
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_RDWR | flags);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // st lets one program open a drive at a time: another Storage daemon, mt or btape has it.
      if (code === 'EBUSY') throw new TapeError('EBUSY', `${path}: the drive is in use by another program (the st driver allows one open at a time)`, { cause: err });
      if (code !== 'EACCES' && code !== 'EROFS') throw tapeError(path, 'open', err);
      fh = await open(path, constants.O_RDONLY | flags).catch((e: unknown) => { throw tapeError(path, 'open', e); });
    }
    return new LinuxTape(path, fh, ioctl);
  }

  private op(op: MtOp, count: number): void {
    try {
      this.ioctl(this.fh.fd, MTIOCTOP, encodeMtop(op, count));
    } catch (err) {
      throw tapeError(this.path, `${op} ${count}`, err);
    }
  }

  async read(buffer: Buffer): Promise<number> {
    try {
      return (await this.fh.read(buffer, 0, buffer.length, null)).bytesRead;
    } catch (err) {
      throw tapeError(this.path, 'read', err);
    }
  }

  async write(buffer: Buffer): Promise<number> {
    let n: number;
    try {
      n = (await this.fh.write(buffer, 0, buffer.length, null)).bytesWritten;
    } catch (err) {
      throw tapeError(this.path, 'write', err);
    }
    // A short write is the end of the medium (st returns what fitted before it).
    if (n < buffer.length) throw new TapeError('ENOSPC', `${this.path}: write of ${buffer.length} bytes wrote ${n}`);
    return n;
  }

  async weof(count = 1): Promise<void> { this.op('MTWEOF', count); }
  async fsf(count = 1): Promise<void> { this.op('MTFSF', count); }
  async bsf(count = 1): Promise<void> { this.op('MTBSF', count); }
  async fsr(count = 1): Promise<void> { this.op('MTFSR', count); }
  async bsr(count = 1): Promise<void> { this.op('MTBSR', count); }
  async rewind(): Promise<void> { this.op('MTREW', 1); }
  async eom(): Promise<void> { this.op('MTEOM', 1); }
  async offline(): Promise<void> { this.op('MTOFFL', 1); }
  async setBlockSize(bytes: number): Promise<void> { this.op('MTSETBLK', bytes); }

  async status(): Promise<TapeStatus> {
    const buf = Buffer.alloc(MTGET_SIZE);
    try {
      this.ioctl(this.fh.fd, MTIOCGET, buf);
    } catch (err) {
      throw tapeError(this.path, 'MTIOCGET', err);
    }
    return statusOf(decodeMtget(buf));
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
