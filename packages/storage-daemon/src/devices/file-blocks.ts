/**
 * Block access on a random-access volume (a file, or one in memory) by byte offset:
 * read and verify the block at an address, search forward for the next block that
 * verifies (resynchronising after damage), and check that a block ends exactly at a
 * given offset (to trust the catalog's end-of-volume hint). Shared by the read and
 * append sides of random-access drives.
 */
import type { ByteHandle } from './volume-store.js';
import {
  BLOCK_HEADER_SIZE, BLOCK_MAGIC_BYTES, MAX_BLOCK_PAYLOAD, checkBlock, parseBlockHeader, verifyBlock,
} from '../volume/block.js';
import type { BlockRead } from './drive.js';
import type { BlockBuffers, LentBlock } from './block-buffers.js';

/** Bytes searched per read when looking for the next block magic. */
const SCAN_CHUNK = 1024 * 1024;

/**
 * The first read of a block when nothing better is known: a 64 KiB block whole (the
 * size Burrow wrote before 0.2, and Bareos's old default). A reader that has seen
 * larger blocks asks for that much instead (readBlockAt's `expect`).
 */
export const SMALL_BLOCK_BYTES = BLOCK_HEADER_SIZE + 64 * 1024;

async function readAt(fh: ByteHandle, length: number, pos: number): Promise<Buffer> {
  return readInto(fh, Buffer.allocUnsafe(length), pos);
}

/** Fills `buf` from `pos`; what the file held (shorter at its end). */
async function readInto(fh: ByteHandle, buf: Buffer, pos: number): Promise<Buffer> {
  const length = buf.length;
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/**
 * Reads and verifies the block at `addr`. The header and `expect` bytes come in one
 * read (the bytes past a smaller block are simply not used); a larger block takes a
 * second read for the rest. A reader passes the size of the blocks it has been
 * reading, so a volume of 1 MiB blocks takes one read a block and one of 64 KiB blocks
 * is not read sixteen times over. `repairOneBit`: a CRC mismatch that one flipped bit
 * explains is undone (volume/block.ts checkBlock); off where the address is a guess.
 * `buffers`: the first read goes into a buffer lent by them, and a block read whole
 * by it comes with its `lent` (block-buffers.ts); anything else gives it back at once.
 */
export async function readBlockAt(fh: ByteHandle, addr: number, expect = SMALL_BLOCK_BYTES, repairOneBit = true, buffers?: BlockBuffers): Promise<BlockRead> {
  const taken = buffers?.take(expect);
  let lent = taken?.lent;
  try {
    const read = await readBlockFrom(fh, addr, expect, repairOneBit, taken?.buffer);
    if (read.kind !== 'block' || lent === undefined) return read;
    if (read.payload.buffer !== lent.buffer.buffer) return read; // put together from two reads: a fresh buffer
    const block = { ...read, lent };
    lent = undefined;
    return block;
  } finally {
    lent?.letGo();
  }
}

async function readBlockFrom(fh: ByteHandle, addr: number, expect: number, repairOneBit: boolean, into: Buffer | undefined): Promise<BlockRead> {
  const first = await (into === undefined ? readAt(fh, expect, addr) : readInto(fh, into, addr));
  if (first.length === 0) return { kind: 'end', addr };
  if (first.length < BLOCK_HEADER_SIZE) {
    return { kind: 'truncated', addr, problem: `volume ends ${first.length} bytes into a block header` };
  }
  const head = first.subarray(0, BLOCK_HEADER_SIZE);
  const parsed = parseBlockHeader(head);
  if (!parsed.ok) return { kind: 'corrupt', addr, problem: parsed.problem };
  const { payloadLength } = parsed.header;
  const end = BLOCK_HEADER_SIZE + payloadLength;
  let payload = first.subarray(BLOCK_HEADER_SIZE, Math.min(end, first.length));
  if (first.length === expect && end > first.length) {
    payload = Buffer.concat([payload, await readAt(fh, end - first.length, addr + first.length)]);
  }
  if (payload.length < payloadLength) {
    return { kind: 'truncated', addr, problem: `volume ends ${payload.length} of ${payloadLength} payload bytes into a block` };
  }
  const checked = checkBlock(head, payload, parsed.header, repairOneBit);
  if (!checked.ok) return { kind: 'corrupt', addr, problem: checked.problem };
  return { kind: 'block', addr, nextAddr: addr + end, header: checked.header, payload, repaired: checked.repaired };
}

/** The first offset after `addr` where a whole block verifies, or null. */
export async function findNextBlock(fh: ByteHandle, addr: number, signal?: AbortSignal): Promise<number | null> {
  const overlap = BLOCK_MAGIC_BYTES.length - 1;
  let chunkStart = addr + 1;
  for (;;) {
    signal?.throwIfAborted();
    const chunk = await readAt(fh, SCAN_CHUNK, chunkStart);
    if (chunk.length < BLOCK_MAGIC_BYTES.length) return null;
    let at = chunk.indexOf(BLOCK_MAGIC_BYTES);
    while (at >= 0) {
      const candidate = chunkStart + at;
      // Strictly: a magic found by searching may be a chance one in data, not a block
      // whose damage to undo (the reader reads it again from here, and may repair then).
      if ((await readBlockAt(fh, candidate, SMALL_BLOCK_BYTES, false)).kind === 'block') return candidate;
      at = chunk.indexOf(BLOCK_MAGIC_BYTES, at + 1);
    }
    if (chunk.length < SCAN_CHUNK) return null;
    chunkStart += chunk.length - overlap;
  }
}

/**
 * If a verified block ends exactly at `end`, returns its block number. Searches back
 * from `end` for a header whose length lands there: first in the last MiB (blocks are
 * usually at most 1 MiB), then as far back as the largest possible block.
 */
export async function blockEndingAt(fh: ByteHandle, end: number): Promise<number | null> {
  for (const reach of [SCAN_CHUNK + BLOCK_HEADER_SIZE, MAX_BLOCK_PAYLOAD + BLOCK_HEADER_SIZE]) {
    const start = Math.max(0, end - reach);
    const window = await readAt(fh, end - start, start);
    if (window.length !== end - start || window.length < BLOCK_HEADER_SIZE) return null;
    let at = window.lastIndexOf(BLOCK_MAGIC_BYTES, window.length - BLOCK_HEADER_SIZE);
    while (at >= 0) {
      const parsed = parseBlockHeader(window.subarray(at, at + BLOCK_HEADER_SIZE));
      if (parsed.ok && at + BLOCK_HEADER_SIZE + parsed.header.payloadLength === window.length) {
        const head = window.subarray(at, at + BLOCK_HEADER_SIZE);
        if (verifyBlock(head, window.subarray(at + BLOCK_HEADER_SIZE))) return parsed.header.blockNumber;
      }
      at = at === 0 ? -1 : window.lastIndexOf(BLOCK_MAGIC_BYTES, at - 1);
    }
    if (start === 0) return null;
  }
  return null;
}
