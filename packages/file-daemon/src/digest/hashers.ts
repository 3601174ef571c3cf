/**
 * File digests on the client: one `Hasher` per file, whatever the algorithm. MD5 and
 * the SHAs are node:crypto's; XXH128 is hash-wasm's streaming XXH3-128 (a WebAssembly
 * build of xxHash, about 4 GB/s here against 0.7 GB/s for MD5; see the commit that
 * added it for the measurement).
 *
 * Making a hash-wasm hasher instantiates a WebAssembly module (~100 µs, and it is
 * asynchronous), too slow per file for a tree of small files. So each job makes one
 * `Hashers` up front, whose single XXH128 instance serves every XXH128 file of the
 * job: each file's hasher keeps its own state, and the instance swaps states (save and
 * load, ~2 µs) only when another file's hasher takes a turn.
 */
import { createHash } from 'node:crypto';
import { createXXHash128, type IHasher } from 'hash-wasm';
import { digestKind } from '@burrow/common/fileset/digests';
import type { burrow } from '@burrow/common/proto/index';
import { inlineHasher, type DigestThread, type StreamHasher } from './thread.js';
import type { Hasher } from './hasher.js';

export type { Hasher } from './hasher.js';

const NODE_NAMES: Readonly<Partial<Record<string, string>>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** Whether this build computes `algorithm` (NONE is no algorithm). */
function knows(algorithm: burrow.DigestAlgorithm): boolean {
  const kind = digestKind(algorithm);
  return kind !== undefined && (kind.name === 'XXH128' || NODE_NAMES[kind.name] !== undefined);
}

/** The one XXH128 WebAssembly instance of a job, lent to one file's hasher at a time. */
class Xxh128Engine {
  private owner: Xxh128Hasher | null = null;

  constructor(private readonly wasm: IHasher, readonly initial: Uint8Array) {}

  /** Makes the instance hold `h`'s state, keeping the previous holder's. */
  lend(h: Xxh128Hasher): IHasher {
    if (this.owner !== h) {
      if (this.owner !== null) this.owner.state = this.wasm.save();
      this.wasm.load(h.state);
      this.owner = h;
    }
    return this.wasm;
  }

  /** After a digest the instance holds no one's state. */
  spent(): void {
    this.owner = null;
  }
}

class Xxh128Hasher implements Hasher {
  state: Uint8Array;

  constructor(private readonly engine: Xxh128Engine) {
    this.state = engine.initial;
  }

  update(bytes: Uint8Array): this {
    this.engine.lend(this).update(bytes);
    return this;
  }

  digest(): Buffer {
    const out = Buffer.from(this.engine.lend(this).digest('binary'));
    this.engine.spent();
    return out;
  }
}

/**
 * Files from this size on are hashed on the digest thread (when the job has one):
 * below it, hashing here costs less than the messages (8 KiB of MD5: ~11 µs).
 */
export const THREAD_FROM_BYTES = 256 * 1024;

/** Makes the hashers of one job. */
export class Hashers {
  private constructor(private readonly xxh128: Xxh128Engine, private readonly thread: DigestThread | null) {}

  /** `thread`: the daemon's digest thread, for large files (stream()); none: every digest is computed here. */
  static async create(thread: DigestThread | null = null): Promise<Hashers> {
    const wasm = await createXXHash128();
    wasm.init();
    return new Hashers(new Xxh128Engine(wasm, wasm.save()), thread);
  }

  /**
   * One file's digest as its data streams by, for a file of about `size` bytes (null:
   * unknown): on the digest thread from THREAD_FROM_BYTES on, else here. Undefined
   * for NONE or an algorithm this build does not know.
   */
  stream(algorithm: burrow.DigestAlgorithm | null | undefined, size: number | null): StreamHasher | undefined {
    if (algorithm === null || algorithm === undefined || !knows(algorithm)) return undefined;
    if (this.thread !== null && size !== null && size >= THREAD_FROM_BYTES) return this.thread.open(algorithm);
    const here = this.open(algorithm);
    return here === undefined ? undefined : inlineHasher(here);
  }

  /** A hasher for `algorithm`; undefined for NONE or an algorithm this build does not know. */
  open(algorithm: burrow.DigestAlgorithm | null | undefined): Hasher | undefined {
    const kind = digestKind(algorithm);
    if (kind === undefined) return undefined;
    if (kind.name === 'XXH128') return new Xxh128Hasher(this.xxh128);
    const name = NODE_NAMES[kind.name];
    return name === undefined ? undefined : createHash(name);
  }
}
