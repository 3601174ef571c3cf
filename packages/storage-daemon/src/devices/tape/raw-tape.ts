/**
 * The raw tape drive: what Linux's st driver offers through read(2), write(2) and the
 * MTIOCTOP / MTIOCGET ioctls (Documentation/scsi/st.rst), as a small typed interface.
 * The virtual tape (vtape.ts) and the Linux tape (linux-tape.ts) implement it; the tape
 * drive of the Storage daemon (tape-drive.ts) and burrow-btape work over it alone, and
 * the tape-semantics suite (tape-semantics.ts) says what every implementation must do.
 *
 * Terms: a *record* is what one write(2) puts on tape in variable-block mode; a
 * *filemark* (FM) ends a tape *file*; *end of data* (EOD) is where nothing was ever
 * written after; *early warning* (EW) is the zone before the physical end of medium
 * where st starts refusing writes every other time. Positions are (file, block): the
 * file number counts the filemarks passed since the beginning of tape (BOT), the block
 * number counts the records passed since the last filemark; either is -1 when the
 * drive does not know it (st after backspacing over a filemark, or a lost position).
 *
 * Errors carry st's errno, because what a caller does depends on exactly which one
 * (ENOSPC is the end of the medium, ENOMEM a record larger than the buffer, EIO at a
 * filemark or past the end of data is expected while positioning).
 */

/** The errnos a tape drive answers with (st.rst, "Return values"). */
export type TapeErrno = 'EIO' | 'ENOSPC' | 'ENOMEM' | 'EINVAL' | 'ENOMEDIUM' | 'EBUSY' | 'EACCES';

export class TapeError extends Error {
  constructor(readonly errno: TapeErrno, message: string, options?: { cause?: unknown }) {
    super(`${errno}: ${message}`, options);
    this.name = 'TapeError';
  }
}

export function isTapeError(err: unknown, errno?: TapeErrno): err is TapeError {
  return err instanceof TapeError && (errno === undefined || err.errno === errno);
}

/** MTIOCGET's answer, decoded (the gstat bits of linux/mtio.h as booleans). */
export interface TapeStatus {
  /** A medium is in the drive and ready (GMT_ONLINE). */
  online: boolean;
  /** No medium, the door open (GMT_DR_OPEN). */
  doorOpen: boolean;
  /** At the beginning of the tape (GMT_BOT). */
  bot: boolean;
  /** Just past a filemark (GMT_EOF). */
  eof: boolean;
  /** In the early-warning zone or past it (GMT_EOT). */
  eot: boolean;
  /** At the end of the recorded data (GMT_EOD). */
  eod: boolean;
  writeProtected: boolean;
  /** The file number, -1 when unknown. */
  file: number;
  /** The block number within the file, -1 when unknown. */
  block: number;
  /** 0: variable-block mode; n > 0: fixed blocks of n bytes. */
  blockSize: number;
}

/**
 * One tape drive with the medium in it. Every operation is one st call: counts go in,
 * errors come out as TapeError, nothing is retried or emulated here (that is the tape
 * drive's job, after Bareos's device directives). Calls must not overlap.
 */
export interface RawTape {
  /** For messages: the device path. */
  readonly path: string;
  /**
   * Variable mode: one record into `buffer` (ENOMEM when it is larger, and the record
   * is skipped). Fixed mode: as many blocks as fit (the length must be a multiple of
   * the block size, EINVAL otherwise), stopping before a filemark. 0 at a filemark
   * (moved past it), and once at the end of data; EIO on a read after that.
   */
  read(buffer: Buffer): Promise<number>;
  /**
   * Variable mode: one record of buffer.length bytes. Fixed mode: buffer.length must be
   * a multiple of the block size (EINVAL). Writing anywhere but at the end of data
   * erases everything after the position. ENOSPC: early warning (every other write) or
   * the end of the medium; EACCES: write-protected.
   */
  write(buffer: Buffer): Promise<number>;
  /** Writes `count` filemarks (0 only flushes the drive's buffer); allowed in the early-warning zone. */
  weof(count?: number): Promise<void>;
  /** Forward past `count` filemarks; EIO when the data ends first. */
  fsf(count?: number): Promise<void>;
  /** Back over `count` filemarks, ending on their BOT side (block -1); EIO at BOT. */
  bsf(count?: number): Promise<void>;
  /** Forward over `count` records; a filemark stops it (moved past, EIO). */
  fsr(count?: number): Promise<void>;
  /** Back over `count` records; a filemark stops it (moved before it, EIO); EIO at BOT. */
  bsr(count?: number): Promise<void>;
  /** To BOT; a filemark is written first if the last operation was a write. */
  rewind(): Promise<void>;
  /** To the end of data, ready to append (MTEOM). */
  eom(): Promise<void>;
  /** Rewinds and ejects (MTOFFL); the drive then has no medium until it is opened again. */
  offline(): Promise<void>;
  status(): Promise<TapeStatus>;
  /** MTSETBLK: 0 for variable blocks, n > 0 for fixed blocks of n bytes. */
  setBlockSize(bytes: number): Promise<void>;
  /** Releases the drive; a filemark is written first if the last operation was a write. */
  close(): Promise<void>;
}

/** Opens the drive at a path (the drive's medium is what is in it then). */
export type RawTapeOpener = () => Promise<RawTape>;
