/**
 * Hashers by Bareos's signature name (`Signature = MD5`, ...). MD5 and the SHAs are
 * node:crypto's; XXH128 is hash-wasm's streaming XXH3-128 (a WebAssembly build of
 * xxHash, about 4 GB/s here against 0.7 GB/s for MD5; see the commit that added it).
 * Nothing here knows the protocol's algorithm numbers (hashers.ts maps them), so the
 * digest thread, which loads this module, does without the generated protobuf code.
 *
 * Making a hash-wasm hasher instantiates a WebAssembly module (~100 µs, and it is
 * asynchronous), too slow per file for a tree of small files. So one `NamedHashers`
 * (one per job, one in the digest thread) keeps a single XXH128 instance for every
 * XXH128 file: each file's hasher keeps its own state, and the instance swaps states
 * (save and load, ~2 µs) only when another file's hasher takes a turn.
 */
import { createHash } from 'node:crypto';
import type { IHasher } from 'hash-wasm';
import type { SignatureName } from '@burrow/common/fileset/options';
import type { Hasher } from './hasher.js';

const NODE_NAMES: Readonly<Partial<Record<SignatureName, string>>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** The one XXH128 WebAssembly instance, lent to one file's hasher at a time. */
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

export class NamedHashers {
  private constructor(private readonly xxh128: Xxh128Engine | null) {}

  /**
   * `xxh128: false` makes hashers without XXH128 (computes() says no) and loads no
   * hash-wasm, 6 MiB of script: the digest thread starts so and makes full ones only
   * once an XXH128 file comes.
   */
  static async create({ xxh128 = true } = {}): Promise<NamedHashers> {
    if (!xxh128) return new NamedHashers(null);
    const { createXXHash128 } = await import('hash-wasm');
    const wasm = await createXXHash128();
    wasm.init();
    return new NamedHashers(new Xxh128Engine(wasm, wasm.save()));
  }

  /** Whether this build computes `name` (all of SIGNATURES today; a name from a newer peer may not be). */
  computes(name: string): name is SignatureName {
    return name === 'XXH128' ? this.xxh128 !== null : NODE_NAMES[name as SignatureName] !== undefined;
  }

  /** A hasher for `name`; undefined for a name this build does not compute. */
  open(name: SignatureName): Hasher | undefined {
    if (name === 'XXH128') return this.xxh128 === null ? undefined : new Xxh128Hasher(this.xxh128);
    const node = NODE_NAMES[name];
    return node === undefined ? undefined : createHash(node);
  }
}
