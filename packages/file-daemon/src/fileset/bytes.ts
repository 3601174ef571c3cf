/**
 * Path names on Linux are bytes, not text. Patterns are matched against a "match
 * string": one UTF-16 unit per byte, so `?` matches exactly one byte and a name that
 * is not valid UTF-8 still matches exactly. Bytes 0x00-0x7f keep their ASCII
 * character; bytes 0x80-0xff move to the private-use block U+E080-U+E0FF instead of
 * staying latin1, because JavaScript's case-insensitive matching folds latin1 letters
 * (0xC3 'Ã' with 0xE3 'ã') and those are UTF-8 lead bytes of unrelated characters.
 * Private-use characters have no case, so `ignore case` folds ASCII only, as
 * fnmatch(FNM_CASEFOLD) in the C locale does for Bareos.
 */

const HIGH_BYTES = /[\x80-\xff]/g;
const PRIVATE_BASE = 0xe000;

/** The match string of some raw bytes (a path, or a pattern's UTF-8 encoding). */
export function toMatchString(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(HIGH_BYTES, (c) => String.fromCharCode(PRIVATE_BASE + c.charCodeAt(0)));
}

/** Pattern text from the configuration is UTF-8; match it byte for byte. */
export function patternToMatchString(pattern: string): string {
  return toMatchString(Buffer.from(pattern, 'utf8'));
}

/** Removes trailing slashes ("/a/b/" -> "/a/b") but keeps the root "/". */
export function stripTrailingSlashes(path: Buffer): Buffer {
  let end = path.length;
  while (end > 1 && path[end - 1] === 0x2f) end--;
  return end === path.length ? path : path.subarray(0, end);
}

/** True when `path` is `prefix` or lies below it (byte comparison, no normalisation). */
export function isSameOrBelow(path: Buffer, prefix: Buffer): boolean {
  if (prefix.length === 1 && prefix[0] === 0x2f) return path.length > 0 && path[0] === 0x2f;
  if (path.length < prefix.length) return false;
  if (!path.subarray(0, prefix.length).equals(prefix)) return false;
  return path.length === prefix.length || path[prefix.length] === 0x2f;
}
