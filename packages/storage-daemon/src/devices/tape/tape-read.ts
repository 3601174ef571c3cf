/** A tape volume open for reading (tape-drive.ts's openRead). */
import type { burrow } from '@burrow/common/proto/generated';
import type { BlockRead, MountedVolume, ReadVolume } from '../drive.js';
import { isTapeError, type RawTape } from './raw-tape.js';
import { splitAddress, tapeAddress, type TapeHead } from './tape-head.js';
import { blockOfRecord, MAX_RECORDS_SEARCHED, tapeFailure, type TapeDriveAccess } from './tape-records.js';

/** A tape volume open for reading: each read positions the tape unless it is already there. */
export class TapeReadVolume implements ReadVolume {
  readonly volumeName: string;
  readonly label: burrow.VolumeLabel;
  readonly tape = true;
  private closed = false;
  /** Where the head is after this volume's last read. */
  private next: number | null = null;

  constructor(private readonly drive: TapeDriveAccess, mounted: MountedVolume, private readonly onClosed: () => void) {
    this.volumeName = mounted.volumeName;
    this.label = mounted.label;
  }

  firstAddress(): number {
    return 0;
  }

  readBlock(addr: number, signal?: AbortSignal): Promise<BlockRead> {
    signal?.throwIfAborted();
    return this.drive.run(async (raw, head) => {
      if (this.drive.owner !== this || this.next !== addr) {
        const { file, block } = splitAddress(addr);
        this.drive.owner = this;
        if (!(await head.goTo(file, block))) {
          this.next = null;
          return { kind: 'end', addr };
        }
      }
      return this.readHere(raw, addr);
    });
  }

  /** Reads the record at the head, which is at `addr`; a filemark leads on to the next file. */
  private async readHere(raw: RawTape, addr: number): Promise<BlockRead> {
    const buffer = this.drive.recordBuffer();
    let at = addr;
    for (let marks = 0; ; ) {
      let n: number;
      try {
        n = await raw.read(buffer);
      } catch (err) {
        this.next = null;
        if (isTapeError(err, 'EIO')) {
          // After a zero read, the end of the data; else a record this drive could not read
          // (passed): cut short when it was the last one, damaged otherwise.
          if (marks > 0) return { kind: 'end', addr: at };
          const s = await raw.status();
          return { kind: s.eod ? 'truncated' : 'corrupt', addr: at, problem: err.message };
        }
        throw tapeFailure(this.drive.printName, `cannot read Volume "${this.volumeName}"`, err);
      }
      if (n > 0) {
        const read = blockOfRecord(buffer.subarray(0, n), at, at + 1);
        this.next = at + 1;
        // The reader keeps what it wants of a block; the drive's buffer is read into again.
        return read.kind === 'block' ? { ...read, payload: Buffer.from(read.payload) } : read;
      }
      marks += 1;
      const { file } = splitAddress(at);
      at = tapeAddress(file + 1, 0);
      this.next = at;
      // Two zero reads in a row: the end of the data.
      if (marks > 1) return { kind: 'end', addr: at };
    }
  }

  findNextBlock(addr: number, signal?: AbortSignal): Promise<number | null> {
    return this.drive.run(async (raw, head) => {
      const { file, block } = splitAddress(addr);
      this.drive.owner = this;
      this.next = null;
      if (!(await head.goTo(file, block + 1))) {
        if (!(await head.goTo(file + 1, 0))) return null;
      }
      let at = (await head.where()).file === file ? addr + 1 : tapeAddress(file + 1, 0);
      for (let records = 0; records < MAX_RECORDS_SEARCHED; records += 1) {
        signal?.throwIfAborted();
        const read = await this.readHere(raw, at);
        if (read.kind === 'end') return null;
        if (read.kind === 'block') {
          this.next = null;  // the reader reads it again from its address
          return read.addr;
        }
        at = this.next ?? read.addr + 1;
      }
      return null;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.drive.owner === this) this.drive.owner = null;
    this.onClosed();
  }
}
