/**
 * Zero bytes fed to a digest: a hole of a sparse file reads back as zeros, so the
 * file's digest covers them although no data record carries them.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Hasher } from './hasher.js';

const ZEROS = Buffer.alloc(1024 * 1024);
/** Zero bytes hashed between turns of the event loop: ~50 ms of SHA-256, so a long hole never stalls the connections. */
const ZEROS_PER_TURN = 64 * 1024 * 1024;

/** Feeds `count` zero bytes to `hash`, yielding to the event loop now and then. */
export async function hashZeros(hash: Hasher, count: number): Promise<void> {
  let sinceYield = 0;
  for (let left = count; left > 0; ) {
    const n = Math.min(left, ZEROS.length);
    hash.update(ZEROS.subarray(0, n));
    left -= n;
    sinceYield += n;
    if (sinceYield >= ZEROS_PER_TURN) {
      sinceYield = 0;
      await yieldToLoop();
    }
  }
}
