/**
 * File digests on the client: one `Hasher` per file, whatever the algorithm, made by
 * the job's `Hashers` (MD5 and the SHAs are node:crypto's).
 */
import { createHash } from 'node:crypto';
import { digestKind } from '@burrow/common/fileset/digests';
import type { burrow } from '@burrow/common/proto/index';

/** What a file's digest is computed with; node:crypto's Hash fits as it is. */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  /** The digest, once: the hasher is spent afterwards. */
  digest(): Buffer;
}

const NODE_NAMES: Readonly<Partial<Record<string, string>>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** Makes the hashers of one job. */
export class Hashers {
  private constructor() {}

  static async create(): Promise<Hashers> {
    return new Hashers();
  }

  /** A hasher for `algorithm`; undefined for NONE or an algorithm this build does not know. */
  open(algorithm: burrow.DigestAlgorithm | null | undefined): Hasher | undefined {
    const kind = digestKind(algorithm);
    const name = kind === undefined ? undefined : NODE_NAMES[kind.name];
    return name === undefined ? undefined : createHash(name);
  }
}
