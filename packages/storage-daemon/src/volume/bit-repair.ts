/**
 * Finding one flipped bit in a block from its CRC alone.
 *
 * A block's CRC32C covers header bytes 0-23 and the payload. CRC is linear: the stored
 * CRC xor the CRC of the bytes as read (the syndrome) depends only on which bits
 * changed, not on the data. For one changed bit the syndrome is the CRC register's
 * state after that bit and the zero bits behind it; CRC-32C keeps a Hamming distance
 * of 4 far beyond our largest block (2^31 bits), so no two single-bit errors (in the
 * covered bytes or in the stored CRC itself) share a syndrome, and the position is
 * exact. Walking back from the last bit costs one shift a bit: about 8 million steps,
 * some tens of milliseconds, for a 1 MiB block, and it runs only for a damaged one.
 *
 * Damage of more than one bit may still match some single-bit syndrome by chance
 * (positions / 2^32: about 1 in 500 for a 1 MiB block), so a repair is always said in
 * the job log, and a repaired block's records are then checked like any others (data
 * by its file's digest).
 */

/** CRC-32C (Castagnoli), reflected. */
const POLY = 0x82f63b78 | 0;

export type FlippedBit =
  /** The stored CRC is the damaged part: the bytes it covers are intact. */
  | { readonly where: 'crc' }
  /** Bit `bit` (0 = least significant) of byte `byte` of the covered bytes, in the order the CRC reads them. */
  | { readonly where: 'covered'; readonly byte: number; readonly bit: number };

/**
 * The one bit whose flip explains `syndrome` (stored CRC xor computed CRC) for a
 * message of `length` bytes, or null when no single bit does.
 */
export function locateFlippedBit(syndrome: number, length: number): FlippedBit | null {
  const target = syndrome | 0;
  if (target === 0) return null;
  if ((target & (target - 1)) === 0) return { where: 'crc' };
  // The register after a message ending in 0x80 (its last bit read) from zero.
  let s = 0x80;
  for (let i = 0; i < 8; i++) s = (s >>> 1) ^ (-(s & 1) & POLY);
  const bits = length * 8;
  for (let k = 0; k < bits; k++) {
    if (s === target) return { where: 'covered', byte: length - 1 - (k >>> 3), bit: 7 - (k & 7) };
    s = (s >>> 1) ^ (-(s & 1) & POLY);
  }
  return null;
}
