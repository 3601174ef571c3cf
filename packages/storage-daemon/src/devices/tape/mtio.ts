/**
 * Linux's magnetic-tape ioctls (uapi/linux/mtio.h, Documentation/scsi/st.rst) encoded
 * in TypeScript for x86_64 Linux: the request numbers, `struct mtop` for MTIOCTOP,
 * `struct mtget` for MTIOCGET and `struct mtpos` for MTIOCPOS. The Linux tape
 * (linux-tape.ts) hands these buffers to ioctl(2) through the native addon.
 *
 * Layouts on x86_64 (LP64: long is 8 bytes, __kernel_daddr_t is int):
 * - mtop  { short mt_op; int mt_count; }                        8 bytes: op at 0, (pad), count at 4
 * - mtget { long mt_type, mt_resid, mt_dsreg, mt_gstat, mt_erreg;
 *           daddr_t mt_fileno, mt_blkno; }                      48 bytes
 * - mtpos { long mt_blkno; }                                    8 bytes
 */
import type { TapeStatus } from './raw-tape.js';

/** _IOC directions (asm-generic/ioctl.h). */
const IOC_WRITE = 1;
const IOC_READ = 2;

/** _IOC(dir, type, nr, size): dir in bits 30-31, size in 16-29, type in 8-15, nr in 0-7. */
export function ioc(dir: number, type: string, nr: number, size: number): number {
  return ((dir << 30) >>> 0) + (size << 16) + (type.charCodeAt(0) << 8) + nr;
}

export const MTOP_SIZE = 8;
export const MTGET_SIZE = 48;
export const MTPOS_SIZE = 8;

export const MTIOCTOP = ioc(IOC_WRITE, 'm', 1, MTOP_SIZE);
export const MTIOCGET = ioc(IOC_READ, 'm', 2, MTGET_SIZE);
export const MTIOCPOS = ioc(IOC_READ, 'm', 3, MTPOS_SIZE);

/** The mt_op codes Burrow uses (mtio.h). */
export const MT_OP = {
  MTFSF: 1, MTBSF: 2, MTFSR: 3, MTBSR: 4, MTWEOF: 5, MTREW: 6, MTOFFL: 7, MTNOP: 8, MTEOM: 12,
  MTSETBLK: 20, MTTELL: 23, MTSETDRVBUFFER: 24, MTLOCK: 28, MTUNLOCK: 29, MTLOAD: 30, MTUNLOAD: 31, MTCOMPRESSION: 32,
} as const;
export type MtOp = keyof typeof MT_OP;

/** mt_gstat bits (the GMT_* macros of mtio.h). */
export const GMT = {
  EOF: 0x80000000, BOT: 0x40000000, EOT: 0x20000000, SM: 0x10000000, EOD: 0x08000000, WR_PROT: 0x04000000,
  ONLINE: 0x01000000, DR_OPEN: 0x00040000, IM_REP_EN: 0x00010000, CLN: 0x00008000,
} as const;

/** mt_dsreg: the block size in bits 0-23, the density code in 24-31 (MT_ST_BLKSIZE_MASK, MT_ST_DENSITY_SHIFT). */
const BLKSIZE_MASK = 0xffffff;
const DENSITY_SHIFT = 24;

/** A struct mtop: one tape operation with its count. */
export function encodeMtop(op: MtOp, count: number): Buffer {
  if (!Number.isInteger(count) || count < -(2 ** 31) || count >= 2 ** 31) throw new RangeError(`mt_count ${count} is not a 32-bit integer`);
  const b = Buffer.alloc(MTOP_SIZE);
  b.writeInt16LE(MT_OP[op], 0);
  b.writeInt32LE(count, 4);
  return b;
}

export interface MtGet {
  type: number;
  resid: number;
  dsreg: number;
  gstat: number;
  erreg: number;
  fileno: number;
  blkno: number;
}

export function decodeMtget(b: Buffer): MtGet {
  if (b.length !== MTGET_SIZE) throw new RangeError(`struct mtget is ${MTGET_SIZE} bytes, not ${b.length}`);
  const long = (at: number): number => Number(b.readBigInt64LE(at));
  return {
    type: long(0), resid: long(8), dsreg: long(16),
    // gstat is a set of bits in the low 32 of a long: read unsigned so GMT_EOF (bit 31) tests true.
    gstat: b.readUInt32LE(24), erreg: long(32),
    fileno: b.readInt32LE(40), blkno: b.readInt32LE(44),
  };
}

/** For tests and tools: the bytes MTIOCGET would fill in. */
export function encodeMtget(m: MtGet): Buffer {
  const b = Buffer.alloc(MTGET_SIZE);
  b.writeBigInt64LE(BigInt(m.type), 0);
  b.writeBigInt64LE(BigInt(m.resid), 8);
  b.writeBigInt64LE(BigInt(m.dsreg), 16);
  b.writeBigInt64LE(BigInt(m.gstat >>> 0), 24);
  b.writeBigInt64LE(BigInt(m.erreg), 32);
  b.writeInt32LE(m.fileno, 40);
  b.writeInt32LE(m.blkno, 44);
  return b;
}

/** MTIOCPOS's answer: the logical block number, or -1. */
export function decodeMtpos(b: Buffer): number {
  if (b.length !== MTPOS_SIZE) throw new RangeError(`struct mtpos is ${MTPOS_SIZE} bytes, not ${b.length}`);
  return Number(b.readBigInt64LE(0));
}

export function statusOf(m: MtGet): TapeStatus {
  const has = (bit: number): boolean => (m.gstat & bit) !== 0;
  return {
    online: has(GMT.ONLINE), doorOpen: has(GMT.DR_OPEN), bot: has(GMT.BOT), eof: has(GMT.EOF), eot: has(GMT.EOT),
    eod: has(GMT.EOD), writeProtected: has(GMT.WR_PROT), file: m.fileno, block: m.blkno,
    blockSize: m.dsreg & BLKSIZE_MASK,
  };
}

/** The density code of mt_dsreg (for `status` in btape). */
export function densityOf(m: MtGet): number {
  return (m.dsreg >>> DENSITY_SHIFT) & 0xff;
}
