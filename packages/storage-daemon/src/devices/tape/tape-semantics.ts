/**
 * The tape-semantics suite: what a raw tape drive must do, after the research note's
 * acceptance list (shared/research/tape-media.md, section 8 A) and btape's checks. It
 * goes through the RawTape interface only, so the virtual tape runs it in the unit
 * tests and a real drive can run it too (the harness then loads a scratch cartridge;
 * what only a virtual cartridge can be made to do, such as a tiny capacity, is an
 * optional part of the harness and its tests are skipped without it).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTapeError, type RawTape, type TapeErrno } from './raw-tape.js';

export interface TapeHarness {
  /** The drive with a blank (or scratch, to be overwritten) cartridge, open and at BOT. */
  blank(): Promise<RawTape>;
  /** Opens the drive again on the cartridge last used (after close). */
  reopen(): Promise<RawTape>;
  /** A blank cartridge of `capacity` bytes with an early-warning zone of `earlyWarning`. */
  sized?(capacity: number, earlyWarning: number): Promise<RawTape>;
  /** The drive with no cartridge in it, opened without waiting (O_NONBLOCK). */
  unloaded?(): Promise<RawTape>;
  /** A cartridge holding one record, write-protected. */
  writeProtected?(): Promise<RawTape>;
  /** A blank write-once cartridge. */
  worm?(): Promise<RawTape>;
  cleanup(): Promise<void>;
}

const fails = (errno: TapeErrno) => (e: unknown): boolean => isTapeError(e, errno);
/** Record `n`: its own number repeated, so a record out of place shows (btape's pattern). */
export const record = (n: number, size = 512): Buffer => {
  const b = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) b.writeUInt32LE(n, i);
  return b;
};
const BUF = 64 * 1024;

async function readRecord(tape: RawTape, size = BUF): Promise<Buffer | 0> {
  const buf = Buffer.alloc(size);
  const n = await tape.read(buf);
  return n === 0 ? 0 : buf.subarray(0, n);
}

async function writeFiles(tape: RawTape, counts: readonly number[]): Promise<void> {
  let n = 0;
  for (const c of counts) {
    for (let i = 0; i < c; i += 1) await tape.write(record(++n));
    await tape.weof(1);
  }
}

async function position(tape: RawTape): Promise<[number, number]> {
  const s = await tape.status();
  return [s.file, s.block];
}

/** Reads from the position to the end of data: records per file, as btape's scan counts them (a last file without a filemark counts too). */
export async function scanFiles(tape: RawTape): Promise<number[]> {
  const files: number[] = [];
  let current = 0;
  for (let guard = 0; guard < 1_000_000; guard += 1) {
    // A tape that does not end with a filemark gives 0 once at the end of data, then EIO.
    const got = await readRecord(tape).catch((err: unknown) => {
      if (isTapeError(err, 'EIO')) return 'end' as const;
      throw err;
    });
    if (got === 'end') return current > 0 ? [...files, current] : files;
    if (got !== 0) {
      current += 1;
      continue;
    }
    if (current === 0) return files; // two zero reads in a row: the end of data
    files.push(current);
    current = 0;
  }
  throw new Error('scan did not end');
}

export function tapeSemantics(kind: string, makeHarness: () => Promise<TapeHarness>): void {
  const withHarness = (fn: (h: TapeHarness) => Promise<void>) => async (): Promise<void> => {
    const h = await makeHarness();
    try {
      await fn(h);
    } finally {
      await h.cleanup();
    }
  };

  describe(`tape semantics: ${kind}`, () => {
    it('1. a close after writes adds a filemark; reading gives the records, 0, 0, then EIO', withHarness(async (h) => {
      const tape = await h.blank();
      for (const n of [1, 2, 3]) assert.equal(await tape.write(record(n, 100 * n)), 100 * n);
      await tape.close();
      const again = await h.reopen();
      try {
        for (const n of [1, 2, 3]) assert.deepEqual(await readRecord(again), record(n, 100 * n), 'records keep their written length');
        assert.equal(await readRecord(again), 0, 'the filemark');
        assert.equal(await readRecord(again), 0, 'the end of data');
        await assert.rejects(again.read(Buffer.alloc(BUF)), fails('EIO'));
      } finally {
        await again.close();
      }
    }));

    it('2. eom after files of 3, 2 and 1 records is file 3; an append makes a fourth file', withHarness(async (h) => {
      const tape = await h.blank();
      try {
        await writeFiles(tape, [3, 2, 1]);
        await tape.rewind();
        assert.equal((await tape.status()).bot, true);
        await tape.eom();
        assert.equal((await tape.status()).file, 3);
        await tape.write(record(7));
        await tape.weof(1);
        await tape.rewind();
        assert.deepEqual(await scanFiles(tape), [3, 2, 1, 1]);
      } finally {
        await tape.close();
      }
    }));

    it('3. fsf counts filemarks from where it starts; past the last one it gives EIO at the end of data', withHarness(async (h) => {
      const tape = await h.blank();
      try {
        await writeFiles(tape, [1, 2, 3, 2, 1]);
        await tape.rewind();
        await tape.fsf(1);
        assert.deepEqual(await position(tape), [1, 0]);
        assert.deepEqual(await readRecord(tape), record(2));
        await tape.bsr(1);
        await tape.fsf(2);
        assert.deepEqual(await position(tape), [3, 0]);
        assert.deepEqual(await readRecord(tape), record(7));
        await tape.rewind();
        await tape.fsf(4);
        assert.deepEqual(await position(tape), [4, 0]);
        assert.deepEqual(await readRecord(tape), record(9));
        await tape.fsf(1);
        assert.equal((await tape.status()).file, 5);
        await assert.rejects(tape.fsf(1), fails('EIO'));
        assert.equal((await tape.status()).eod, true);
      } finally {
        await tape.close();
      }
    }));

    it('4. fsr stops past a filemark with EIO; bsf ends on its BOT side, and at BOT in file 0', withHarness(async (h) => {
      const tape = await h.blank();
      try {
        await writeFiles(tape, [2, 2]);
        await tape.rewind();
        await assert.rejects(tape.fsr(3), fails('EIO'));
        assert.deepEqual(await position(tape), [1, 0]);
        assert.deepEqual(await readRecord(tape), record(3));
        await tape.bsf(1);
        assert.deepEqual(await position(tape), [0, -1]);
        assert.equal(await readRecord(tape), 0, 'the filemark just passed back over');
        await tape.bsf(1);
        await tape.bsr(1);
        assert.deepEqual(await readRecord(tape), record(2), 'btape re-read: bsf, bsr, read gives the last record');
        await assert.rejects(tape.bsf(1), fails('EIO'));
        assert.equal((await tape.status()).bot, true);
        assert.deepEqual(await position(tape), [0, 0]);
        await assert.rejects(tape.bsr(1), fails('EIO'));
      } finally {
        await tape.close();
      }
    }));

    it('5. writing after positioning into the data erases everything after that point', withHarness(async (h) => {
      const tape = await h.blank();
      try {
        await writeFiles(tape, [3, 3]);
        await tape.rewind();
        await tape.fsr(2);
        await tape.write(record(99));
        await tape.weof(1);
        await tape.rewind();
        assert.deepEqual(await readRecord(tape), record(1));
        assert.deepEqual(await readRecord(tape), record(2));
        assert.deepEqual(await readRecord(tape), record(99));
        await tape.rewind();
        assert.deepEqual(await scanFiles(tape), [3]);
      } finally {
        await tape.close();
      }
    }));

    it('6. variable blocks: a small buffer gives ENOMEM and skips the record; fixed blocks: EINVAL, and a read stops at a filemark', withHarness(async (h) => {
      const tape = await h.blank();
      try {
        await writeFiles(tape, [2]);
        await tape.rewind();
        await assert.rejects(tape.read(Buffer.alloc(100)), fails('ENOMEM'));
        assert.deepEqual(await readRecord(tape), record(2));
        await tape.rewind();
        await tape.setBlockSize(512);
        assert.equal((await tape.status()).blockSize, 512);
        await tape.eom();
        await assert.rejects(tape.write(Buffer.alloc(700)), fails('EINVAL'));
        assert.equal(await tape.write(Buffer.concat([record(10), record(11), record(12)])), 1536);
        await tape.weof(1);
        await tape.bsf(1);
        await tape.bsr(3);
        const buf = Buffer.alloc(4 * 512);
        assert.equal(await tape.read(buf), 1536, 'a read spanning the filemark gives what precedes it');
        assert.deepEqual(buf.subarray(1024, 1536), record(12));
        assert.equal(await tape.read(buf), 0);
        await tape.setBlockSize(0);
      } finally {
        await tape.close();
      }
    }));

    it('7. early warning: the crossing write succeeds, the next gives ENOSPC, the next succeeds; weof always does', withHarness(async (h) => {
      if (!h.sized) return;
      const tape = await h.sized(64 * 1024, 8 * 1024);
      try {
        let n = 0;
        for (; n < 100; n += 1) {
          await tape.write(record(n, 1024));
          if ((await tape.status()).eot) break;
        }
        assert.ok(n > 40 && n < 100, `early warning after ${n} records`);
        await assert.rejects(tape.write(record(0, 1024)), fails('ENOSPC'));
        assert.equal(await tape.write(record(1, 1024)), 1024, 'a trailer after the warning');
        await assert.rejects(tape.write(record(2, 1024)), fails('ENOSPC'));
        await tape.weof(2);
        let results = '';
        for (let i = 0; i < 20; i += 1) results += await tape.write(record(i, 1024)).then(() => 'w', () => 'x');
        assert.match(results, /^(wx)+x*$/, 'count and ENOSPC alternate until the physical end, then only ENOSPC');
        await tape.weof(1);
      } finally {
        await tape.close();
      }
    }));

    it('8. no cartridge: every operation ENOMEDIUM, the door open; a second open EBUSY; WORM and write protection', withHarness(async (h) => {
      if (h.unloaded) {
        const empty = await h.unloaded();
        assert.equal((await empty.status()).doorOpen, true);
        assert.equal((await empty.status()).online, false);
        for (const op of [() => empty.read(Buffer.alloc(10)), () => empty.write(record(1)), () => empty.weof(1), () => empty.rewind(), () => empty.fsf(1), () => empty.eom()]) {
          await assert.rejects(op(), fails('ENOMEDIUM'));
        }
        await empty.close();
      }
      const tape = await h.blank();
      try {
        await assert.rejects(h.reopen(), fails('EBUSY'));
      } finally {
        await tape.close();
      }
      if (h.worm) {
        const worm = await h.worm();
        try {
          await writeFiles(worm, [2]);
          await worm.rewind();
          await assert.rejects(worm.write(record(5)), fails('EIO'));
          await worm.eom();
          await worm.write(record(6));
        } finally {
          await worm.close();
        }
      }
      if (h.writeProtected) {
        const ro = await h.writeProtected();
        try {
          assert.equal((await ro.status()).writeProtected, true);
          await assert.rejects(ro.write(record(1)), fails('EACCES'));
          await assert.rejects(ro.weof(1), fails('EACCES'));
          assert.ok((await readRecord(ro)) !== 0, 'still readable');
        } finally {
          await ro.close();
        }
      }
    }));
  });
}
