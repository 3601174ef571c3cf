/**
 * burrow-btape's commands (Bareos's btape, btape.cc), over a raw tape: positioning
 * (rewind, weof, fsf, bsf, fsr, bsr, eod), one record written or read (wr, rb), status,
 * scan, and the two qualifications of a drive: `test` (btape's write/read, position,
 * append, re-read and forward-space-file steps; the autochanger step needs a changer)
 * and `fill` (records until the end of the medium, a filemark every Maximum File Size,
 * then the last record read back; `fill m` goes on onto a second cartridge the
 * Autochanger loads). Positioning goes through TapeHead, so Bareos's
 * directives (Fast Forward Space File, Hardware End Of Medium, BSF At EOM) act here as
 * in the daemon, and a failing step says which directive to try, as btape does.
 */
import { isTapeError, type RawTape } from '../devices/tape/raw-tape.js';
import { TapeHead, type HeadSettings } from '../devices/tape/tape-head.js';

export interface BtapeOptions {
  /** The drive, open. */
  tape: RawTape;
  /** Closes nothing: opens the drive again after the caller closed it (the append test reopens). */
  reopen: () => Promise<RawTape>;
  settings: HeadSettings & { minimumBlockSize: number; maximumBlockSize: number; maximumFileSize: number };
  print: (line: string) => void;
  /** Records per file in `test` (btape: 10,000). */
  testRecords?: number;
  /**
   * Only a drive in an Autochanger: puts the next cartridge of the library in the drive
   * (the one it holds back to its slot) and opens the drive again; `fill m` uses it.
   */
  nextCartridge?: () => Promise<RawTape>;
}

/** A record filled with its own number (btape's pattern), so one out of place shows. */
function numbered(n: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) b.writeUInt32LE(n, i);
  return b;
}

export class Btape {
  private tape: RawTape;
  private head: TapeHead;
  private readonly buf: Buffer;
  private counter = 0;

  constructor(private readonly o: BtapeOptions) {
    this.tape = o.tape;
    this.buf = Buffer.alloc(Math.max(this.recordSize, 16 * 1024 * 1024 + 32));
    this.head = new TapeHead(this.tape, o.settings, () => this.buf);
  }

  /** btape writes blocks of the device's size: a fixed block, else 1 KiB records (quick to test). */
  private get recordSize(): number {
    const { minimumBlockSize: min, maximumBlockSize: max } = this.o.settings;
    return min > 0 && min === max ? min : 1024;
  }

  private get fixed(): number {
    const { minimumBlockSize: min, maximumBlockSize: max } = this.o.settings;
    return min > 0 && min === max ? min : 0;
  }

  get drive(): RawTape {
    return this.tape;
  }

  /** Runs one command line; false when it failed (the exit status is then non-zero). */
  async run(line: string): Promise<boolean> {
    const [cmd = '', arg] = line.trim().split(/\s+/);
    const n = arg === undefined ? 1 : Number.parseInt(arg, 10);
    const say = this.o.print;
    try {
      switch (cmd.toLowerCase()) {
        case '': return true;
        case 'rewind': await this.tape.rewind(); say(`Rewound "${this.tape.path}"`); return true;
        case 'weof': await this.tape.weof(n); say(`Wrote ${n} EOF to "${this.tape.path}"`); return true;
        case 'fsf': await this.head.fsf(n); say(`Forward spaced ${n} file${n === 1 ? '' : 's'}.`); return true;
        case 'bsf': await this.tape.bsf(n); say(`Backspaced ${n} file${n === 1 ? '' : 's'}.`); return true;
        case 'fsr': await this.tape.fsr(n); say(`Forward spaced ${n} record${n === 1 ? '' : 's'}.`); return true;
        case 'bsr': await this.tape.bsr(n); say(`Backspaced ${n} record${n === 1 ? '' : 's'}.`); return true;
        case 'eod': case 'eom': await this.head.endOfData(); say('Moved to end of medium.'); return true;
        case 'wr': await this.tape.write(numbered(++this.counter, this.recordSize)); say(`Wrote one record of ${this.recordSize} bytes.`); return true;
        case 'rb': case 'rr': {
          const got = await this.tape.read(this.readBuffer());
          say(got === 0 ? 'Got EOF on tape.' : `Read block of ${got} bytes.`);
          return true;
        }
        case 'status': await this.status(); return true;
        case 'scan': await this.scan(); return true;
        case 'test': return await this.test();
        case 'fill': return await (arg?.toLowerCase() === 'm' ? this.fillTwo() : this.fill());
        case 'help': say('Commands: rewind weof fsf bsf fsr bsr eod eom wr rb status scan test fill [m] quit'); return true;
        default: say(`"${cmd}" is an invalid command`); return false;
      }
    } catch (err) {
      say(`${cmd} failed: ${(err as Error).message}`);
      return false;
    }
  }

  private readBuffer(): Buffer {
    return this.fixed > 0 ? this.buf.subarray(0, this.fixed) : this.buf;
  }

  async status(): Promise<void> {
    const s = await this.tape.status();
    const bits = ([['ONLINE', s.online], ['DR_OPEN', s.doorOpen], ['BOT', s.bot], ['EOF', s.eof], ['EOT', s.eot], ['EOD', s.eod], ['WR_PROT', s.writeProtected]] as const)
      .filter(([, on]) => on).map(([name]) => name);
    this.o.print(` Device status: ${bits.join(' ')} file=${s.file} block=${s.block}`);
    this.o.print(` Device parameters: block size=${s.blockSize === 0 ? 'variable' : s.blockSize}`);
  }

  /** btape's scan: raw reads from here to the end of data, counted per file. */
  async scan(): Promise<{ files: number[]; bytes: number }> {
    const say = this.o.print;
    const files: number[] = [];
    let blocks = 0;
    let size = -1;
    let bytes = 0;
    let current = 0;
    for (let guard = 0; guard < 100_000_000; guard += 1) {
      const got = await this.tape.read(this.readBuffer()).catch((err: unknown) => {
        if (isTapeError(err, 'EIO')) return -1;
        throw err;
      });
      if (got > 0) {
        if (size !== got && blocks > 0) { say(`${blocks} blocks of ${size} bytes in file ${files.length}`); blocks = 0; }
        size = got;
        blocks += 1;
        current += 1;
        bytes += got;
        continue;
      }
      if (blocks > 0) say(`${blocks} blocks of ${size} bytes in file ${files.length}`);
      blocks = 0;
      if (got === 0 && current > 0) {
        say('End of File mark.');
        files.push(current);
        current = 0;
        continue;
      }
      if (current > 0) files.push(current);
      break;
    }
    say('End of tape');
    say(`Total files=${files.length}, blocks=${files.reduce((a, b) => a + b, 0)}, bytes = ${bytes}`);
    return { files, bytes };
  }

  private async writeFiles(counts: readonly number[]): Promise<void> {
    let n = 0;
    for (const c of counts) {
      for (let i = 0; i < c; i += 1) await this.tape.write(numbered(++n, this.recordSize));
      await this.tape.weof(1);
    }
  }

  /** Reads one record and checks it is record `n`. */
  private async readIs(n: number): Promise<boolean> {
    const got = await this.tape.read(this.readBuffer());
    return got > 0 && this.buf.readUInt32LE(0) === n;
  }

  /** btape's `test`: the five steps a drive needs (the sixth is the autochanger's). */
  async test(): Promise<boolean> {
    const steps: Array<[string, () => Promise<boolean>]> = [
      ['Write, rewind, and re-read test', () => this.writeReadTest()],
      ['Reposition test', () => this.positionTest()],
      ['Append files test', () => this.appendTest()],
      ['Write, backup, and re-read test', () => this.rereadTest()],
      ['Forward space files test', () => this.fsfTest()],
    ];
    let ok = true;
    for (const [title, step] of steps) {
      this.o.print(`\n=== ${title} ===\n`);
      const passed = await step().catch((err: unknown) => {
        this.o.print(`${title} failed: ${(err as Error).message}`);
        return false;
      });
      ok &&= passed;
    }
    this.o.print('\nNo autochanger is configured: the autochanger test is skipped.');
    this.o.print(ok ? '\n=== All tests passed ===' : '\n=== Some tests FAILED ===');
    return ok;
  }

  private get perFile(): number {
    return this.o.testRecords ?? 10_000;
  }

  private async writeReadTest(): Promise<boolean> {
    const say = this.o.print;
    const n = this.perFile;
    await this.tape.rewind();
    for (const file of [0, 1]) {
      for (let i = 0; i < n; i += 1) await this.tape.write(numbered(file * n + i, this.recordSize));
      say(`Wrote ${n} blocks of ${this.recordSize} bytes.`);
      await this.tape.weof(1);
      say(`Wrote 1 EOF to "${this.tape.path}"`);
    }
    await this.tape.rewind();
    say('Rewind OK.');
    for (const file of [0, 1]) {
      for (let i = 0; i < n; i += 1) {
        if (!(await this.readIs(file * n + i))) {
          say(`Read block ${i} of file ${file} failed! This is NOT correct!!!!`);
          return false;
        }
      }
      if ((await this.tape.read(this.readBuffer())) !== 0) {
        say(`No EOF after file ${file}. This is NOT correct!!!!`);
        return false;
      }
    }
    say(`Read ${2 * n} blocks and 2 EOFs. This is correct!`);
    return true;
  }

  private async positionTest(): Promise<boolean> {
    const say = this.o.print;
    const n = this.perFile;
    const last = n - 1;
    for (const [file, block] of [[0, Math.min(4, last)], [0, Math.min(200, last)], [0, last], [1, 0], [1, Math.min(600, last)], [1, last]] as const) {
      say(`Reposition to file:block ${file}:${block}`);
      const reached = await this.head.goTo(file, block);
      if (!reached || !(await this.readIs(file * n + block))) {
        say(`Reposition to ${file}:${block} failed. This is NOT correct!!!!`);
        say('You may need to set variable blocking (Minimum Block Size = 0, Maximum Block Size = 0) or Fast Forward Space File = no.');
        return false;
      }
      say(`Block ${file * n + block} re-read correctly.`);
    }
    return true;
  }

  private async appendTest(): Promise<boolean> {
    const say = this.o.print;
    await this.tape.rewind();
    await this.writeFiles([1, 2, 3]);
    await this.tape.close();
    this.tape = await this.o.reopen();
    this.head = new TapeHead(this.tape, this.o.settings, () => this.buf);
    await this.tape.rewind();
    say('Now moving to end of medium.');
    await this.head.endOfData();
    const { file } = await this.tape.status();
    if (file !== 3) {
      say(`We should be in file 3. I am at file ${file}. This is NOT correct!!!!`);
      say('Try Hardware End of Medium = no and Fast Forward Space File = no, or BSF at EOM = yes.');
      return false;
    }
    say(`We should be in file 3. I am at file ${file}. This is correct!`);
    await this.tape.write(numbered(7, this.recordSize));
    await this.tape.weof(1);
    await this.tape.rewind();
    const { files } = await this.scan();
    const correct = files.join('/') === '1/2/3/1';
    say(correct ? 'The scan ends at file 4. This is correct!' : `The scan found files ${files.join('/')}, not 1/2/3/1. This is NOT correct!!!!`);
    return correct;
  }

  private async rereadTest(): Promise<boolean> {
    const say = this.o.print;
    await this.tape.rewind();
    await this.writeFiles([3]);
    await this.tape.bsf(1);
    await this.tape.bsr(1);
    const ok = await this.readIs(3);
    say(ok ? 'Backspace file and record worked: block 3 re-read. This is correct!'
      : 'The block re-read after bsf and bsr is not block 3. This is NOT correct!!!! Bareos can work without it: Backward Space Record = no.');
    return ok;
  }

  private async fsfTest(): Promise<boolean> {
    const say = this.o.print;
    await this.tape.rewind();
    await this.writeFiles([1, 2, 3, 2, 1]);
    await this.tape.rewind();
    const checks: Array<[() => Promise<void>, number]> = [
      [() => this.head.fsf(1), 1], [() => this.head.fsf(2), 3], [async () => { await this.tape.rewind(); await this.head.fsf(4); }, 4], [() => this.head.fsf(1), 5],
    ];
    for (const [move, want] of checks) {
      await move();
      const { file } = await this.tape.status();
      if (file !== want) {
        say(`Forward space file: expected file ${want}, at file ${file}. This is NOT correct!!!!`);
        if (this.o.settings.fastForwardSpaceFile) say('Your drive may not space files correctly: set Fast Forward Space File = no.');
        return false;
      }
      say(`Forward space file to file ${want}. This is correct!`);
    }
    say('End Forward space files test');
    return true;
  }

  /** btape's fill (one tape): records until the end of the medium, then the last one read back. */
  async fill(): Promise<boolean> {
    const say = this.o.print;
    const size = this.fillRecordSize;
    await this.tape.rewind();
    const { last, files } = await this.writeToEnd(1, size);
    say(`End of tape reached. Wrote ${last} blocks of ${size} bytes in ${files} files.`);
    const ok = await this.lastRecordIs(last, size);
    say(ok ? 'The last block on the tape matches. Test succeeded.' : 'The last block on the tape does not match. Test failed.');
    return ok;
  }

  /**
   * btape's fill on two tapes (its "m" mode): the first cartridge is filled, its last
   * block read back; the changer then loads the next one, which takes the block the
   * first refused as its first (as the daemon writes it again on the next volume) and
   * is filled in turn; its first and last blocks are read back.
   */
  async fillTwo(): Promise<boolean> {
    const say = this.o.print;
    if (!this.o.nextCartridge) {
      say('fill m needs a drive in an Autochanger: its Changer Command loads the second cartridge.');
      return false;
    }
    const size = this.fillRecordSize;
    await this.tape.rewind();
    const one = await this.writeToEnd(1, size);
    say(`End of medium on the first tape: ${one.last} blocks of ${size} bytes in ${one.files} files; block ${one.last + 1} was refused.`);
    const firstOk = await this.lastRecordIs(one.last, size);
    say(firstOk ? 'The last block on the first tape matches.' : 'The last block on the first tape does not match.');
    await this.tape.close();
    this.tape = await this.o.nextCartridge();
    this.head = new TapeHead(this.tape, this.o.settings, () => this.buf);
    await this.tape.rewind();
    const two = await this.writeToEnd(one.last + 1, size);
    say(`End of medium on the second tape: blocks ${one.last + 1} to ${two.last} in ${two.files} files.`);
    await this.tape.rewind();
    const got = await this.tape.read(this.readBuffer());
    const carried = got === size && this.buf.readUInt32LE(0) === one.last + 1;
    say(carried ? `The first block on the second tape is block ${one.last + 1}, the one the first tape refused.`
      : 'The first block on the second tape is not the one the first tape refused.');
    await this.head.endOfData();
    const lastOk = await this.lastRecordIs(two.last, size);
    say(lastOk ? 'The last block on the second tape matches. Test succeeded.' : 'The last block on the second tape does not match. Test failed.');
    return firstOk && carried && lastOk;
  }

  /** fill's records: a fixed block, else the Maximum Block Size (at most 1 MiB, 64 KiB when unset). */
  private get fillRecordSize(): number {
    return this.fixed > 0 ? this.fixed : Math.min(this.o.settings.maximumBlockSize || 64 * 1024, 1024 * 1024);
  }

  /**
   * Records numbered from `from` until the medium refuses one (ENOSPC), a filemark every
   * Maximum File Size, then a closing filemark: the number of the last one written and
   * the tape files they took.
   */
  private async writeToEnd(from: number, size: number): Promise<{ last: number; files: number }> {
    const { maximumFileSize } = this.o.settings;
    let next = from;
    let fileBytes = 0;
    let files = 1;
    for (;;) {
      if (maximumFileSize > 0 && fileBytes > 0 && fileBytes + size > maximumFileSize) {
        await this.tape.weof(1);
        files += 1;
        fileBytes = 0;
      }
      try {
        await this.tape.write(numbered(next, size));
      } catch (err) {
        if (!isTapeError(err, 'ENOSPC')) throw err;
        break;
      }
      next += 1;
      fileBytes += size;
    }
    await this.tape.weof(1);
    return { last: next - 1, files };
  }

  /** Just after the tape's closing filemark: the record before it carries number `want`. */
  private async lastRecordIs(want: number, size: number): Promise<boolean> {
    await this.tape.bsf(1);
    await this.tape.bsr(1);
    const got = await this.tape.read(this.readBuffer());
    return got === size && this.buf.readUInt32LE(0) === want;
  }
}
