/**
 * The virtual tape (Bareos's and Bacula's `Device Type = VTape`): one file per
 * cartridge that behaves like a tape in an st drive, record for record: records keep
 * their written length, filemarks end tape files, the end of data is where writing
 * stopped, writing anywhere but there erases what follows, a read at a filemark gives
 * 0, early warning and the end of the medium come at the cartridge's capacity, and the
 * drive works in variable or fixed block mode. The byte layout is docs/vtape-format.md.
 *
 * It carries the tests of everything above the raw drive (the tape drive, btape), and
 * lets an administrator try a tape setup without hardware. Fault hooks make a write or
 * a read fail, or the drive lose its position, where a test wants it.
 *
 * On open the entry index (offset and length of every record and filemark) is read
 * into memory, so positioning is a lookup and a record read is one pread. A record cut
 * short by a crash is not part of the tape: it ends the data, as on a real tape where an
 * interrupted write leaves no record.
 */
import { open, realpath, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { takeLockFile } from '../lock-file.js';
import { TapeError, type RawTape, type TapeStatus } from './raw-tape.js';

export const VTAPE_MAGIC = Buffer.from('BRWVTAPE', 'latin1');
export const VTAPE_VERSION = 1;
export const VTAPE_HEADER_SIZE = 64;
/** Header flags (docs/vtape-format.md). */
export const VTAPE_FLAG_WRITE_PROTECTED = 1;
export const VTAPE_FLAG_WORM = 2;
/** A new cartridge's capacity when none is configured: Bacula's vtape is full at 20 GiB. */
/** The entries of a cartridge file's bytes (docs/vtape-format.md): records as buffers, filemarks as null. For tests and tools that look at a cartridge. */
export function cartridgeEntries(bytes: Buffer): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  for (let at = VTAPE_HEADER_SIZE; at + 4 <= bytes.length;) {
    const n = bytes.readUInt32LE(at);
    out.push(n === 0 ? null : bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

export const DEFAULT_VTAPE_CAPACITY = 20 * 1024 ** 3;
const ENTRY_HEADER = 4;

export interface VirtualTapeFaults {
  /** These write calls (counted from 1 since open) fail with EIO and write nothing. */
  failWrites?: readonly number[];
  /** These read calls fail with EIO; the record is passed, as a bad spot on tape is. */
  failReads?: readonly number[];
  /** After this many operations the drive reports file and block as -1 until it rewinds. */
  losePositionAfter?: number;
  /** fsf does nothing (a drive whose fast forward space file is broken). */
  fsfStuck?: boolean;
}

export interface VirtualTapeOptions {
  /** A blank cartridge (an empty file) is formatted with this capacity, in bytes of entries. */
  capacity?: number;
  /** ... and an early-warning zone of this many bytes before it (default: 1% of it, at most 64 MiB). */
  earlyWarning?: number;
  /** A blank cartridge is formatted write-once (WORM). */
  worm?: boolean;
  faults?: VirtualTapeFaults;
}

/** What went through the drive since open: tests count the bytes a restore reads. */
export interface VirtualTapeStats {
  recordsRead: number;
  bytesRead: number;
  recordsWritten: number;
  bytesWritten: number;
  /** Times the cartridge was ejected (offline). */
  offlines: number;
}

interface Medium {
  fh: FileHandle;
  lockPath: string;
  capacity: number;
  earlyWarning: number;
  writeProtected: boolean;
  worm: boolean;
  /** Offset and length (0: a filemark) of every entry, in order. */
  offsets: number[];
  lengths: number[];
  /** Where the data ends: the end of the last whole entry. */
  end: number;
  /** The file's size; more than `end` when a crash left part of a record. */
  fileSize: number;
}

type EarlyWarning = 'before' | 'refuse-next' | 'allow-next';

export class VirtualTape implements RawTape {
  private medium: Medium | null;
  /** The next entry to be read or overwritten; offsets.length at the end of data. */
  private idx = 0;
  private file = 0;
  private block = 0;
  private blockSize = 0;
  private readsAtEod = 0;
  private lastWasWrite = false;
  private earlyWarning: EarlyWarning = 'before';
  private lost = false;
  private ops = 0;
  private writes = 0;
  private reads = 0;
  readonly stats: VirtualTapeStats = { recordsRead: 0, bytesRead: 0, recordsWritten: 0, bytesWritten: 0, offlines: 0 };

  private constructor(readonly path: string, medium: Medium | null, private readonly faults: VirtualTapeFaults) {
    this.medium = medium;
  }

  /**
   * Opens the drive at `path`, as st opens /dev/nst0 with O_NONBLOCK: no file there means
   * no cartridge (every operation then gives ENOMEDIUM); an empty file is a blank
   * cartridge, formatted now; a cartridge open in another drive gives EBUSY.
   */
  static async open(path: string, options: VirtualTapeOptions = {}): Promise<VirtualTape> {
    const faults = options.faults ?? {};
    const real = await realpath(path).catch(() => null);
    if (real === null) return new VirtualTape(path, null, faults);
    const lockPath = `${real}.lock`;
    await takeLock(lockPath, path);
    try {
      return new VirtualTape(path, await loadMedium(path, lockPath, options), faults);
    } catch (err) {
      await rm(lockPath, { force: true });
      throw err;
    }
  }

  async read(buffer: Buffer): Promise<number> {
    const m = this.begin();
    this.lastWasWrite = false;
    this.reads += 1;
    if (this.faults.failReads?.includes(this.reads)) {
      if (this.idx < m.offsets.length) this.pass(m);
      throw new TapeError('EIO', `${this.path}: read ${this.reads} failed (injected fault)`);
    }
    if (this.blockSize > 0) return this.readFixed(m, buffer);
    if (this.idx >= m.offsets.length) return this.readAtEod();
    const length = m.lengths[this.idx]!;
    const offset = m.offsets[this.idx]!;
    this.pass(m);
    if (length === 0) return 0;
    if (length > buffer.length) throw new TapeError('ENOMEM', `${this.path}: a record of ${length} bytes does not fit a buffer of ${buffer.length}`);
    await readExactly(m.fh, buffer, length, offset + ENTRY_HEADER);
    this.count(length);
    return length;
  }

  private async readFixed(m: Medium, buffer: Buffer): Promise<number> {
    const n = this.blockSize;
    if (buffer.length % n !== 0) throw new TapeError('EINVAL', `${this.path}: a read of ${buffer.length} bytes is not a multiple of the block size ${n}`);
    let got = 0;
    while (got < buffer.length) {
      if (this.idx >= m.offsets.length) return got > 0 ? got : this.readAtEod();
      const length = m.lengths[this.idx]!;
      // A filemark ends the read; the data read so far is returned and the next read gives 0.
      if (length === 0) {
        if (got > 0) return got;
        this.pass(m);
        return 0;
      }
      if (length !== n) {
        if (got > 0) return got;
        this.pass(m); // st reports the wrong length and leaves the record behind, as ENOMEM does in variable mode
        throw new TapeError('EIO', `${this.path}: a record of ${length} bytes in fixed-block mode of ${n}`);
      }
      await readExactly(m.fh, buffer.subarray(got), n, m.offsets[this.idx]! + ENTRY_HEADER);
      this.pass(m);
      this.count(n);
      got += n;
    }
    return got;
  }

  /** At the end of data: 0 once (st's second zero read), then EIO. */
  private readAtEod(): number {
    this.readsAtEod += 1;
    if (this.readsAtEod === 1) return 0;
    throw new TapeError('EIO', `${this.path}: read past the end of data`);
  }

  private count(bytes: number): void {
    this.stats.recordsRead += 1;
    this.stats.bytesRead += bytes;
  }

  /** Moves past the entry at the position, counting a filemark as a new file. */
  private pass(m: Medium): void {
    if (m.lengths[this.idx] === 0) {
      this.file += 1;
      this.block = 0;
    } else if (this.block >= 0) {
      this.block += 1;
    }
    this.idx += 1;
  }

  async write(buffer: Buffer): Promise<number> {
    const m = this.begin();
    this.mayWrite(m);
    if (buffer.length === 0) throw new TapeError('EINVAL', `${this.path}: a write of 0 bytes`);
    const n = this.blockSize;
    if (n > 0 && buffer.length % n !== 0) throw new TapeError('EINVAL', `${this.path}: a write of ${buffer.length} bytes is not a multiple of the block size ${n}`);
    this.writes += 1;
    if (this.faults.failWrites?.includes(this.writes)) throw new TapeError('EIO', `${this.path}: write ${this.writes} failed (injected fault)`);
    const records = n > 0 ? buffer.length / n : 1;
    const recordLength = n > 0 ? n : buffer.length;
    const at = this.positionOffset(m);
    const used = at - VTAPE_HEADER_SIZE;
    const size = records * (ENTRY_HEADER + recordLength);
    if (used + size > m.capacity) throw new TapeError('ENOSPC', `${this.path}: end of medium (capacity ${m.capacity} bytes)`);
    if (used < m.capacity - m.earlyWarning) this.earlyWarning = 'before';
    if (this.earlyWarning === 'refuse-next') {
      this.earlyWarning = 'allow-next';
      throw new TapeError('ENOSPC', `${this.path}: early warning, end of medium near`);
    }
    const out = Buffer.allocUnsafe(size);
    for (let r = 0; r < records; r += 1) {
      const base = r * (ENTRY_HEADER + recordLength);
      out.writeUInt32LE(recordLength, base);
      buffer.copy(out, base + ENTRY_HEADER, r * recordLength, (r + 1) * recordLength);
    }
    await this.append(m, at, out, Array(records).fill(recordLength));
    if (used + size >= m.capacity - m.earlyWarning) this.earlyWarning = 'refuse-next';
    if (this.block >= 0) this.block += records;
    this.lastWasWrite = true;
    this.stats.recordsWritten += records;
    this.stats.bytesWritten += buffer.length;
    return buffer.length;
  }

  async weof(count = 1): Promise<void> {
    const m = this.begin();
    if (count === 0) {
      await m.fh.sync();
      return;
    }
    this.mayWrite(m);
    const at = this.positionOffset(m);
    await this.append(m, at, Buffer.alloc(count * ENTRY_HEADER), Array(count).fill(0));
    this.file += count;
    this.block = 0;
    this.lastWasWrite = false;
  }

  private mayWrite(m: Medium): void {
    if (m.writeProtected) throw new TapeError('EACCES', `${this.path}: the cartridge is write-protected`);
    if (m.worm && this.idx < m.offsets.length) throw new TapeError('EIO', `${this.path}: a WORM cartridge is not written before its end of data`);
  }

  private positionOffset(m: Medium): number {
    return this.idx < m.offsets.length ? m.offsets[this.idx]! : m.end;
  }

  /** Writes entries at `at`, erasing everything after it first when it is not the end of data. */
  private async append(m: Medium, at: number, bytes: Buffer, lengths: number[]): Promise<void> {
    if (m.fileSize > at) {
      await m.fh.truncate(at);
      m.offsets.length = this.idx;
      m.lengths.length = this.idx;
      m.fileSize = at;
      m.end = at;
    }
    await writeExactly(m.fh, bytes, at);
    let offset = at;
    for (const length of lengths) {
      m.offsets.push(offset);
      m.lengths.push(length);
      offset += ENTRY_HEADER + length;
    }
    m.end = offset;
    m.fileSize = offset;
    this.idx = m.offsets.length;
    this.readsAtEod = 0;
  }

  async fsf(count = 1): Promise<void> {
    const m = this.begin();
    this.readsAtEod = 0;
    this.lastWasWrite = false;
    if (this.faults.fsfStuck) return;
    for (let i = 0; i < count; i += 1) {
      const mark = m.lengths.indexOf(0, this.idx);
      if (mark < 0) {
        this.idx = m.offsets.length;
        this.block = -1;
        throw new TapeError('EIO', `${this.path}: end of data before filemark ${i + 1} of ${count}`);
      }
      this.idx = mark + 1;
      this.file += 1;
      this.block = 0;
    }
  }

  async bsf(count = 1): Promise<void> {
    const m = this.begin();
    this.readsAtEod = 0;
    await this.pendingFilemark();
    for (let i = 0; i < count; i += 1) {
      const mark = this.idx === 0 ? -1 : m.lengths.lastIndexOf(0, this.idx - 1);
      if (mark < 0) {
        this.atBot();
        throw new TapeError('EIO', `${this.path}: beginning of tape before filemark ${i + 1} of ${count}`);
      }
      this.idx = mark;
      this.file -= 1;
      this.block = -1;
    }
  }

  async fsr(count = 1): Promise<void> {
    const m = this.begin();
    this.readsAtEod = 0;
    this.lastWasWrite = false;
    for (let i = 0; i < count; i += 1) {
      if (this.idx >= m.offsets.length) throw new TapeError('EIO', `${this.path}: end of data after ${i} of ${count} records`);
      const mark = m.lengths[this.idx] === 0;
      this.pass(m);
      if (mark) throw new TapeError('EIO', `${this.path}: filemark after ${i} of ${count} records`);
    }
  }

  async bsr(count = 1): Promise<void> {
    const m = this.begin();
    await this.pendingFilemark();
    for (let i = 0; i < count; i += 1) {
      if (this.idx === 0) throw new TapeError('EIO', `${this.path}: beginning of tape after ${i} of ${count} records`);
      this.idx -= 1;
      this.readsAtEod = 0;
      if (m.lengths[this.idx] === 0) {
        this.file -= 1;
        this.block = -1;
        throw new TapeError('EIO', `${this.path}: filemark after ${i} of ${count} records`);
      }
      if (this.block > 0) this.block -= 1;
      else this.block = -1;
    }
  }

  async rewind(): Promise<void> {
    this.begin();
    await this.pendingFilemark();
    this.atBot();
    this.lost = false;
  }

  async eom(): Promise<void> {
    const m = this.begin();
    this.lastWasWrite = false;
    this.idx = m.offsets.length;
    this.file = m.lengths.filter((l) => l === 0).length;
    this.block = -1;
    this.readsAtEod = 0;
  }

  async offline(): Promise<void> {
    this.begin();
    this.stats.offlines += 1;
    await this.close();
  }

  async status(): Promise<TapeStatus> {
    const m = this.medium;
    if (!m) {
      return { online: false, doorOpen: true, bot: false, eof: false, eot: false, eod: false, writeProtected: false, file: -1, block: -1, blockSize: this.blockSize };
    }
    const at = this.positionOffset(m);
    return {
      online: true,
      doorOpen: false,
      bot: this.idx === 0,
      eof: this.idx > 0 && m.lengths[this.idx - 1] === 0,
      eot: at - VTAPE_HEADER_SIZE >= m.capacity - m.earlyWarning,
      eod: this.idx >= m.offsets.length,
      writeProtected: m.writeProtected,
      file: this.lost ? -1 : this.file,
      block: this.lost ? -1 : this.block,
      blockSize: this.blockSize,
    };
  }

  async setBlockSize(bytes: number): Promise<void> {
    if (!Number.isInteger(bytes) || bytes < 0) throw new TapeError('EINVAL', `${this.path}: block size ${bytes}`);
    this.blockSize = bytes;
  }

  async close(): Promise<void> {
    const m = this.medium;
    if (!m) return;
    try {
      await this.pendingFilemark();
      await m.fh.sync();
    } finally {
      this.medium = null;
      await m.fh.close();
      await rm(m.lockPath, { force: true });
    }
  }

  private atBot(): void {
    this.idx = 0;
    this.file = 0;
    this.block = 0;
    this.readsAtEod = 0;
  }

  /** st writes a filemark before it rewinds, backspaces or closes after a write. */
  private async pendingFilemark(): Promise<void> {
    if (this.lastWasWrite) await this.weof(1);
  }

  /** The medium, for an operation; counts it for the lost-position fault. */
  private begin(): Medium {
    if (!this.medium) throw new TapeError('ENOMEDIUM', `${this.path}: no cartridge in the drive`);
    this.ops += 1;
    if (this.faults.losePositionAfter !== undefined && this.ops > this.faults.losePositionAfter) this.lost = true;
    return this.medium;
  }
}

/**
 * A cartridge is open in one drive of one program at a time (st allows one open of a
 * drive): another Storage daemon, or burrow-btape on a drive the daemon holds, is told
 * who holds it.
 */
async function takeLock(lockPath: string, path: string): Promise<void> {
  if (await takeLockFile(lockPath)) return;
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  const who = holder === process.pid ? 'another drive of this process' : Number.isInteger(holder) ? `process ${holder}` : 'another program';
  throw new TapeError('EBUSY', `${path}: the cartridge is in use by ${who} (lock file ${lockPath}); a drive is open in one program at a time`);
}

async function loadMedium(path: string, lockPath: string, options: VirtualTapeOptions): Promise<Medium> {
  let fh: FileHandle;
  let readOnly = false;
  try {
    fh = await open(path, 'r+');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw err;
    fh = await open(path, 'r');
    readOnly = true;
  }
  try {
    let size = (await fh.stat()).size;
    if (size === 0 && !readOnly) {
      await fh.write(formatHeader(options), 0, VTAPE_HEADER_SIZE, 0);
      await fh.sync();
      size = VTAPE_HEADER_SIZE;
    }
    const header = Buffer.alloc(VTAPE_HEADER_SIZE);
    const { bytesRead } = await fh.read(header, 0, VTAPE_HEADER_SIZE, 0);
    const problem = headerProblem(header, bytesRead);
    if (problem) throw new TapeError('EIO', `${path} is not a virtual tape cartridge: ${problem}`);
    const flags = header.readUInt16LE(10);
    const medium: Medium = {
      fh, lockPath,
      capacity: Number(header.readBigUInt64LE(16)),
      earlyWarning: Number(header.readBigUInt64LE(24)),
      writeProtected: readOnly || (flags & VTAPE_FLAG_WRITE_PROTECTED) !== 0,
      worm: (flags & VTAPE_FLAG_WORM) !== 0,
      offsets: [], lengths: [], end: VTAPE_HEADER_SIZE, fileSize: size,
    };
    await indexEntries(medium);
    return medium;
  } catch (err) {
    await fh.close();
    throw err;
  }
}

function formatHeader(options: VirtualTapeOptions): Buffer {
  const capacity = options.capacity ?? DEFAULT_VTAPE_CAPACITY;
  const earlyWarning = options.earlyWarning ?? Math.min(Math.floor(capacity / 100), 64 * 1024 * 1024);
  if (!(capacity > 0) || !(earlyWarning >= 0) || earlyWarning >= capacity) {
    throw new TapeError('EINVAL', `a virtual tape needs a capacity above its early-warning zone (capacity ${capacity}, early warning ${earlyWarning})`);
  }
  const h = Buffer.alloc(VTAPE_HEADER_SIZE);
  VTAPE_MAGIC.copy(h, 0);
  h.writeUInt16LE(VTAPE_VERSION, 8);
  h.writeUInt16LE(options.worm ? VTAPE_FLAG_WORM : 0, 10);
  h.writeBigUInt64LE(BigInt(capacity), 16);
  h.writeBigUInt64LE(BigInt(earlyWarning), 24);
  return h;
}

function headerProblem(h: Buffer, bytesRead: number): string | null {
  if (bytesRead < VTAPE_HEADER_SIZE || !h.subarray(0, 8).equals(VTAPE_MAGIC)) return 'no BRWVTAPE magic';
  const version = h.readUInt16LE(8);
  if (version !== VTAPE_VERSION) return `format version ${version}, this program reads ${VTAPE_VERSION}`;
  return null;
}

/** Reads every entry's length word: the index positioning works on. A partial entry at the end is not data. */
async function indexEntries(m: Medium): Promise<void> {
  const word = Buffer.alloc(ENTRY_HEADER);
  let offset = VTAPE_HEADER_SIZE;
  while (offset + ENTRY_HEADER <= m.fileSize) {
    await readExactly(m.fh, word, ENTRY_HEADER, offset);
    const length = word.readUInt32LE(0);
    if (offset + ENTRY_HEADER + length > m.fileSize) break;
    m.offsets.push(offset);
    m.lengths.push(length);
    offset += ENTRY_HEADER + length;
  }
  m.end = offset;
}

async function readExactly(fh: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new TapeError('EIO', `unexpected end of the cartridge file at ${position + done}`);
    done += bytesRead;
  }
}

async function writeExactly(fh: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await fh.write(buffer, done, buffer.length - done, position + done);
    done += bytesWritten;
  }
}
