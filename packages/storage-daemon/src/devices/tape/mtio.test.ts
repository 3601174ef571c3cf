/** The st ioctl encoding for x86_64 Linux (mtio.ts) and the Linux tape's use of it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTapeError } from './raw-tape.js';
import { LinuxTape, type Ioctl } from './linux-tape.js';
import {
  decodeMtget, decodeMtpos, densityOf, encodeMtget, encodeMtop, GMT, MTGET_SIZE, MTIOCGET, MTIOCPOS, MTIOCTOP, statusOf,
} from './mtio.js';

describe('mtio encoding (x86_64 Linux)', () => {
  it('has the request numbers of <linux/mtio.h>', () => {
    assert.equal(MTIOCTOP, 0x40086d01);
    assert.equal(MTIOCGET, 0x80306d02);
    assert.equal(MTIOCPOS, 0x80086d03);
  });

  it('lays out struct mtop as short op, padding, int count', () => {
    assert.deepEqual([...encodeMtop('MTWEOF', 2)], [5, 0, 0, 0, 2, 0, 0, 0]);
    assert.deepEqual([...encodeMtop('MTFSF', 0x01020304)], [1, 0, 0, 0, 4, 3, 2, 1]);
    assert.deepEqual([...encodeMtop('MTSETBLK', 0)], [20, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...encodeMtop('MTBSR', -1)], [4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    assert.throws(() => encodeMtop('MTFSF', 2 ** 31), RangeError);
  });

  it('reads struct mtget: five longs then two ints, 48 bytes', () => {
    const raw = Buffer.alloc(MTGET_SIZE);
    raw.writeBigInt64LE(0x72n, 0);                  // mt_type: MT_ISSCSI2
    raw.writeBigInt64LE(0n, 8);                     // mt_resid
    raw.writeBigInt64LE(BigInt((0x5a << 24) | 65536), 16); // mt_dsreg: density 0x5a, 64 KiB blocks
    raw.writeBigInt64LE(BigInt((GMT.EOF | GMT.ONLINE | GMT.IM_REP_EN) >>> 0), 24); // mt_gstat: the kernel sets GMT_EOF as a positive long
    raw.writeBigInt64LE(0n, 32);                    // mt_erreg
    raw.writeInt32LE(3, 40);                        // mt_fileno
    raw.writeInt32LE(-1, 44);                       // mt_blkno
    const m = decodeMtget(raw);
    assert.deepEqual(m, { type: 0x72, resid: 0, dsreg: (0x5a << 24) | 65536, gstat: (GMT.EOF | GMT.ONLINE | GMT.IM_REP_EN) >>> 0, erreg: 0, fileno: 3, blkno: -1 });
    assert.equal(densityOf(m), 0x5a);
    assert.deepEqual(statusOf(m), {
      online: true, doorOpen: false, bot: false, eof: true, eot: false, eod: false, writeProtected: false, file: 3, block: -1, blockSize: 65536,
    });
    assert.deepEqual(encodeMtget(m), raw);
    assert.throws(() => decodeMtget(Buffer.alloc(40)), RangeError);
    const empty = statusOf({ ...m, gstat: GMT.DR_OPEN | GMT.WR_PROT | GMT.BOT | GMT.EOD | GMT.EOT });
    assert.deepEqual([empty.online, empty.doorOpen, empty.writeProtected, empty.bot, empty.eod, empty.eot], [false, true, true, true, true, true]);
  });

  it('reads struct mtpos: one long', () => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(123456789012n);
    assert.equal(decodeMtpos(b), 123456789012);
    b.writeBigInt64LE(-1n);
    assert.equal(decodeMtpos(b), -1);
  });
});

describe('Linux tape over an ioctl', () => {
  it('sends one MTIOCTOP per operation and decodes MTIOCGET; an ioctl error becomes the tape errno', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'burrow-st-'));
    try {
      // A regular file stands in for /dev/nst0: only the ioctl calls are looked at.
      const path = join(dir, 'nst0');
      await writeFile(path, '');
      const calls: [number, string][] = [];
      const ioctl: Ioctl = (_fd, request, arg) => {
        calls.push([request, arg.toString('hex')]);
        if (request === MTIOCGET) arg.set(encodeMtget({ type: 0, resid: 0, dsreg: 0, gstat: GMT.ONLINE | GMT.BOT, erreg: 0, fileno: 0, blkno: 0 }));
        if (request === MTIOCTOP && arg.readInt16LE(0) === 1) throw Object.assign(new Error('ioctl: Input/output error'), { code: 'EIO' });
      };
      const tape = await LinuxTape.open(path, ioctl);
      await tape.weof(2);
      await tape.bsr(1);
      await tape.setBlockSize(0);
      await assert.rejects(tape.fsf(1), (e: unknown) => isTapeError(e, 'EIO'));
      assert.deepEqual((await tape.status()).bot, true);
      assert.deepEqual(calls.slice(0, 4), [
        [MTIOCTOP, '0500000002000000'], [MTIOCTOP, '0400000001000000'], [MTIOCTOP, '1400000000000000'], [MTIOCTOP, '0100000001000000'],
      ]);
      assert.equal(calls[4]![0], MTIOCGET);
      await tape.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
