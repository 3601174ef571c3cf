/**
 * Positioning a raw tape the way Bareos's device directives say the drive can be
 * positioned (generic_tape_device.cc): to a (file, block) address, to the end of data,
 * forward over files. It is shared by the tape drive and burrow-btape, for the virtual
 * tape and the Linux tape alike; a drive whose hardware cannot do an operation well is
 * configured to have it done in software here, as in Bareos:
 *
 * - `Hardware End Of Medium = no`: the end of data is found by spacing forward file by
 *   file from BOT instead of MTEOM;
 * - `Fast Forward Space File = no`: fsf is done by reading records up to each filemark
 *   instead of MTFSF;
 * - `BSF At EOM`: after MTEOM the drive is backspaced over a filemark it stopped after
 *   (a drive that ends past the second of two EOF marks, as FreeBSD's does).
 */
import { isTapeError, TapeError, type RawTape } from './raw-tape.js';

export interface HeadSettings {
  hardwareEndOfMedium: boolean;
  fastForwardSpaceFile: boolean;
  bsfAtEom: boolean;
}

/** A tape address: file × 2^32 + block (docs/volume-format.md, "Addresses"). */
export const FILE_SPAN = 2 ** 32;
export const tapeAddress = (file: number, block: number): number => file * FILE_SPAN + block;
export const splitAddress = (addr: number): { file: number; block: number } => ({ file: Math.floor(addr / FILE_SPAN), block: addr % FILE_SPAN });

/** The most records a software fsf or end-of-data search passes before giving up. */
const MAX_SOFTWARE_RECORDS = 100_000_000;

export class TapeHead {
  constructor(private readonly tape: RawTape, private readonly settings: HeadSettings, private readonly recordBuffer: () => Buffer) {}

  /** Where the drive is; a position it lost is found again from BOT. */
  async where(): Promise<{ file: number; block: number }> {
    const s = await this.tape.status();
    if (s.file < 0) {
      await this.tape.rewind();
      return { file: 0, block: 0 };
    }
    return { file: s.file, block: s.block };
  }

  /**
   * Positions before block `block` of file `file`. False when the tape holds no such
   * block (a file or block past the end of data).
   */
  async goTo(file: number, block: number): Promise<boolean> {
    const at = await this.where();
    try {
      if (file === at.file && at.block >= 0 && block >= at.block) {
        if (block > at.block) await this.tape.fsr(block - at.block);
        return true;
      }
      if (file > at.file) {
        await this.fsf(file - at.file);
      } else if (file === 0) {
        await this.tape.rewind();
      } else {
        // Back to the filemark that ends the file before, then over it: the file's start.
        await this.tape.bsf(at.file - file + 1);
        await this.fsf(1);
      }
      if (block > 0) await this.tape.fsr(block);
      return true;
    } catch (err) {
      if (isTapeError(err, 'EIO')) return false;
      throw err;
    }
  }

  /** Forward past `count` filemarks, with MTFSF or (Fast Forward Space File = no) by reading. */
  async fsf(count: number): Promise<void> {
    if (this.settings.fastForwardSpaceFile) {
      await this.tape.fsf(count);
      return;
    }
    const buf = this.recordBuffer();
    for (let passed = 0, records = 0; passed < count; records += 1) {
      if (records > MAX_SOFTWARE_RECORDS) throw new TapeError('EIO', `${this.tape.path}: no filemark in ${MAX_SOFTWARE_RECORDS} records`);
      const before = (await this.tape.status()).file;
      const n = await this.tape.read(buf).catch((err: unknown) => {
        if (isTapeError(err, 'ENOMEM')) return -1; // a record larger than the buffer: passed all the same
        throw err;
      });
      if (n !== 0) continue;
      // A zero read is a filemark when it moved the drive into the next file, else the end of data.
      if ((await this.tape.status()).file === before) throw new TapeError('EIO', `${this.tape.path}: end of data before filemark ${passed + 1} of ${count}`);
      passed += 1;
    }
  }

  /** To the end of data, ready to append: MTEOM, or file by file from BOT. */
  async endOfData(): Promise<void> {
    if (this.settings.hardwareEndOfMedium) {
      await this.tape.eom();
      if (this.settings.bsfAtEom && (await this.tape.status()).eof) {
        // A failure here leaves the head somewhere unknown: appending there could overwrite data, so it is not ignored.
        await this.tape.bsf(1);
        await this.tape.fsf(1);
      }
      return;
    }
    await this.tape.rewind();
    for (let files = 0; files < MAX_SOFTWARE_RECORDS; files += 1) {
      try {
        await this.fsf(1);
      } catch (err) {
        if (isTapeError(err, 'EIO')) return;
        throw err;
      }
    }
  }
}
