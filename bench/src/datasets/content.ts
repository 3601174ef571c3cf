/**
 * Deterministic file contents. Random bytes come from AES-128-CTR over zeros with a
 * fixed key (fast, and the same on every machine); compressible bytes are text made
 * of a small vocabulary, so gzip finds a realistic 3-4x rather than a trivial 1000x.
 */
import { createCipheriv } from 'node:crypto';

/** An endless, seeded stream of pseudo-random bytes. */
export class RandomStream {
  private readonly cipher;

  constructor(seed: string) {
    const key = Buffer.alloc(16);
    key.write(seed.padEnd(16, '.').slice(0, 16), 'latin1');
    this.cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  }

  bytes(n: number): Buffer {
    return this.cipher.update(Buffer.alloc(n));
  }

  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.bytes(4).readUInt32BE(0) % (hi - lo + 1));
  }
}

const WORDS = ('backup restore volume catalog director storage daemon file job pool media level full '
  + 'incremental differential schedule client fileset options signature compression block record '
  + 'session label device tape disk network console message retention prune recycle verify the a of '
  + 'and to in is it that for on with as was at by this be from or are an but not have had has').split(' ');

/** Text of `size` bytes built from the vocabulary, chosen by the random stream. */
export function compressibleText(random: RandomStream, size: number): Buffer {
  const picks = random.bytes(Math.ceil(size / 3));
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const word = WORDS[(picks[i % picks.length] ?? 0) % WORDS.length] ?? 'x';
    const sep = i % 13 === 12 ? '\n' : ' ';
    parts.push(word, sep);
    length += word.length + 1;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, size);
}
