/**
 * The file digests a FileSet's `Signature =` may ask for: Bareos's names, the
 * burrow.DigestAlgorithm numbers (the same as Bareos's crypto_digest_t, 1 MD5 to
 * 5 XXH128), their lengths, and the text the catalog shows them in.
 */
import { burrow } from '../proto/index.js';
import type { SignatureName } from './options.js';

export interface DigestKind {
  readonly name: SignatureName;
  readonly algorithm: burrow.DigestAlgorithm;
  /** Bytes of the digest (CRYPTO_DIGEST_*_SIZE). */
  readonly bytes: number;
}

const A = burrow.DigestAlgorithm;
export const DIGESTS: readonly DigestKind[] = [
  { name: 'MD5', algorithm: A.DIGEST_MD5, bytes: 16 },
  { name: 'SHA1', algorithm: A.DIGEST_SHA1, bytes: 20 },
  { name: 'SHA256', algorithm: A.DIGEST_SHA256, bytes: 32 },
  { name: 'SHA512', algorithm: A.DIGEST_SHA512, bytes: 64 },
  { name: 'XXH128', algorithm: A.DIGEST_XXH128, bytes: 16 },
];

/** The kind of a digest algorithm number; undefined for NONE or a number this build does not know. */
export function digestKind(algorithm: number | null | undefined): DigestKind | undefined {
  return DIGESTS.find((d) => d.algorithm === algorithm);
}

export function digestKindByName(name: SignatureName): DigestKind {
  const kind = DIGESTS.find((d) => d.name === name);
  if (kind === undefined) throw new RangeError(`no digest kind for signature ${name}`);
  return kind;
}

/** Bareos's name of a digest algorithm (`XXH128`), or `digest N` for one this build does not know. */
export function digestName(algorithm: number | null | undefined): string {
  return digestKind(algorithm)?.name ?? `digest ${algorithm ?? 0}`;
}

/**
 * A digest as Bareos's catalog shows it (File.MD5, `.bvfs_versions`, verify reports):
 * standard base64 without `=` padding (lib/base64.cc BinToBase64, compatible mode).
 */
export function digestText(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('base64').replace(/=+$/, '');
}
